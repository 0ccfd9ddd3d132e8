import type Stripe from 'stripe';
import type { PortalResult, SubscribeBody, SubscribeResult } from '@openarky/contract';
import type { PlanConfig } from '../../config.ts';
import { withTx, type Ctx, type StoreCtx } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { enqueue, jobKind } from '../../lib/jobs.ts';
import { Type } from '@sinclair/typebox';
import { newId, randomBase62 } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';
import { getStoreById, toSubscription, type PlatformBilling } from '../stores/index.ts';
import { markIgnored, recordOnce, verifyEvent } from './stripe-events.service.ts';
import { describeStripeError, stripeClient } from './stripe.client.ts';
import { canSubscriptionTransition, type SubscriptionStatus } from './transitions.ts';

const providerError = (error: unknown, ctx: Ctx, what: string) => {
  ctx.log.warn({ stripe: describeStripeError(error) }, `${what} failed`);
  return new AppError('provider_error', `Stripe could not ${what}; try again`, { provider: 'stripe' });
};

function platformStripe(ctx: Ctx): Stripe {
  return stripeClient(ctx.config, ctx.config.stripeSecretKey!);
}

/** The store's Stripe customer, created once (idempotency key from the store id). */
async function customerOf(ctx: StoreCtx, stripe: Stripe): Promise<string> {
  const row = await ctx.db
    .selectFrom('billing_customers')
    .select('customer_id')
    .where('store_id', '=', ctx.store.id)
    .executeTakeFirst();
  if (row) return row.customer_id;
  const store = await getStoreById(ctx, ctx.store.id);
  let customer: Stripe.Customer;
  try {
    customer = await stripe.customers.create(
      { email: store.emails.billing, name: store.key, metadata: { store_id: store.id } },
      { idempotencyKey: `openarky:store:${store.id}:customer` },
    );
  } catch (error) {
    throw providerError(error, ctx, 'create the billing customer');
  }
  const now = ctx.now();
  await ctx.db
    .insertInto('billing_customers')
    .values({
      store_id: store.id,
      customer_id: customer.id,
      subscription_id: null,
      checkout_session_id: null,
      price_id: null,
      current_period_end: null,
      payment_failed_at: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('store_id').doNothing())
    .execute();
  return (
    await ctx.db
      .selectFrom('billing_customers')
      .select('customer_id')
      .where('store_id', '=', store.id)
      .executeTakeFirstOrThrow()
  ).customer_id;
}

/**
 * Paid plan (CONTRACT §4, §6.5): a Stripe Checkout Session (mode `subscription`, metadata
 * `{ store_id, plan_id }`) whose URL is returned as `url` and `checkout_url`. A store without an
 * ongoing subscription waits in `pending`; an active one records the plan in `pending_plan_id`.
 * The platform billing webhook finishes the change.
 */
async function subscribePaid(
  ctx: StoreCtx,
  plan: PlanConfig,
  input: SubscribeBody,
): Promise<SubscribeResult> {
  const existing = await ctx.db
    .selectFrom('subscriptions')
    .selectAll()
    .where('store_id', '=', ctx.store.id)
    .executeTakeFirst();
  const ongoing = existing && (existing.status === 'active' || existing.status === 'cancellation_scheduled');
  if (ongoing && existing.plan_id === plan.id)
    throw new AppError('invalid_transition', `The store is already on ${plan.id}`, {
      from: existing.status,
      to: 'active',
    });
  const stripe = platformStripe(ctx);
  const customer = await customerOf(ctx, stripe);
  let session: Stripe.Checkout.Session;
  try {
    const metadata = { store_id: ctx.store.id, plan_id: plan.id };
    session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer,
      client_reference_id: ctx.store.id,
      line_items: [{ price: plan.stripe_price_id!, quantity: 1 }],
      success_url: input.success_url,
      cancel_url: input.cancel_url,
      metadata,
      subscription_data: {
        metadata,
        ...(plan.trial_period_days > 0 && !existing ? { trial_period_days: plan.trial_period_days } : {}),
      },
    });
  } catch (error) {
    throw providerError(error, ctx, 'open a Checkout Session');
  }
  if (!session.url)
    throw new AppError('provider_error', 'Stripe returned a Checkout Session without a URL', {
      provider: 'stripe',
    });
  return withTx(ctx, async (tx) => {
    const now = tx.now();
    const current = await tx.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('store_id', '=', ctx.store.id)
      .executeTakeFirst();
    const payment = toJson({
      currency: plan.currency,
      market: 'us',
      provider: { type: 'stripe', customer_id: customer },
    });
    if (!current) {
      await tx.db
        .insertInto('subscriptions')
        .values({
          id: newId('sub'),
          store_id: ctx.store.id,
          plan_id: plan.id,
          pending_plan_id: null,
          status: 'pending',
          payment,
          start_date: null,
          end_date: null,
          token: randomBase62(32),
          source: 'signup',
          created_at: now,
          updated_at: now,
        })
        .execute();
    } else if (current.status === 'active' || current.status === 'cancellation_scheduled') {
      await tx.db
        .updateTable('subscriptions')
        .set({ pending_plan_id: plan.id, updated_at: now })
        .where('id', '=', current.id)
        .execute();
    } else {
      // pending (another Checkout abandoned), cancelled or expired: a new lifecycle starts.
      await tx.db
        .updateTable('subscriptions')
        .set({
          plan_id: plan.id,
          pending_plan_id: null,
          status: 'pending',
          payment,
          start_date: null,
          end_date: null,
          updated_at: now,
        })
        .where('id', '=', current.id)
        .execute();
    }
    await tx.db
      .updateTable('billing_customers')
      .set({ checkout_session_id: session.id, updated_at: now })
      .where('store_id', '=', ctx.store.id)
      .execute();
    const row = await tx.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('store_id', '=', ctx.store.id)
      .executeTakeFirstOrThrow();
    await emit(tx, 'store.updated', await getStoreById(tx, ctx.store.id), ctx.store.id);
    return { url: session.url, checkout_url: session.url, subscription: toSubscription(row) };
  });
}

/** A Billing Portal Session for the store's Stripe customer (`url` and `portal_url`). */
async function portal(ctx: StoreCtx, returnUrl: string): Promise<PortalResult> {
  const stripe = platformStripe(ctx);
  const customer = await customerOf(ctx, stripe);
  try {
    const session = await stripe.billingPortal.sessions.create({ customer, return_url: returnUrl });
    return { url: session.url, portal_url: session.url };
  } catch (error) {
    throw providerError(error, ctx, 'open a Billing Portal Session');
  }
}

/** Job that cancels a Stripe subscription after the transaction that dropped it committed. */
export const CANCEL_SUBSCRIPTION_JOB = jobKind(
  'payments.billing.cancel_subscription',
  Type.Object({ subscription_id: Type.String() }),
);

/**
 * Stops billing the store's Stripe subscription (free plan chosen, store deleted): the
 * subscription is detached in the caller's transaction and cancelled by a job after commit, so
 * no Stripe call runs inside the transaction and a rollback cancels nothing.
 */
export async function dropPaidSubscription(ctx: Ctx, storeId: string): Promise<void> {
  const row = await ctx.db
    .selectFrom('billing_customers')
    .select('subscription_id')
    .where('store_id', '=', storeId)
    .executeTakeFirst();
  if (!row?.subscription_id) return;
  await enqueue(
    ctx.db,
    ctx.now(),
    CANCEL_SUBSCRIPTION_JOB,
    { subscription_id: row.subscription_id },
    { dedupeKey: `${CANCEL_SUBSCRIPTION_JOB.kind}:${row.subscription_id}`, maxAttempts: 10 },
  );
  await ctx.db
    .updateTable('billing_customers')
    .set({ subscription_id: null, updated_at: ctx.now() })
    .where('store_id', '=', storeId)
    .execute();
}

/** The job: cancel at Stripe; a subscription Stripe no longer knows is done. */
export async function cancelSubscriptionJob(ctx: Ctx, subscriptionId: string): Promise<void> {
  if (!ctx.config.stripeSecretKey) return;
  try {
    await platformStripe(ctx).subscriptions.cancel(subscriptionId);
  } catch (error) {
    if ((error as { code?: string }).code === 'resource_missing') return;
    throw new Error(`Stripe subscription cancel failed: ${describeStripeError(error).message}`);
  }
}

export const platformBilling: PlatformBilling = {
  subscribe: subscribePaid,
  portal,
  leavePaidPlan: (tx) => dropPaidSubscription(tx, tx.store.id),
};

// ---- the platform billing webhook ----

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
