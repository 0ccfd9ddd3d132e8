import type { Db } from '../../lib/context.ts';
import type { OrderItemTable } from './commerce.table.ts';
import { getServiceLines } from './lines.ts';
import { returnStock } from './stock.ts';

/**
 * Releases everything an order holds: pending stock goes back from `reserved` to `available`,
 * confirmed stock is restocked, and service slots are freed through the booking module's
 * `ServiceLines.release`. The one function order cancel, payment failure, hold expiry and a
 * discarded card checkout go through, inside their transaction, so stock and slots are always
 * held and released the same way.
 */
export async function releaseHolds(
  db: Db,
  order: { id: string; store_id: string },
  items: OrderItemTable[],
  now: number,
): Promise<void> {
  const open = items.filter((i) => i.status !== 'cancelled');
  for (const item of open) {
    if (item.inventory_level_id)
      await returnStock(db, item.inventory_level_id, item.quantity, item.status === 'confirmed', now);
  }
  const services = open.filter((i) => i.type === 'service');
  if (services.length) await getServiceLines()?.release?.(db, order.store_id, order.id, services);
}
