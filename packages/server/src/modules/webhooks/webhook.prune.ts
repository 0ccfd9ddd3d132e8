import type { Db } from '../../lib/context.ts';

/** The delivery log keeps 30 days of finished deliveries; pending ones are never pruned. */
export const DELIVERY_RETENTION_SECONDS = 30 * 86_400;

/** Deletes delivered and failed deliveries last touched before the retention horizon. */
export async function pruneDeliveries(db: Db, now: number): Promise<number> {
  const res = await db
    .deleteFrom('webhook_deliveries')
    .where('status', 'in', ['delivered', 'failed'])
    .where('updated_at', '<', now - DELIVERY_RETENTION_SECONDS)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
