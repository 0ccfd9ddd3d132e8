import type Stripe from 'stripe';
import { withTx, type Ctx } from '../../lib/context.ts';
import { emit } from '../../lib/events.ts';
import { fromJson, toJson } from '../../lib/json.ts';
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

/** What an event applied, for the webhook to finish after its transaction committed. */
interface Applied {
  note: string | null;
  /** A Stripe subscription a plan switch replaced: cancelled after commit. */
  replaced: string | null;
  /** A subscription that just started: its period end is read from Stripe after commit. */
  started?: string | null;
}

/** The subscription's `payment` with Stripe's ids (CONTRACT §11.2: `provider.profile_id` is the Stripe customer). */
function paymentWith(
  payment: string,
  provider: { profile_id?: string | null; subscription_id?: string | null; price_id?: string | null },
): string {
  const current = fromJson<{ provider?: Record<string, unknown> } & Record<string, unknown>>(payment, {});
  const merged: Record<string, unknown> = { type: 'stripe', ...(current.provider ?? {}) };
  for (const [k, v] of Object.entries(provider)) if (v != null) merged[k] = v;
  return toJson({ ...current, provider: merged });
}

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
    if (!(await recordOnce(tx, 'platform', storeId, event)))
      return { duplicate: true, replaced: null, started: null };
    const res: Applied = storeId
      ? await applyPlatformEvent(tx, storeId, event)
      : { note: 'no store for this customer', replaced: null };
    if (res.note) await markIgnored(tx, 'platform', event, res.note);
    return { duplicate: false, replaced: res.replaced, started: res.started ?? null };
  });
  if (replaced.started && storeId) await recordPeriodEnd(ctx, storeId, replaced.started);
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

/**
 * A Checkout's event names its subscription but not the period: read it from Stripe (after the
 * event's transaction, no lock held) so the store's subscription shows when the period ends. Best
 * effort: on failure the next `customer.subscription.updated` (at the latest the renewal) sets it.
 */
async function recordPeriodEnd(ctx: Ctx, storeId: string, subscriptionId: string): Promise<void> {
  let end: number | null;
  try {
    end = periodEnd((await platformStripe(ctx).subscriptions.retrieve(subscriptionId)) as Sub);
  } catch (error) {
    ctx.log.warn(
      { subscription: subscriptionId, stripe: describeStripeError(error) },
      'could not read the new subscription’s period end',
    );
    return;
  }
  if (end == null) return;
  await withTx(ctx, async (tx) => {
    const billing = await tx.db
      .selectFrom('billing_customers')
      .select('subscription_id')
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    if (billing?.subscription_id !== subscriptionId) return;
    const now = tx.now();
    const res = await tx.db
      .updateTable('subscriptions')
      .set({ end_date: end, updated_at: now })
      .where('store_id', '=', storeId)
      .where('status', '=', 'active')
      .where('end_date', 'is', null)
      .executeTakeFirst();
    await tx.db
      .updateTable('billing_customers')
      .set({ current_period_end: end, updated_at: now })
      .where('store_id', '=', storeId)
      .execute();
    if (Number(res.numUpdatedRows) > 0)
      await emit(tx, 'store.updated', await getStoreById(tx, storeId), storeId);
  });
}

async function applyPlatformEvent(ctx: Ctx, storeId: string, event: Stripe.Event): Promise<Applied> {
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
      const customer = idOf(session.customer) ?? billing?.customer_id ?? null;
      await save(
        {
          plan_id: plan.id,
          pending_plan_id: null,
          status: 'active',
          start_date: now,
          end_date: null,
          payment: paymentWith(sub.payment, {
            profile_id: customer,
            subscription_id: subscriptionId,
            price_id: plan.stripe_price_id,
          }),
        },
        {
          subscription_id: subscriptionId,
          customer_id: customer ?? billing?.customer_id,
          price_id: plan.stripe_price_id,
          payment_failed_at: null,
        },
      );
      return { note: null, replaced, started: subscriptionId };
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
      if (plan && plan.id !== sub.plan_id)
        Object.assign(set, {
          plan_id: plan.id,
          pending_plan_id: null,
          payment: paymentWith(sub.payment, { price_id: price }),
        });
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
