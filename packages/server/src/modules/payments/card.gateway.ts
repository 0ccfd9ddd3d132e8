import type { Config } from '../../config.ts';
import type { Ctx, Db } from '../../lib/context.ts';
import { stripeCredentials } from '../integrations/index.ts';
import type { CardGateway, CardPayments } from '../commerce/index.ts';
import { stripeClient, type Stripe } from './stripe.client.ts';

/** Idempotency keys derive from our ids, so a retried call can never create a second intent or refund. */
export const intentKey = (orderId: string) => `openarky:order:${orderId}:payment_intent`;
export const refundKey = (refundId: string) => `openarky:refund:${refundId}`;

/**
 * The official Stripe client on the store's own account (its active `stripe` integration), or
 * null. For modules that sell through a store's Stripe (audiences' paid lists: Checkout Sessions);
 * never log or return the client's key.
 */
export async function storeStripe(ctx: Ctx, storeId: string): Promise<Stripe | null> {
  const creds = await stripeCredentials(ctx.db, ctx.config, storeId);
  return creds?.secret_key ? stripeClient(ctx.config, creds.secret_key) : null;
}

/** The gateway of the store's active Stripe integration, or null. Secrets stay in this closure. */
export async function storeGateway(db: Db, config: Config, storeId: string): Promise<CardGateway | null> {
  const creds = await stripeCredentials(db, config, storeId);
  if (!creds?.secret_key) return null;
  const stripe = stripeClient(config, creds.secret_key);
  return {
    integrationId: creds.integration_id,
    async createIntent({ storeId: store, orderId, amount, currency }) {
      const pi = await stripe.paymentIntents.create(
        {
          amount,
          currency: currency.toLowerCase(),
          metadata: { store_id: store, order_id: orderId },
          automatic_payment_methods: { enabled: true },
        },
        { idempotencyKey: intentKey(orderId) },
      );
      if (!pi.client_secret) throw new Error('Stripe returned a PaymentIntent without client_secret');
      return {
        id: pi.id,
        client_secret: pi.client_secret,
        customer: typeof pi.customer === 'string' ? pi.customer : (pi.customer?.id ?? null),
      };
    },
    async refund({ storeId: store, orderId, intentId, refundId, amount }) {
      const refund = await stripe.refunds.create(
        {
          payment_intent: intentId,
          amount,
          metadata: { store_id: store, order_id: orderId, refund_id: refundId },
        },
        { idempotencyKey: refundKey(refundId) },
      );
      return { id: refund.id, status: refund.status ?? 'pending' };
    },
  };
}

/** Stripe behind commerce's card hooks (checkout and refunds); configuration comes with each call's ctx. */
export const cardPayments: CardPayments = {
  gateway: (ctx: Ctx, storeId: string) => storeGateway(ctx.db, ctx.config, storeId),
  async recordIntent(db, { storeId, orderId, integrationId, intent, amount, currency, now }) {
    await db
      .insertInto('payment_intents')
      .values({
        order_id: orderId,
        store_id: storeId,
        integration_id: integrationId,
        intent_id: intent.id,
        status: 'requires_payment_method',
        amount,
        currency,
        last_event_at: now,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('order_id').doNothing())
      .execute();
  },
};
