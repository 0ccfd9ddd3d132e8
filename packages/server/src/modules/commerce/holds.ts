import type { Ctx } from '../../lib/context.ts';
import { returnStock } from '../catalog/index.ts';
import type { OrderItemTable } from './commerce.table.ts';

/**
 * Releases everything an order holds: pending stock goes back from `reserved` to `available`,
 * confirmed stock is restocked, and service slots are freed through the booking module's
 * `serviceLines.release`. The one function order cancel, payment failure, hold expiry and a
 * discarded card checkout go through (the order machine's cancel/fail effect calls it), inside
 * their transaction, so stock and slots are always held and released the same way.
 */
export async function releaseHolds(
  ctx: Ctx,
  order: { id: string; store_id: string },
  items: readonly OrderItemTable[],
  now: number,
): Promise<void> {
  const open = items.filter((i) => i.status !== 'cancelled');
  for (const item of open) {
    if (item.inventory_level_id)
      await returnStock(ctx.db, item.inventory_level_id, item.quantity, item.status === 'confirmed', now);
  }
  const services = open.filter((i) => i.type === 'service');
  if (services.length)
    await ctx.modules.extension('serviceLines')?.release?.(ctx.db, order.store_id, order.id, services);
}
