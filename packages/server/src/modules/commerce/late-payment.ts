import type { Ctx, Db } from '../../lib/context.ts';
import { emit } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import type { OrderTable, RefundTable } from './commerce.table.ts';
import { loadOrder } from './order.mapper.ts';
import { lockOrder } from './order.payment.ts';
import { recordRefundAnswer } from './refund.card.ts';

/** Orders that can no longer take a payment: a capture landing on one is given back. */
const CLOSED: readonly string[] = ['cancelled', 'failed'];

/**
 * A card payment captured for an order that can no longer take it (cancelled by hold expiry or by
 * hand, or failed, while its PaymentIntent stayed payable). Runs in the provider event's
 * transaction on the locked order: the capture is recorded (`paid`, status `captured`, no
 * transition, no `order.paid`) together with a `pending` refund of all of it, so refundable stays
 * 0 and the caller enqueues the provider refund in the same transaction. Returns null when the
 * order is open, or this capture was recorded already (its status is `captured`).
 */
export async function recordLatePayment(
  ctx: Ctx,
  order: OrderTable,
  amount: number,
): Promise<{ refundId: string; amount: number } | null> {
  const payment = fromJson<Record<string, unknown> & { status?: { status?: string } }>(order.payment, {});
  if (!CLOSED.includes(order.workflow_status) || payment.status?.status === 'captured' || amount <= 0)
    return null;
  const now = ctx.now();
  const next = { ...payment, status: { status: 'captured', at: now, amount } };
  const row: OrderTable = { ...order, payment: toJson(next), paid: amount, updated_at: now };
  await ctx.db
    .updateTable('orders')
    .set({ payment: row.payment, paid: amount, updated_at: now })
    .where('id', '=', order.id)
    .execute();
  const refundId = newId('ref');
  await ctx.db
    .insertInto('refunds')
    .values({
      id: refundId,
      store_id: order.store_id,
      order_id: order.id,
      amount,
      status: 'pending',
      provider_refund_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await emit(ctx, 'order.updated', await loadOrder(ctx.db, row), order.store_id);
  return { refundId, amount };
}

/** A refund row, or undefined. */
export async function findRefund(db: Db, refundId: string): Promise<RefundTable | undefined> {
  return db.selectFrom('refunds').selectAll().where('id', '=', refundId).executeTakeFirst();
}

/**
 * The provider's answer to a late-payment refund, in its own transaction: its id is recorded (and
 * its status if already final), `order.refunded` and `order.updated` are written — or, when the
 * provider refused for good, the refund is marked `failed` (it no longer counts, so the money can
 * be refunded by hand) and `order.updated` is written.
 */
export async function recordProviderRefund(
  ctx: Ctx,
  refundId: string,
  answer: { id: string; status: string } | { failed: true },
): Promise<void> {
  const refund = await findRefund(ctx.db, refundId);
  if (!refund) return;
  const order = await lockOrder(ctx.db, refund.store_id, refund.order_id);
  if (!order) return;
  const now = ctx.now();
  if ('failed' in answer) {
    const res = await ctx.db
      .updateTable('refunds')
      .set({ status: 'failed', updated_at: now })
      .where('id', '=', refundId)
      .where('status', '=', 'pending')
      .where('provider_refund_id', 'is', null)
      .executeTakeFirst();
    if (!Number(res.numUpdatedRows)) return;
  } else {
    // The job skips a refund whose provider id is known, so reaching here with one means only that
    // `charge.refund.updated` overtook Stripe's answer (it finds the refund by our id): still announce it.
    await recordRefundAnswer(ctx.db, refundId, answer, now);
  }
  await ctx.db.updateTable('orders').set({ updated_at: now }).where('id', '=', order.id).execute();
  const wire = await loadOrder(ctx.db, { ...order, updated_at: now });
  if (!('failed' in answer))
    await emit(ctx, 'order.refunded', { ...wire, refund: { amount: Number(refund.amount) } }, order.store_id);
  await emit(ctx, 'order.updated', wire, order.store_id);
}
