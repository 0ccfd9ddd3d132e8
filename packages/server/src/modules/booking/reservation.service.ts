import type { ListReservationsQuery, PageOf, Reservation } from '@openarky/contract';
import type { Ctx } from '../../lib/context.ts';
import { fromJson } from '../../lib/json.ts';
import { paginate } from '../../lib/pagination.ts';

/**
 * Reservations (seed 002) are the service lines of orders (CONTRACT §7.2, §11.6): a read-only
 * view with the order's number, profile and workflow status. `from`/`to` select slots starting in
 * [from, to).
 */
export async function findReservations(
  ctx: Ctx,
  storeId: string,
  q: ListReservationsQuery,
): Promise<PageOf<Reservation>> {
  let qb = ctx.db
    .selectFrom('order_items')
    .innerJoin('orders', 'orders.id', 'order_items.order_id')
    .select([
      'order_items.id',
      'order_items.service_id',
      'order_items.provider_id',
      'order_items.from_at',
      'order_items.to_at',
      'order_items.forms',
      'order_items.snapshot',
      'order_items.status',
      'order_items.status_reason',
      'order_items.expires_at',
      'order_items.unit_price',
      'order_items.total',
      'order_items.order_id',
      'orders.number as order_number',
      'orders.store_id',
      'orders.profile_id',
      'orders.workflow_status',
      'orders.created_at',
    ])
    .where('order_items.store_id', '=', storeId)
    .where('orders.store_id', '=', storeId)
    .where('order_items.type', '=', 'service');
  if (q.profile_id) qb = qb.where('orders.profile_id', '=', q.profile_id);
  if (q.service_ids?.length) qb = qb.where('order_items.service_id', 'in', q.service_ids);
  if (q.provider_ids?.length) qb = qb.where('order_items.provider_id', 'in', q.provider_ids);
  if (q.from !== undefined) qb = qb.where('order_items.from_at', '>=', q.from);
  if (q.to !== undefined) qb = qb.where('order_items.from_at', '<', q.to);
  if (q.item_statuses?.length) qb = qb.where('order_items.status', 'in', q.item_statuses);
  if (q.verified !== undefined) qb = qb.where('orders.verified', '=', q.verified ? 1 : 0);
  if (q.query)
    qb = qb.where('orders.search_text', 'like', `%${q.query.toLowerCase().replace(/[%_\\]/g, '')}%`);
  if (q.created_at_from !== undefined) qb = qb.where('orders.created_at', '>=', q.created_at_from);
  if (q.created_at_to !== undefined) qb = qb.where('orders.created_at', '<=', q.created_at_to);
  const page = await paginate(qb, q, {
    columns: { from: 'order_items.from_at', created_at: 'orders.created_at' },
    idColumn: 'order_items.id',
    defaultSort: 'from',
  });
  return {
    ...page,
    items: page.items.map((r) => ({
      type: 'service' as const,
      id: r.id,
      service_id: r.service_id!,
      provider_id: r.provider_id,
      from: Number(r.from_at),
      to: Number(r.to_at),
      forms: fromJson(r.forms, []),
      snapshot: fromJson(r.snapshot, {}),
      status:
        r.status === 'pending'
          ? { status: 'pending' as const, ...(r.expires_at ? { expires_at: Number(r.expires_at) } : {}) }
          : r.status === 'cancelled'
            ? { status: 'cancelled' as const, reason: r.status_reason ?? 'other' }
            : { status: 'confirmed' as const },
      unit_price: Number(r.unit_price),
      total: Number(r.total),
      order_id: r.order_id,
      order_number: r.order_number,
      store_id: r.store_id,
      profile_id: r.profile_id,
      workflow_status: r.workflow_status,
      created_at: Number(r.created_at),
    })),
  };
}
