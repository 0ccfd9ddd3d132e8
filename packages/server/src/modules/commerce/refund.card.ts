import type { Order } from '@openarky/contract';
import { withTx, type Ctx, type Db } from '../../lib/context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { fromJson } from '../../lib/json.ts';
import { loadOrder } from './order.mapper.ts';
import { lockOrder } from './order.payment.ts';

/**
 * Card refund through the provider (CONTRACT §6.7). Three steps so no lock waits on Stripe:
 * (1) under the order's row lock, refundable = paid − refunds not failed is checked and the refund
 * recorded `pending` — concurrent refunds serialize here and can never exceed what was captured;
 * (2) the provider refund is created (idempotency key from the refund id); (3) its id is recorded
 * (status stays `pending` until `charge.refund.updated`, unless the provider already settled it).
 * A provider failure marks the refund `failed` (it no longer counts) and answers 502.
 */
export async function refundCardOrder(
  ctx: Ctx,
  storeId: string,
  orderId: string,
  amount: number,
): Promise<Order> {
  const gateway = await ctx.modules.extension('cardPayments')?.gateway(ctx, storeId);
  if (!gateway)
    throw new AppError(
      'payment_provider_not_configured',
      'Card refunds need an active Stripe integration for this store',
    );
  const { refundId, intentId } = await withTx(ctx, async (tx) => {
    const row = await lockOrder(tx.db, storeId, orderId);
    if (!row) throw notFound('order', `No order ${orderId}`);
    const refunds = await tx.db
      .selectFrom('refunds')
      .select(['amount'])
      .where('order_id', '=', row.id)
      .where('status', '!=', 'failed')
      .execute();
    const refundable = Math.max(row.paid - refunds.reduce((a, r) => a + Number(r.amount), 0), 0);
    if (amount > refundable)
      throw new AppError('refund_exceeds_captured', `At most ${refundable} can be refunded`, { refundable });
    const intent = fromJson<{ provider?: { payment_intent_id?: string | null } | null }>(row.payment, {})
      .provider?.payment_intent_id;
    if (!intent)
      throw new AppError('refund_exceeds_captured', 'Nothing was captured on this order', { refundable: 0 });
    const id = newId('ref');
    const now = tx.now();
    await tx.db
      .insertInto('refunds')
      .values({
        id,
        store_id: storeId,
        order_id: row.id,
        amount,
        status: 'pending',
        provider_refund_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { refundId: id, intentId: intent };
  });

  let provider: { id: string; status: string };
  try {
    provider = await gateway.refund({ storeId, orderId, intentId, refundId, amount });
  } catch (error) {
    ctx.log.warn(
      { order: orderId, refund: refundId, reason: error instanceof Error ? error.message : 'unknown' },
      'provider refund failed',
    );
    // A phase of its own (recorded under the request's Idempotency-Key like every write).
    await withTx(ctx, async (tx) => {
      await tx.db
        .updateTable('refunds')
        .set({ status: 'failed', updated_at: tx.now() })
        .where('id', '=', refundId)
        .where('status', '=', 'pending')
        .execute();
    });
    throw new AppError(
      'provider_error',
      'The payment provider refused or did not answer the refund; it was recorded as failed',
      { provider: 'stripe' },
    );
  }

  return withTx(ctx, async (tx) => {
    const row = (await lockOrder(tx.db, storeId, orderId))!;
    const now = tx.now();
    // A webhook may have settled it already (it finds the refund by our id in the metadata).
    await recordRefundAnswer(tx.db, refundId, provider, now);
    await tx.db.updateTable('orders').set({ updated_at: now }).where('id', '=', row.id).execute();
    const order = await loadOrder(tx.db, { ...row, updated_at: now });
    await emit(tx, 'order.refunded', { ...order, refund: { amount } }, storeId);
    await emit(tx, 'order.updated', order, storeId);
    return order;
  });
}

/**
 * Records the provider's answer to a refund request: its id, and its status when already final
 * (`succeeded`/`failed`; a `pending` refund waits for `charge.refund.updated`, which may also have
 * settled it first — then the status is left as the webhook set it).
 */
export async function recordRefundAnswer(
  db: Db,
  refundId: string,
  answer: { id: string; status: string },
  now: number,
): Promise<void> {
  await db
    .updateTable('refunds')
    .set({ provider_refund_id: answer.id, updated_at: now })
    .where('id', '=', refundId)
    .execute();
  if (answer.status === 'succeeded' || answer.status === 'failed')
    await db
      .updateTable('refunds')
      .set({ status: answer.status })
      .where('id', '=', refundId)
      .where('status', '=', 'pending')
      .execute();
}
