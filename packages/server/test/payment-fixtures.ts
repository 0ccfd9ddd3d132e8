import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { call, type Caller } from './fixtures.ts';
import { commerceStore } from './commerce-fixtures.ts';
import { StripeStandIn } from './stripe-standin.ts';

export interface CardStore {
  owner: Caller;
  storeId: string;
  integrationId: string;
  secretKey: string;
  webhookSecret: string;
}

/**
 * A commerce store (see `commerceStore`) whose markets take `credit_card` and `cash`, with an
 * active Stripe integration created through the API (fresh secret key = its own stand-in account).
 */
export async function cardStore(app: FastifyInstance): Promise<CardStore> {
  const { owner, storeId } = await commerceStore(app);
  await app.deps.db.db
    .updateTable('markets')
    .set({ payment_methods: JSON.stringify([{ id: 'credit_card' }, { id: 'cash' }]) })
    .where('store_id', '=', storeId)
    .execute();
  const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
  const res = await call(app, owner, {
    method: 'POST',
    url: `/v1/stores/${storeId}/integrations`,
    payload: {
      key: 'stripe',
      provider: {
        type: 'stripe',
        secret_key: secretKey,
        webhook_secret: webhookSecret,
        publishable_key: 'pk_test_storefront',
        currency: 'USD',
        active_for_card_payments: true,
      },
    },
  });
  if (res.status !== 201) throw new Error(`integration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { owner, storeId, integrationId: res.body.id, secretKey, webhookSecret };
}

/** Posts a Stripe event to a store's webhook the way Stripe does (raw body, signed with `secret`). */
export async function deliverStripeEvent(
  app: FastifyInstance,
  url: string,
  event: object,
  secret: string,
  headerOverride?: string,
) {
  const { payload, header } = StripeStandIn.sign(event, secret);
  const res = await app.inject({
    method: 'POST',
    url,
    payload,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': headerOverride ?? header,
    },
  });
  let body: any = null;
  try {
    body = res.json();
  } catch {
    body = res.body;
  }
  return { status: res.statusCode, body };
}

export const storeWebhookUrl = (storeId: string) => `/v1/stores/${storeId}/payments/stripe/webhook`;
export const BILLING_WEBHOOK_URL = '/v1/platform/billing/stripe/webhook';
