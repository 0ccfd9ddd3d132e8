import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, createStore, registerAccount } from '../../../test/fixtures.ts';
import { ADDRESS, stockedProduct } from '../../../test/commerce-fixtures.ts';
import {
  BILLING_WEBHOOK_URL,
  cardStore,
  deliverStripeEvent,
  storeWebhookUrl,
} from '../../../test/payment-fixtures.ts';
import { StripeStandIn } from '../../../test/stripe-standin.ts';
import { RECONCILE_AFTER_SECONDS } from './index.ts';

/**
 * Secrets never in responses or logs (issue 11, CONTRACT §6.5, §10.3): every Stripe path —
 * integration setup and reads, card checkout (and its 502), webhooks (good and forged), refunds
 * (and their 502), reconciliation and expiry with Stripe down, platform subscribe and portal —
 * runs with the server logging at `debug`, and neither a store's secret key and webhook secret nor
 * the platform's STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET nor a PaymentIntent's client secret
 * appears in a log line; the store's and the platform's secrets appear in no response either.
 */
const PLATFORM_KEY = 'sk_test_platform_never_logged_0123456789';
const BILLING_SECRET = 'whsec_platform_never_logged_abcdef';
const PLANS = [
  { id: 'plan_free', name: 'Free', amount: 0, currency: 'USD' },
  { id: 'plan_pro', name: 'Pro', amount: 2900, currency: 'USD', stripe_price_id: 'price_pro_monthly' },
];

let t: TestApp;
let stripe: StripeStandIn;
let clock = Math.floor(Date.now() / 1000);
const logLines: string[] = [];
const responses: string[] = [];

beforeAll(async () => {
  stripe = await new StripeStandIn().start();
  t = await createTestApp({
    env: {
      STRIPE_API_URL: stripe.url,
      STRIPE_SECRET_KEY: PLATFORM_KEY,
      STRIPE_WEBHOOK_SECRET: BILLING_SECRET,
      SUBSCRIPTION_PLANS: JSON.stringify(PLANS),
      LOG_LEVEL: 'debug',
    },
    build: { now: () => clock, logStream: { write: (line) => void logLines.push(line) } },
  });
});
afterAll(async () => {
  await t?.close();
  await stripe?.stop();
});

const db = () => t.app.deps.db.db;
/** `call`, keeping every response body for the final check. */
const req = async (...args: Parameters<typeof call>) => {
  const res = await call(...args);
  responses.push(JSON.stringify(res.body));
  return res;
};
async function runJobs(...kinds: string[]) {
  await t.app.deps.jobs.scheduleRecurring();
  await db().updateTable('jobs').set({ run_at: 0 }).where('kind', 'in', kinds).execute();
  await t.app.deps.jobs.tick();
}

describe('Stripe secrets', () => {
  it('never appear in responses or logs, on any payment path, including failures', async () => {
    const s = await cardStore(t.app);
    const base = `/v1/stores/${s.storeId}`;
    responses.push(JSON.stringify((await req(t.app, s.owner, { url: `${base}/integrations` })).body));
    await req(t.app, s.owner, { url: `${base}/integrations/${s.integrationId}` });
    await req(t.app, null, { url: `/v1/storefront/${s.storeId}` });
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 20 });
    const checkout = () =>
      req(t.app, s.owner, {
        method: 'POST',
        url: `${base}/orders/checkout`,
        payload: {
          market: 'us',
          payment_method_id: 'credit_card',
          items: [{ variant_id: variantId, quantity: 1 }],
          shipping_address: ADDRESS,
          shipping_method_id: 'standard',
        },
      });

    // Stripe refuses the PaymentIntent: 502, logged as a warning.
    stripe.fail('POST', /^\/v1\/payment_intents$/, 500);
    try {
      expect((await checkout()).status).toBe(502);
    } finally {
      stripe.heal();
    }
    const paid = await checkout();
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    const clientSecrets = [paid.body.client_secret as string];
    const piId = paid.body.payment.provider.payment_intent_id as string;
    const forged = await deliverStripeEvent(
      t.app,
      storeWebhookUrl(s.storeId),
      stripe.succeed(piId),
      'whsec_forged',
    );
    expect(forged.status).toBe(400);
    responses.push(JSON.stringify(forged.body));
    const event = stripe.succeed(piId);
    expect((await deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), event, s.webhookSecret)).status).toBe(
      200,
    );

    // Refunds: one refused by Stripe (502), one accepted.
    stripe.fail('POST', /^\/v1\/refunds$/, 402);
    try {
      expect(
        (
          await req(t.app, s.owner, {
            method: 'POST',
            url: `${base}/orders/${paid.body.order_id}/refund`,
            payload: { amount: 100 },
          })
        ).status,
      ).toBe(502);
    } finally {
      stripe.heal();
    }
    expect(
      (
        await req(t.app, s.owner, {
          method: 'POST',
          url: `${base}/orders/${paid.body.order_id}/refund`,
          payload: { amount: 100 },
        })
      ).status,
    ).toBe(200);

    // Reconciliation and hold expiry with Stripe unreachable: warnings only.
    const unpaid = await checkout();
    clientSecrets.push(unpaid.body.client_secret as string);
    clock += RECONCILE_AFTER_SECONDS + 1801;
    stripe.goDown();
    try {
      await runJobs('payments.reconcile', 'payments.holds.expire');
    } finally {
      stripe.heal();
    }

    // Platform billing: subscribe (Stripe down, then up), portal, a forged and a valid webhook.
    const owner = await registerAccount(t.app);
    const storeId = await createStore(t.app, owner);
    const subscribe = () =>
      req(t.app, owner, {
        method: 'PUT',
        url: `/v1/stores/${storeId}/subscribe`,
        payload: {
          plan_id: 'plan_pro',
          success_url: 'https://a.example/ok',
          cancel_url: 'https://a.example/no',
        },
      });
    stripe.goDown();
    try {
      expect((await subscribe()).status).toBe(502);
    } finally {
      stripe.heal();
    }
    const sub = await subscribe();
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    const session = stripe.list('checkout.session').at(-1)!;
    const completed = stripe.completeCheckout(session.id);
    expect((await deliverStripeEvent(t.app, BILLING_WEBHOOK_URL, completed, 'whsec_x')).status).toBe(400);
    expect((await deliverStripeEvent(t.app, BILLING_WEBHOOK_URL, completed, BILLING_SECRET)).status).toBe(
      200,
    );
    expect((await req(t.app, owner, { url: `/v1/stores/${storeId}` })).body.subscription.status).toBe(
      'active',
    );
    await req(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/subscription/portal`,
      payload: { return_url: 'https://a.example/billing' },
    });
    await t.app.deps.jobs.tick();

    // The scenario did log (requests, the Stripe failures): the check below is not vacuous.
    const logs = logLines.join('\n');
    expect(logs).toContain('PaymentIntent creation failed');
    expect(logs).toContain('provider refund failed');
    expect(logs).toContain('reconciliation: PaymentIntent retrieve failed');
    for (const secret of [s.secretKey, s.webhookSecret, PLATFORM_KEY, BILLING_SECRET, ...clientSecrets]) {
      expect(secret.length).toBeGreaterThan(10);
      expect(logs).not.toContain(secret);
    }
    const bodies = responses.join('\n');
    expect(bodies).toContain(clientSecrets[0]); // the storefront needs it; the check is not vacuous
    for (const secret of [s.secretKey, s.webhookSecret, PLATFORM_KEY, BILLING_SECRET])
      expect(bodies).not.toContain(secret);
  });
});
