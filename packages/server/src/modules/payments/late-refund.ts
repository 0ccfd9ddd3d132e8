import { Type } from '@sinclair/typebox';
import { withTx, type Ctx } from '../../lib/context.ts';
import { enqueue, jobKind } from '../../lib/jobs.ts';
import { findRefund, recordLatePayment, recordProviderRefund, type OrderTable } from '../commerce/index.ts';
import { stripeCredentials } from '../integrations/index.ts';
import { describeStripeError, stripeClient } from './stripe.client.ts';

/** Stripe's idempotency key of a late payment's refund: one refund per PaymentIntent, whoever asks. */
export const lateRefundKey = (intentId: string) => `late-refund:${intentId}`;

export const LATE_REFUND_JOB = jobKind(
  'payments.late_refund',
  Type.Object({ refund_id: Type.String(), intent_id: Type.String() }),
);
/** 12 attempts with exponential backoff (10 s, 20 s, …) span about 6 hours, inside Stripe's 24-hour idempotency window. */
export const LATE_REFUND_ATTEMPTS = 12;

/**
 * A PaymentIntent succeeded for an order that can no longer take the money (cancelled, failed):
 * in the event's transaction the capture and a `pending` refund of all of it are recorded on the
 * order and the Stripe refund is enqueued as a job — it runs once per cluster after commit,
 * retried with backoff, never inside a transaction. Returns the refund id, or null when this is
 * not a late payment (open order, or this capture already handled).
 */
export async function refundLatePayment(
  ctx: Ctx,
  order: OrderTable,
  intentId: string,
  amount: number,
): Promise<string | null> {
  const late = await recordLatePayment(ctx, order, amount);
  if (!late) return null;
  await enqueue(
    ctx.db,
    ctx.now(),
    LATE_REFUND_JOB,
    { refund_id: late.refundId, intent_id: intentId },
    { dedupeKey: lateRefundKey(intentId), maxAttempts: LATE_REFUND_ATTEMPTS },
  );
  ctx.log.warn(
    { order: order.id, store: order.store_id, intent: intentId, amount, refund: late.refundId },
    `late payment: ${order.workflow_status} order was paid; the full amount is refunded`,
  );
  return late.refundId;
}

/** Stripe errors that retrying cannot fix (the request itself is refused). */
const refusedForGood = (error: unknown) => {
  const type = (error as { type?: string }).type;
  return (
    type === 'StripeInvalidRequestError' || type === 'StripeCardError' || type === 'StripePermissionError'
  );
};

/**
 * The job: creates the Refund at Stripe (idempotency key from the PaymentIntent id) and records
 * its id on the order, with `order.refunded`; the status stays `pending` until
 * `charge.refund.updated`. A transient failure throws (retried with backoff); a refusal, or the
 * last attempt, marks the refund `failed` and logs an error: the money is then refunded by hand.
 */
export async function lateRefundJob(
  ctx: Ctx,
  payload: { refund_id: string; intent_id: string },
  attempt: number,
): Promise<void> {
  const refund = await findRefund(ctx.db, payload.refund_id);
  if (!refund || refund.status !== 'pending' || refund.provider_refund_id) return;
  const giveUp = async (why: string) => {
    ctx.log.error(
      { order: refund.order_id, store: refund.store_id, intent: payload.intent_id, refund: refund.id, why },
      'late payment: Stripe refund failed for good; refund it by hand',
    );
    await withTx(ctx, (tx) => recordProviderRefund(tx, refund.id, { failed: true }));
  };
  const creds = await stripeCredentials(ctx.db, ctx.config, refund.store_id);
  if (!creds?.secret_key) return giveUp('the store has no active Stripe integration');
  let answer: { id: string; status: string };
  try {
    const created = await stripeClient(ctx.config, creds.secret_key).refunds.create(
      {
        payment_intent: payload.intent_id,
        amount: Number(refund.amount),
        metadata: {
          store_id: refund.store_id,
          order_id: refund.order_id,
          refund_id: refund.id,
          reason: 'late_payment',
        },
      },
      { idempotencyKey: lateRefundKey(payload.intent_id) },
    );
    answer = { id: created.id, status: created.status ?? 'pending' };
  } catch (error) {
    const stripe = describeStripeError(error);
    if (refusedForGood(error) || attempt >= LATE_REFUND_ATTEMPTS) return giveUp(stripe.message);
    throw new Error(`Stripe refund of a late payment failed: ${stripe.message}`);
  }
  await withTx(ctx, (tx) => recordProviderRefund(tx, refund.id, answer));
}
