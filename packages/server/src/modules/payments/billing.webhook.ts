import type Stripe from 'stripe';
import { withTx, type Ctx } from '../../lib/context.ts';
import { emit } from '../../lib/events.ts';
import { getStoreById } from '../stores/index.ts';
import { platformStripe } from './billing.service.ts';
import { markIgnored, recordOnce, verifyEvent } from './stripe-events.service.ts';
import { describeStripeError } from './stripe.client.ts';
import { canSubscriptionTransition, type SubscriptionStatus } from './transitions.ts';

/** The platform billing webhook: Stripe's subscription events drive the stores' plans. */

type Sub = Stripe.Subscription & { current_period_end?: number };

function periodEnd(sub: Sub): number | null {
  return sub.items?.data?.[0]?.current_period_end ?? sub.current_period_end ?? null;
}

async function storeFor(
  ctx: Ctx,
  metadataStoreId: string | undefined,
  customerId: string | null,
): Promise<string | null> {
  if (metadataStoreId) {
    const store = await ctx.db
      .selectFrom('stores')
      .select('id')
      .where('id', '=', metadataStoreId)
      .executeTakeFirst();
    if (store) return store.id;
  }
  if (!customerId) return null;
  return (
    (
      await ctx.db
        .selectFrom('billing_customers')
        .select('store_id')
        .where('customer_id', '=', customerId)
        .executeTakeFirst()
    )?.store_id ?? null
  );
}

const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

/**
 * `POST /v1/platform/billing/stripe/webhook` (CONTRACT §6.5): verified with STRIPE_WEBHOOK_SECRET,
 * each event applied once; drives the subscription states of seed 003 through
 * `SUBSCRIPTION_TRANSITIONS`. Returns the Stripe subscription a plan switch replaced, if any, for
 * the caller to cancel once the transaction committed.
 */
export async function receivePlatformEvent(
  ctx: Ctx,
  raw: Buffer | undefined,
  signature: string | string[] | undefined,
): Promise<{ received: true; duplicate: boolean }> {
  const event = verifyEvent(raw, signature, ctx.config.stripeWebhookSecret);
  const object = event.data.object as {
    metadata?: Record<string, string> | null;
    customer?: string | { id: string } | null;
  };
  const storeId = await storeFor(ctx, object.metadata?.store_id, idOf(object.customer));
  const replaced = await withTx(ctx, async (tx) => {
    if (!(await recordOnce(tx, 'platform', storeId, event))) return { duplicate: true, replaced: null };
    const res = storeId
      ? await applyPlatformEvent(tx, storeId, event)
      : { note: 'no store for this customer', replaced: null };
    if (res.note) await markIgnored(tx, 'platform', event, res.note);
    return { duplicate: false, replaced: res.replaced };
  });
  if (replaced.replaced) {
    try {
      await platformStripe(ctx).subscriptions.cancel(replaced.replaced);
    } catch (error) {
      ctx.log.warn(
        { subscription: replaced.replaced, stripe: describeStripeError(error) },
        'could not cancel the replaced Stripe subscription',
      );
    }
  }
  return { received: true, duplicate: replaced.duplicate };
}

async function applyPlatformEvent(
  ctx: Ctx,
  storeId: string,
  event: Stripe.Event,
): Promise<{ note: string | null; replaced: string | null }> {
  const now = ctx.now();
  const sub = await ctx.db
    .selectFrom('subscriptions')
    .selectAll()
    .where('store_id', '=', storeId)
    .executeTakeFirst();
  const billing = await ctx.db
    .selectFrom('billing_customers')
    .selectAll()
    .where('store_id', '=', storeId)
    .executeTakeFirst();
  if (!sub) return { note: 'store has no subscription', replaced: null };
  const from = sub.status as SubscriptionStatus;
  const save = async (set: Record<string, unknown>, billingSet: Record<string, unknown> = {}) => {
    await ctx.db
      .updateTable('subscriptions')
      .set({ ...set, updated_at: now })
      .where('id', '=', sub.id)
      .execute();
    if (billing && Object.keys(billingSet).length)
      await ctx.db
        .updateTable('billing_customers')
        .set({ ...billingSet, updated_at: now })
        .where('store_id', '=', storeId)
        .execute();
    await emit(ctx, 'store.updated', await getStoreById(ctx, storeId), storeId);
  };
  const planOfPrice = (price: string | null | undefined) =>
    ctx.config.subscriptionPlans.find((p) => p.stripe_price_id && p.stripe_price_id === price);

  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object as Stripe.Checkout.Session;
      if (session.mode !== 'subscription') return { note: 'not a subscription Checkout', replaced: null };
      const planId = session.metadata?.plan_id;
      const plan = ctx.config.subscriptionPlans.find((p) => p.id === planId);
      if (!plan) return { note: `unknown plan ${planId}`, replaced: null };
      const subscriptionId = idOf(session.subscription);
      const switching =
        (from === 'active' || from === 'cancellation_scheduled') && sub.pending_plan_id === plan.id;
      if (!switching && !canSubscriptionTransition(from, 'active'))
        return { note: `subscription is ${from}`, replaced: null };
      if (!switching && sub.plan_id !== plan.id)
        return { note: `subscription waits for ${sub.plan_id}, not ${plan.id}`, replaced: null };
      const replaced =
        switching && billing?.subscription_id && billing.subscription_id !== subscriptionId
          ? billing.subscription_id
          : null;
      await save(
        { plan_id: plan.id, pending_plan_id: null, status: 'active', start_date: now, end_date: null },
        {
          subscription_id: subscriptionId,
          customer_id: idOf(session.customer) ?? billing?.customer_id,
          price_id: plan.stripe_price_id,
          payment_failed_at: null,
        },
      );
      return { note: null, replaced };
    }
    case 'customer.subscription.updated': {
      const s = event.data.object as Sub;
      if (!billing || billing.subscription_id !== s.id)
        return { note: `subscription ${s.id} is not the store's current one`, replaced: null };
      const end = periodEnd(s);
      const scheduled = s.cancel_at_period_end || s.cancel_at != null;
      const price = s.items?.data?.[0]?.price?.id ?? null;
      const plan = planOfPrice(price);
      const set: Record<string, unknown> = {};
      if (plan && plan.id !== sub.plan_id) Object.assign(set, { plan_id: plan.id, pending_plan_id: null });
      if (scheduled && from !== 'cancellation_scheduled') {
        if (!canSubscriptionTransition(from, 'cancellation_scheduled'))
          return { note: `subscription is ${from}`, replaced: null };
        Object.assign(set, { status: 'cancellation_scheduled', end_date: s.cancel_at ?? end });
      } else if (!scheduled && from === 'cancellation_scheduled') {
        Object.assign(set, { status: 'active', end_date: end });
      } else if (from === 'active' || from === 'cancellation_scheduled') {
        set.end_date = scheduled ? (s.cancel_at ?? end) : end;
      }
      if (!Object.keys(set).length) return { note: 'nothing to change', replaced: null };
      await save(set, { current_period_end: end, price_id: price });
      return { note: null, replaced: null };
    }
    case 'customer.subscription.deleted': {
      const s = event.data.object as Sub;
      if (!billing || billing.subscription_id !== s.id)
        return { note: `subscription ${s.id} is not the store's current one`, replaced: null };
      const to: SubscriptionStatus =
        s.cancellation_details?.reason === 'payment_failed' || billing.payment_failed_at
          ? 'expired'
          : 'cancelled';
      if (!canSubscriptionTransition(from, to))
        return { note: `subscription is ${from}; cannot become ${to}`, replaced: null };
      await save({ status: to, end_date: s.ended_at ?? now }, { subscription_id: null });
      return { note: null, replaced: null };
    }
    case 'invoice.payment_failed': {
      if (!billing) return { note: 'no billing customer', replaced: null };
      ctx.log.warn(
        { store: storeId, stripe_event: event.id },
        'platform subscription invoice payment failed; subscription stays active until Stripe ends it',
      );
      await ctx.db
        .updateTable('billing_customers')
        .set({ payment_failed_at: now, updated_at: now })
        .where('store_id', '=', storeId)
        .execute();
      return { note: null, replaced: null };
    }
    default:
      return { note: `${event.type} is not handled`, replaced: null };
  }
}
