import type Stripe from 'stripe';
import type { Ctx } from '../../lib/context.ts';
import { applyCardOutcome, beginCardPayment, type CardOutcome, type OrderTable } from '../commerce/index.ts';
import { refundLatePayment } from './late-refund.ts';

type Intent = Pick<
  Stripe.PaymentIntent,
  | 'id'
  | 'status'
  | 'amount'
  | 'amount_received'
  | 'amount_capturable'
  | 'last_payment_error'
  | 'customer'
  | 'cancellation_reason'
>;

/**
 * Why the order of an intent cancelled at Stripe (dashboard, API) is cancelled, from the intent's
 * `cancellation_reason`, in the item reasons of CONTRACT §11.6; `other` when Stripe gives none.
 */
function cancelReason(pi: Intent): CancelOutcome['reason'] {
  switch (pi.cancellation_reason) {
    case 'requested_by_customer':
      return 'profile_cancelled';
    case 'duplicate':
    case 'fraudulent':
      return 'admin_rejected';
    case 'abandoned':
      return 'expired';
    default:
      return 'other';
  }
}
type CancelOutcome = Extract<CardOutcome, { kind: 'canceled' }>;

/** What a PaymentIntent event means for its order (CONTRACT §6.5 event table). */
export function outcomeOfEvent(type: string, pi: Intent): CardOutcome | null {
  switch (type) {
    case 'payment_intent.amount_capturable_updated':
      return { kind: 'authorized', amount: pi.amount_capturable };
    case 'payment_intent.succeeded':
      return { kind: 'succeeded', amount: pi.amount_received };
    case 'payment_intent.payment_failed':
      return {
        kind: 'failed',
        reason: pi.last_payment_error?.code ?? pi.last_payment_error?.message ?? null,
      };
    case 'payment_intent.canceled':
      return { kind: 'canceled', reason: cancelReason(pi) };
    default:
      return null;
  }
}

/** What a retrieved PaymentIntent's current status means (reconciliation); null while the customer has not acted. */
export function outcomeOfStatus(pi: Intent): CardOutcome | null {
  switch (pi.status) {
    case 'succeeded':
      return { kind: 'succeeded', amount: pi.amount_received };
    case 'requires_capture':
      return { kind: 'authorized', amount: pi.amount_capturable };
    case 'canceled':
      return { kind: 'canceled', reason: cancelReason(pi) };
    case 'requires_payment_method':
      return pi.last_payment_error ? { kind: 'failed', reason: pi.last_payment_error.code ?? null } : null;
    default:
      return null;
  }
}

/**
 * Brings a locked order in line with its PaymentIntent: records the intent if the checkout has
 * not yet (a webhook that overtook the checkout response), runs the checkout's second step if the
 * order is still `created`, then applies the outcome without ever moving the order backwards.
 * A capture the order can no longer take (it is cancelled or failed) is not applied but refunded
 * in full (`refundLatePayment`: recorded here, sent to Stripe by a job after commit).
 */
export async function applyIntent(
  ctx: Ctx,
  order: OrderTable,
  pi: Intent,
  outcome: CardOutcome | null,
  integrationId: string,
): Promise<{ applied: boolean; note: string | null }> {
  const now = ctx.now();
  const recorded = await ctx.db
    .selectFrom('payment_intents')
    .select(['intent_id'])
    .where('order_id', '=', order.id)
    .executeTakeFirst();
  if (recorded && recorded.intent_id !== pi.id)
    return { applied: false, note: `order ${order.id} is paid through ${recorded.intent_id}, not ${pi.id}` };
  if (!recorded) {
    await ctx.db
      .insertInto('payment_intents')
      .values({
        order_id: order.id,
        store_id: order.store_id,
        integration_id: integrationId,
        intent_id: pi.id,
        status: pi.status,
        amount: pi.amount,
        currency: order.currency,
        last_event_at: now,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('order_id').doNothing())
      .execute();
  }
  const customer = typeof pi.customer === 'string' ? pi.customer : (pi.customer?.id ?? null);
  const current = await beginCardPayment(ctx, order, { id: pi.id, customer });
  await ctx.db
    .updateTable('payment_intents')
    .set({ status: pi.status, last_event_at: now, updated_at: now })
    .where('order_id', '=', order.id)
    .execute();
  if (!outcome) return { applied: true, note: null };
  if (pi.amount !== order.total)
    return { applied: false, note: `intent amount ${pi.amount} differs from order total ${order.total}` };
  const result = await applyCardOutcome(ctx, current, outcome);
  if (result.applied) return { applied: true, note: null };
  if (outcome.kind === 'succeeded') {
    const refundId = await refundLatePayment(ctx, current, pi.id, outcome.amount);
    if (refundId)
      return { applied: false, note: `${result.note}; late payment refunded in full (${refundId})` };
  }
  return { applied: false, note: result.note };
}
