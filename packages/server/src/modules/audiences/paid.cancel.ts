import { Type, type Static } from '@sinclair/typebox';
import type Stripe from 'stripe';
import type { MembershipStatus } from '@openarky/contract';
import type { Ctx } from '../../lib/context.ts';
import { enqueue, jobKind } from '../../lib/jobs.ts';
import { toJson } from '../../lib/json.ts';
import { describeStripeError, storeStripe } from '../payments/index.ts';
import type { ProfileListMemberTable } from './audiences.table.ts';
import { isEnded } from './list.rules.ts';
import { paymentOf } from './paid.checkout.ts';

/**
 * A paid membership's change on our side reaches its Stripe subscription (CONTRACT §10.6). The
 * status change and this job commit together; the job calls Stripe after commit (no HTTP inside
 * the transaction, a rollback cancels nothing) and the runner retries it on failure.
 *
 * - At period end (`cancel_at_period_end`): the member's one-click unsubscribe, or an admin's move
 *   to `cancellation_scheduled`. The membership keeps access until the period it paid for ends;
 *   the `customer.subscription.deleted` Stripe sends then moves it to `cancelled`.
 * - Resume (`resume`, `cancel_at_period_end=false`): an admin withdrawing a scheduled cancellation
 *   (`cancellation_scheduled` → `active`).
 * - At once: an admin's move to `cancelled` / `expired`, the member's removal (by an admin, or by
 *   a profile merge that keeps the other profile's membership of the list), or a Checkout that
 *   completed for a membership that had ended or no longer exists (its new subscription would bill
 *   for nothing). The membership is already ended, so the later `customer.subscription.deleted`
 *   changes nothing (an ended membership never moves; a removed one is not found).
 *
 * Period-end and resume requests follow the membership's status when the job runs (it acts only
 * if the membership still wants it), so a schedule and a withdrawal queued back to back converge
 * on the last decision whatever order their jobs run in.
 */
export const CANCEL_PAID_SUBSCRIPTION_JOB = jobKind(
  'audiences.paid.cancel_subscription',
  Type.Object({
    store_id: Type.String(),
    membership_id: Type.String(),
    subscription_id: Type.String(),
    at_period_end: Type.Boolean(),
    /** Withdraw a scheduled cancellation (`cancel_at_period_end=false`); absent in older jobs. */
    resume: Type.Optional(Type.Boolean()),
    /** When the membership changed: part of the Stripe idempotency key of this request. */
    requested_at: Type.Integer(),
  }),
);
type CancelPayload = Static<typeof CANCEL_PAID_SUBSCRIPTION_JOB.payload>;

const modeOf = (p: Pick<CancelPayload, 'at_period_end' | 'resume'>) =>
  p.resume ? 'resume' : p.at_period_end ? 'cancel_at_period_end' : 'cancel';

/** One queued job per subscription and kind of change (the suffixes predate `resume`). */
const DEDUPE_SUFFIX = { cancel: 'now', cancel_at_period_end: 'period_end', resume: 'resume' } as const;

async function queue(tx: Ctx, payload: CancelPayload): Promise<void> {
  const suffix = DEDUPE_SUFFIX[modeOf(payload)];
  await enqueue(tx.db, tx.now(), CANCEL_PAID_SUBSCRIPTION_JOB, payload, {
    dedupeKey: `${CANCEL_PAID_SUBSCRIPTION_JOB.kind}:${payload.subscription_id}:${suffix}`,
    maxAttempts: 10,
  });
}

/**
 * In the caller's transaction, after `row` moved to `to` (or was removed): queues the Stripe
 * change when a running paid membership stops, is scheduled to stop, or has a scheduled stop
 * withdrawn. Returns the `payment` to store with the change: its `last_event_at` is the change's
 * time, so a Stripe event older than the decision (a withdrawal, or a scheduling, sent before it)
 * cannot undo it.
 */
export async function syncPaidSubscription(
  tx: Ctx,
  row: ProfileListMemberTable,
  to: MembershipStatus | 'removed',
): Promise<Pick<ProfileListMemberTable, 'payment'> | Record<string, never>> {
  const subscriptionId = row.provider_ref;
  if (!subscriptionId || isEnded(row.status) || to === row.status) return {};
  const atPeriodEnd = to === 'cancellation_scheduled';
  const resume = row.status === 'cancellation_scheduled' && to === 'active';
  if (!atPeriodEnd && !resume && to !== 'removed' && !isEnded(to)) return {};
  await queue(tx, {
    store_id: row.store_id,
    membership_id: row.id,
    subscription_id: subscriptionId,
    at_period_end: atPeriodEnd,
    ...(resume ? { resume: true } : {}),
    requested_at: tx.now(),
  });
  const payment = paymentOf(row);
  if (!payment) return {};
  const lastEventAt = Math.max(payment.provider.last_event_at ?? 0, tx.now());
  return { payment: toJson({ ...payment, provider: { ...payment.provider, last_event_at: lastEventAt } }) };
}

/**
 * A subscription Stripe created for a membership that cannot take it (ended, removed, or holding
 * another subscription): cancelled at once by the job, after the webhook's transaction commits.
 */
export async function cancelStraySubscription(
  tx: Ctx,
  storeId: string,
  membershipId: string,
  subscriptionId: string,
): Promise<void> {
  await queue(tx, {
    store_id: storeId,
    membership_id: membershipId,
    subscription_id: subscriptionId,
    at_period_end: false,
    requested_at: tx.now(),
  });
}

const periodEndOf = (sub: Stripe.Subscription & { current_period_end?: number }) =>
  sub.cancel_at ?? sub.items?.data?.[0]?.current_period_end ?? sub.current_period_end ?? null;

/**
 * The job: cancels (or schedules the cancellation of) the subscription on the store's Stripe
 * account, under an idempotency key of the membership, the subscription and the change, so a
 * second run replays Stripe's first answer instead of acting again; a run that finds the
 * subscription already ended (or already set to end at period end) asks nothing. A subscription
 * Stripe no longer has is done. At period end, the period's end becomes the
 * membership's `end_date` while it is still scheduled for that subscription.
 */
export async function cancelPaidSubscriptionJob(ctx: Ctx, p: CancelPayload): Promise<void> {
  const stripe = await storeStripe(ctx, p.store_id);
  if (!stripe) {
    ctx.log.warn(
      { store: p.store_id, membership: p.membership_id },
      'no Stripe integration: subscription not cancelled',
    );
    return;
  }
  const mode = modeOf(p);
  const idempotencyKey = `openarky:membership:${p.membership_id}:${p.subscription_id}:${mode}:${p.requested_at}`;
  if (mode !== 'cancel') {
    const wanted = mode === 'resume' ? 'active' : 'cancellation_scheduled';
    const row = await ctx.db
      .selectFrom('profile_list_members')
      .select('status')
      .where('id', '=', p.membership_id)
      .where('provider_ref', '=', p.subscription_id)
      .executeTakeFirst();
    // A later decision (or a later job) owns the subscription now.
    if (row?.status !== wanted) return;
  }
  try {
    const current = await stripe.subscriptions.retrieve(p.subscription_id);
    if (current.status === 'canceled' || current.status === 'incomplete_expired') return;
    if (mode === 'cancel') {
      await stripe.subscriptions.cancel(p.subscription_id, {}, { idempotencyKey });
      return;
    }
    if (mode === 'resume') {
      if (current.cancel_at_period_end)
        await stripe.subscriptions.update(
          p.subscription_id,
          { cancel_at_period_end: false },
          { idempotencyKey },
        );
      return;
    }
    const sub = current.cancel_at_period_end
      ? current
      : await stripe.subscriptions.update(
          p.subscription_id,
          { cancel_at_period_end: true },
          { idempotencyKey },
        );
    await ctx.db
      .updateTable('profile_list_members')
      .set({ end_date: periodEndOf(sub) })
      .where('id', '=', p.membership_id)
      .where('provider_ref', '=', p.subscription_id)
      .where('status', '=', 'cancellation_scheduled')
      .execute();
  } catch (error) {
    if ((error as { code?: string }).code === 'resource_missing') return;
    throw new Error(`Stripe subscription cancel failed: ${describeStripeError(error).message}`);
  }
}
