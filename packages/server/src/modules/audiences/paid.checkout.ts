import type Stripe from 'stripe';
import type { ListSubscribeBody, ProfileListType } from '@openarky/contract';
import type { Static } from '@sinclair/typebox';
import type { Ctx } from '../../lib/context.ts';
import { sha256 } from '../../lib/crypto.ts';
import { AppError, validationError } from '../../lib/errors.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import { describeStripeError, storeStripe } from '../payments/index.ts';
import type { ProfileListMemberTable, ProfileListTable } from './audiences.table.ts';

/**
 * Paid lists (CONTRACT §10.6): a Stripe Checkout Session in subscription mode on the store's own
 * Stripe account. The membership waits in `pending` until the store's Stripe webhook reports the
 * completed Checkout (`paid.events.ts`).
 */

type ListPrice = NonNullable<ProfileListType['prices']>[number];

/** What a paid subscription needs before any row is written: the store's Stripe and the chosen price. */
export interface PaidPlan {
  stripe: Stripe;
  price: ListPrice;
  successUrl: string;
  cancelUrl: string | undefined;
}

/** The `payment` column of a paid membership (shown to admins and to the member). */
export interface PaidPayment {
  price_id: string;
  currency: string;
  amount: number;
  interval: 'month' | 'year';
  provider: {
    type: 'stripe';
    checkout_session_id: string | null;
    subscription_id: string | null;
    customer_id: string | null;
    /** `created` of the newest Stripe event applied: older events never move the membership. */
    last_event_at: number;
  };
}

export const paymentOf = (row: ProfileListMemberTable): PaidPayment | null =>
  fromJson<PaidPayment | null>(row.payment, null);

/**
 * Checks a paid subscription can start: the store has an active Stripe integration (else 400
 * `payment_provider_not_configured`), `price_id` names one of the list's prices (default: the
 * first), `success_url` is given. Runs before any write.
 */
export async function paidPlan(
  ctx: Ctx,
  storeId: string,
  type: ProfileListType,
  body: Static<typeof ListSubscribeBody>,
): Promise<PaidPlan> {
  const stripe = await storeStripe(ctx, storeId);
  if (!stripe)
    throw new AppError(
      'payment_provider_not_configured',
      'Paid lists need an active Stripe integration on the store',
    );
  const prices = type.prices ?? [];
  const price = body.price_id ? prices.find((p) => p.id === body.price_id) : prices[0];
  if (!price)
    throw validationError({
      field: 'price_id',
      reason: 'invalid_value',
      message: `price_id must be one of ${prices.map((p) => p.id).join(', ')}`,
    });
  if (!body.success_url)
    throw validationError({
      field: 'success_url',
      reason: 'required',
      message: 'A paid list needs success_url (where Stripe Checkout returns)',
    });
  return { stripe, price, successUrl: body.success_url, cancelUrl: body.cancel_url };
}

/**
 * Opens the Checkout Session for a pending membership. The idempotency key derives from the
 * membership's pending cycle and the request, so a retried call gets the same session. A Stripe
 * failure is 502 `provider_error` (the caller removes the pending membership first).
 */
export async function openCheckout(
  ctx: Ctx,
  plan: PaidPlan,
  list: ProfileListTable,
  row: ProfileListMemberTable,
  email: string | null,
): Promise<Stripe.Checkout.Session & { url: string }> {
  const metadata = {
    store_id: list.store_id,
    list_id: list.id,
    membership_id: row.id,
    price_id: plan.price.id,
  };
  const key = sha256(
    JSON.stringify([row.id, row.updated_at, plan.price.id, plan.successUrl, plan.cancelUrl ?? null]),
  );
  let session: Stripe.Checkout.Session;
  try {
    session = await plan.stripe.checkout.sessions.create(
      {
        mode: 'subscription',
        client_reference_id: row.id,
        ...(email ? { customer_email: email } : {}),
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: plan.price.currency.toLowerCase(),
              unit_amount: plan.price.amount,
              recurring: { interval: plan.price.interval },
              product_data: { name: list.name ?? list.key },
            },
          },
        ],
        success_url: plan.successUrl,
        ...(plan.cancelUrl ? { cancel_url: plan.cancelUrl } : {}),
        metadata,
        subscription_data: { metadata },
      },
      { idempotencyKey: `openarky:membership:${row.id}:checkout:${key}` },
    );
  } catch (error) {
    ctx.log.warn({ stripe: describeStripeError(error), membership: row.id }, 'paid list Checkout failed');
    throw new AppError('provider_error', 'Stripe could not open a Checkout Session; try again', {
      provider: 'stripe',
    });
  }
  if (!session.url)
    throw new AppError('provider_error', 'Stripe returned a Checkout Session without a URL', {
      provider: 'stripe',
    });
  return session as Stripe.Checkout.Session & { url: string };
}

/** The pending membership's `payment` once its Checkout Session exists. */
export function pendingPayment(plan: PaidPlan, sessionId: string): string {
  const payment: PaidPayment = {
    price_id: plan.price.id,
    currency: plan.price.currency,
    amount: plan.price.amount,
    interval: plan.price.interval,
    provider: {
      type: 'stripe',
      checkout_session_id: sessionId,
      subscription_id: null,
      customer_id: null,
      last_event_at: 0,
    },
  };
  return toJson(payment);
}
