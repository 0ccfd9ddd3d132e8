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
import { describeStripeError, stripeClient } from './stripe.client.ts';

const providerError = (error: unknown, ctx: Ctx, what: string) => {
  ctx.log.warn({ stripe: describeStripeError(error) }, `${what} failed`);
  return new AppError('provider_error', `Stripe could not ${what}; try again`, { provider: 'stripe' });
};

/** The official client on the platform's own Stripe account (STRIPE_SECRET_KEY). */
export function platformStripe(ctx: Ctx): Stripe {
  return stripeClient(ctx.config, ctx.config.stripeSecretKey!);
}

/**
 * The store's Stripe customer, created once (idempotency key from the store id). Always exactly one
 * recorded phase, found or created, so a retry after a crash replays the route's phases in step.
 */
async function customerOf(ctx: StoreCtx, stripe: Stripe): Promise<string> {
  const row = await ctx.db
    .selectFrom('billing_customers')
    .select('customer_id')
    .where('store_id', '=', ctx.store.id)
    .executeTakeFirst();
  let created: string | null = null;
  if (!row) {
    const store = await getStoreById(ctx, ctx.store.id);
    try {
      const customer = await stripe.customers.create(
        { email: store.emails.billing, name: store.key, metadata: { store_id: store.id } },
        { idempotencyKey: `openarky:store:${store.id}:customer` },
      );
      created = customer.id;
    } catch (error) {
      throw providerError(error, ctx, 'create the billing customer');
    }
  }
  const now = ctx.now();
  return withTx(ctx, async (tx) => {
    if (created)
      await tx.db
        .insertInto('billing_customers')
        .values({
          store_id: ctx.store.id,
          customer_id: created,
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
      await tx.db
        .selectFrom('billing_customers')
        .select('customer_id')
        .where('store_id', '=', ctx.store.id)
        .executeTakeFirstOrThrow()
    ).customer_id;
  });
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
      provider: { type: 'stripe', profile_id: customer },
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
