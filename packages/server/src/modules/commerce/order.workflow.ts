import type { WorkflowStatus } from '@openarky/contract';
import type { Ctx } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import { forUpdate } from '../../db/create-db.ts';
import type { OrderItemTable, OrderTable } from './commerce.table.ts';
import { loadOrder, toOrder } from './order.mapper.ts';
import { commitStock, returnStock } from './stock.ts';
import { assertTransition } from './transitions.ts';

type History = { action: string; reason?: string; timestamp: number }[];

/** Counts a promo use at confirmation; the conditional update keeps `uses ≤ max_uses` under concurrency. */
async function countPromoUse(ctx: Ctx, order: OrderTable): Promise<void> {
  if (!order.promo_code_id) return;
  const res = await ctx.db
    .updateTable('promo_codes')
    .set((eb) => ({ uses: eb('uses', '+', 1) }))
    .where('id', '=', order.promo_code_id)
    .where((eb) => eb.or([eb('max_uses', 'is', null), eb('uses', '<', eb.ref('max_uses'))]))
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) {
    const exists = await ctx.db.selectFrom('promo_codes').select('id').where('id', '=', order.promo_code_id).executeTakeFirst();
    if (exists) throw new AppError('promo_code_invalid', 'Promo code cannot be used (max_uses_reached)', { reason: 'max_uses_reached' });
  }
  if (!order.profile_id) return;
  const profile = await forUpdate(ctx.db, ctx.db.selectFrom('profiles').select(['id', 'promo_usage']).where('id', '=', order.profile_id)).executeTakeFirst();
  if (!profile) return;
  const usage = fromJson<{ promo_code_id: string; uses: number }[]>(profile.promo_usage, []);
  const entry = usage.find((u) => u.promo_code_id === order.promo_code_id);
  if (entry) entry.uses += 1;
  else usage.push({ promo_code_id: order.promo_code_id, uses: 1 });
  await ctx.db.updateTable('profiles').set({ promo_usage: toJson(usage), updated_at: ctx.now() }).where('id', '=', profile.id).execute();
}

/**
 * Moves an order along the workflow table with its side effects (CONTRACT §6.6): confirmation
 * commits reserved stock and counts the promo use; cancel/fail cancels the open items, returns
 * pending stock and restocks confirmed stock. Appends history and writes the events. Runs in the
 * caller's transaction, on a row it has locked. `newItems`: the items of an order created in this
 * very transaction (checkout), which then is neither reloaded nor re-read for its events — every
 * statement saved there shortens the time the stock rows stay locked.
 */
export async function changeWorkflow(ctx: Ctx, order: OrderTable, to: WorkflowStatus, reason?: string, newItems?: OrderItemTable[]): Promise<OrderTable> {
  assertTransition(order.workflow_status, to);
  const now = ctx.now();
  const items = newItems ?? (await ctx.db.selectFrom('order_items').selectAll().where('order_id', '=', order.id).orderBy('position').execute());
  if (to === 'shipped' && !items.some((i) => i.type === 'product')) {
    throw new AppError('invalid_transition', 'Only orders with product items can be shipped', { from: order.workflow_status, to });
  }
  if (to === 'confirmed') {
    for (const item of items.filter((i) => i.status === 'pending')) {
      if (item.inventory_level_id) await commitStock(ctx.db, item.inventory_level_id, item.quantity, now);
    }
    await ctx.db.updateTable('order_items').set({ status: 'confirmed', expires_at: null }).where('order_id', '=', order.id).where('status', '=', 'pending').execute();
    await countPromoUse(ctx, order);
  }
  if (to === 'cancelled' || to === 'failed') {
    for (const item of items.filter((i) => i.status !== 'cancelled')) {
      if (item.inventory_level_id) await returnStock(ctx.db, item.inventory_level_id, item.quantity, item.status === 'confirmed', now);
    }
    const itemReason = to === 'failed' ? 'payment_failed' : (reason ?? 'admin_rejected');
    await ctx.db.updateTable('order_items').set({ status: 'cancelled', status_reason: itemReason, expires_at: null }).where('order_id', '=', order.id).where('status', '!=', 'cancelled').execute();
  }
  const history = fromJson<History>(order.history, []);
  history.push({ action: to, ...(reason && (to === 'cancelled' || to === 'failed') ? { reason } : {}), timestamp: now });
  const updated: OrderTable = { ...order, workflow_status: to, history: toJson(history), updated_at: now };
  await ctx.db.updateTable('orders').set({ workflow_status: to, history: updated.history, updated_at: now }).where('id', '=', order.id).execute();
  const wire = newItems
    ? toOrder(
        updated,
        items.map((i) => (to === 'confirmed' && i.status === 'pending' ? { ...i, status: 'confirmed' as const, expires_at: null } : i)),
        [],
      )
    : await loadOrder(ctx.db, updated);
  await emit(ctx, 'order.updated', wire, order.store_id);
  if (to === 'confirmed') await emit(ctx, 'order.confirmed', wire, order.store_id);
  if (to === 'cancelled') await emit(ctx, 'order.cancelled', wire, order.store_id);
  return updated;
}
