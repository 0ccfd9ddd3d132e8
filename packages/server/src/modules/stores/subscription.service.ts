import type { Static } from '@sinclair/typebox';
import type { PortalResult, SubscribeBody, SubscribeResult, SubscriptionPlan } from '@openarky/contract';
import type { PlanConfig } from '../../config.ts';
import { withTx, type Ctx, type StoreCtx } from '../../lib/context.ts';
import { AppError, validationError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId, randomBase62 } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';
import { getStoreById } from './store.service.ts';
import { toSubscription } from './store.mapper.ts';
import { requireRole } from '../tenancy/index.ts';

export function listPlans(ctx: Ctx): Static<typeof SubscriptionPlan>[] {
  return ctx.config.subscriptionPlans.map((p) => ({
    ...p,
    price: p.amount,
    provider_price_id: p.stripe_price_id ?? null,
    provider_product_id: null,
  }));
}

const billingDisabled = () =>
  new AppError(
    'billing_disabled',
    'Paid plans need platform billing, which is not configured on this server',
  );

/** Platform billing (the payments module, through Stripe Checkout and the Billing Portal). */
export interface PlatformBilling {
  subscribe(
    ctx: StoreCtx,
    plan: PlanConfig,
    input: Static<typeof SubscribeBody>,
  ): Promise<Static<typeof SubscribeResult>>;
  portal(ctx: StoreCtx, returnUrl: string): Promise<Static<typeof PortalResult>>;
  /** In the transaction moving the store to a free plan: stop billing its paid subscription. */
  leavePaidPlan(tx: StoreCtx): Promise<void>;
}
declare module '../../lib/module.ts' {
  interface Extensions {
    /** Platform billing: the payments module's manifest sets `provides: { platformBilling }`. */
    platformBilling: PlatformBilling;
  }
}
/** Billing is on when STRIPE_SECRET_KEY is set and the payments module is installed. */
const billingFor = (ctx: StoreCtx) =>
  ctx.config.stripeSecretKey ? (ctx.modules.extension('platformBilling') ?? null) : null;

/**
 * Subscribes the store to a plan. A free plan is active at once; a paid plan goes through
 * platform billing (Stripe Checkout) or, when billing is off, answers 400 `billing_disabled`.
 */
export async function subscribe(ctx: StoreCtx, input: Static<typeof SubscribeBody>) {
  requireRole(ctx, 'owner', 'subscribing');
  const plan = ctx.config.subscriptionPlans.find((p) => p.id === input.plan_id);
  if (!plan)
    throw validationError({ field: 'plan_id', reason: 'not_found', message: `No plan ${input.plan_id}` });
  if (plan.amount > 0) {
    const platform = billingFor(ctx);
    if (!platform) throw billingDisabled();
    return platform.subscribe(ctx, plan, input);
  }
  return withTx(ctx, async (tx) => {
    const now = ctx.now();
    await billingFor(tx)?.leavePaidPlan(tx);
    const existing = await tx.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('store_id', '=', ctx.store.id)
      .executeTakeFirst();
    if (existing) {
      await tx.db
        .updateTable('subscriptions')
        .set({
          plan_id: plan.id,
          pending_plan_id: null,
          status: 'active',
          start_date: now,
          end_date: null,
          updated_at: now,
        })
        .where('id', '=', existing.id)
        .execute();
    } else {
      await tx.db
        .insertInto('subscriptions')
        .values({
          id: newId('sub'),
          store_id: ctx.store.id,
          plan_id: plan.id,
          pending_plan_id: null,
          status: 'active',
          payment: toJson({ currency: plan.currency, market: 'us' }),
          start_date: now,
          end_date: null,
          token: randomBase62(32),
          source: 'signup',
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    const row = await tx.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('store_id', '=', ctx.store.id)
      .executeTakeFirstOrThrow();
    await emit(tx, 'store.updated', await getStoreById(tx, ctx.store.id), ctx.store.id);
    return { url: null, checkout_url: null, subscription: toSubscription(row) };
  });
}

export async function createPortalSession(
  ctx: StoreCtx,
  returnUrl: string,
): Promise<Static<typeof PortalResult>> {
  requireRole(ctx, 'owner', 'the billing portal');
  const platform = billingFor(ctx);
  if (!platform) throw billingDisabled();
  return platform.portal(ctx, returnUrl);
}
