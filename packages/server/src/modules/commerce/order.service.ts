import type { ListOrdersQuery, Order, PageOf, UpdateOrderBody } from '@openarky/contract';
import { withTx, type Ctx, type Db } from '../../lib/context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';
import { paginate } from '../../lib/pagination.ts';
import { forUpdate } from '../../db/create-db.ts';
import { normalizeBlocks } from '../catalog/index.ts';
import type { OrderTable } from './commerce.table.ts';
import { loadOrder, toOrders } from './order.mapper.ts';
import { changeWorkflow } from './order.workflow.ts';
import { refundCardOrder } from './refund.card.ts';

async function lockedOrder(db: Db, storeId: string, id: string): Promise<OrderTable> {
  const row = await forUpdate(
    db,
    db.selectFrom('orders').selectAll().where('store_id', '=', storeId).where('id', '=', id),
  ).executeTakeFirst();
  if (!row) throw notFound('order', `No order ${id}`);
  return row;
}

/** One order; `profileId` restricts to that profile's own orders (storefront). */
export async function getOrder(ctx: Ctx, storeId: string, id: string, profileId?: string): Promise<Order> {
  let qb = ctx.db.selectFrom('orders').selectAll().where('store_id', '=', storeId).where('id', '=', id);
  if (profileId) qb = qb.where('profile_id', '=', profileId);
  const row = await qb.executeTakeFirst();
  if (!row) throw notFound('order', `No order ${id}`);
  return loadOrder(ctx.db, row);
}

export async function findOrders(
  ctx: Ctx,
  storeId: string,
  q: ListOrdersQuery,
  ownProfileId?: string,
): Promise<PageOf<Order>> {
  let qb = ctx.db.selectFrom('orders').selectAll().where('store_id', '=', storeId);
  const profileId = ownProfileId ?? q.profile_id;
  if (profileId) qb = qb.where('profile_id', '=', profileId);
  if (q.status) qb = qb.where('status', '=', q.status);
  if (q.workflow_statuses?.length) qb = qb.where('workflow_status', 'in', q.workflow_statuses);
  if (q.verified !== undefined) qb = qb.where('verified', '=', q.verified ? 1 : 0);
  if (q.query) qb = qb.where('search_text', 'like', `%${q.query.toLowerCase().replace(/[%_\\]/g, '')}%`);
  if (q.created_at_from !== undefined) qb = qb.where('created_at', '>=', q.created_at_from);
  if (q.created_at_to !== undefined) qb = qb.where('created_at', '<=', q.created_at_to);
  if (q.item_statuses?.length || q.product_ids?.length) {
    qb = qb.where('id', 'in', (eb) => {
      let sub = eb.selectFrom('order_items').select('order_id').where('store_id', '=', storeId);
      if (q.item_statuses?.length) sub = sub.where('status', 'in', q.item_statuses);
      if (q.product_ids?.length) sub = sub.where('product_id', 'in', q.product_ids);
      return sub;
    });
  }
  const page = await paginate(qb, q, { columns: { created_at: 'created_at', number: 'seq' } });
  return { ...page, items: await toOrders(ctx.db, page.items) };
}

/** Admin update (CONTRACT §6.6): workflow changes through the transition table, plus trusted fields. */
export async function updateOrder(
  ctx: Ctx,
  storeId: string,
  id: string,
  body: UpdateOrderBody,
): Promise<Order> {
  return withTx(ctx, async (tx) => {
    let row = await lockedOrder(tx.db, storeId, id);
    const target = body.cancel ? 'cancelled' : body.confirm ? 'confirmed' : body.workflow_status;
    if (target && target !== row.workflow_status)
      row = await changeWorkflow(
        tx,
        row,
        target,
        target === 'cancelled' ? (body.cancel_reason ?? 'admin_rejected') : undefined,
      );
    else if (target && target === row.workflow_status)
      throw new AppError('invalid_transition', `The order is already ${target}`, {
        from: row.workflow_status,
        to: target,
      });
    const now = tx.now();
    const set: Partial<OrderTable> = {};
    if (body.status) set.status = body.status;
    if (body.shipping_address !== undefined)
      set.shipping_address = body.shipping_address ? toJson(body.shipping_address) : null;
    if (body.billing_address !== undefined)
      set.billing_address = body.billing_address ? toJson(body.billing_address) : null;
    if (body.forms) set.forms = toJson(body.forms);
    if (body.blocks) set.blocks = toJson(normalizeBlocks(body.blocks));
    const paidNow = body.payment?.paid;
    if (paidNow !== undefined) set.paid = paidNow;
    if (Object.keys(set).length) {
      await tx.db
        .updateTable('orders')
        .set({ ...set, updated_at: now })
        .where('id', '=', row.id)
        .execute();
      const before = row;
      row = { ...row, ...set, updated_at: now };
      const order = await loadOrder(tx.db, row);
      if (!target) await emit(tx, 'order.updated', order, storeId);
      if (paidNow !== undefined && before.paid < before.total && paidNow >= before.total) {
        await emit(tx, 'order.payment_received', order, storeId);
        await emit(tx, 'order.paid', order, storeId);
      }
    }
    return loadOrder(tx.db, row);
  });
}

/**
 * Partial refund in minor units (CONTRACT §6.7). The order row is locked first, so concurrent
 * refunds are serialized and their sum never passes the refundable amount.
 */
export async function refundOrder(
  ctx: Ctx,
  storeId: string,
  orderId: string,
  amount: number,
): Promise<Order> {
  const method = await ctx.db
    .selectFrom('orders')
    .select('method_type')
    .where('store_id', '=', storeId)
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (method?.method_type === 'credit_card') return refundCardOrder(ctx, storeId, orderId, amount);
  return withTx(ctx, async (tx) => {
    const row = await lockedOrder(tx.db, storeId, orderId);
    const refunds = await tx.db
      .selectFrom('refunds')
      .select(['amount'])
      .where('order_id', '=', row.id)
      .where('status', '!=', 'failed')
      .execute();
    const refunded = refunds.reduce((a, r) => a + Number(r.amount), 0);
    const refundable = Math.max((row.method_type === 'credit_card' ? row.paid : row.total) - refunded, 0);
    if (amount > refundable)
      throw new AppError('refund_exceeds_captured', `At most ${refundable} can be refunded`, { refundable });
    const now = tx.now();
    await tx.db
      .insertInto('refunds')
      .values({
        id: newId('ref'),
        store_id: storeId,
        order_id: row.id,
        amount,
        status: 'succeeded',
        provider_refund_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await tx.db.updateTable('orders').set({ updated_at: now }).where('id', '=', row.id).execute();
    const order = await loadOrder(tx.db, { ...row, updated_at: now });
    await emit(tx, 'order.refunded', { ...order, refund: { amount } }, storeId);
    await emit(tx, 'order.updated', order, storeId);
    return order;
  });
}
