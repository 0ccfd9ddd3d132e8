import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../server/test/helpers.ts';
import { StripeStandIn } from '../../server/test/stripe-standin.ts';
import { createStorefrontClient, unwrap, type ArkyClient, type ArkyClientConfig } from '../src/index.ts';
import { liveServer, ownerClient } from './live-server.ts';

const WHSEC = 'whsec_store_sdk_e2e_0123';
const BILLING_WHSEC = 'whsec_platform_sdk_e2e_0123';
let t: TestApp;
let baseUrl: string;
let stripe: StripeStandIn;
let sdk: ArkyClient;
let config: ArkyClientConfig;
let storeId: string;

beforeAll(async () => {
  stripe = await new StripeStandIn().start();
  const plans = [
    { id: 'plan_free', name: 'Free', amount: 0 },
    { id: 'plan_pro', name: 'Pro', amount: 2900, stripe_price_id: 'price_pro' },
  ];
  ({ t, baseUrl } = await liveServer({
    env: {
      STRIPE_API_URL: stripe.url,
      STRIPE_SECRET_KEY: 'sk_test_platform_sdk',
      STRIPE_WEBHOOK_SECRET: BILLING_WHSEC,
      SUBSCRIPTION_PLANS: JSON.stringify(plans),
    },
  }));
  ({ storeId, config, sdk } = await ownerClient(t, baseUrl, { market: 'us' }));
});
afterAll(async () => {
  await t?.close();
  await stripe?.stop();
});

describe('payments through the SDK against the real server and the Stripe stand-in', () => {
  it('a storefront pays by card: client_secret at checkout, the webhook turns the order confirmed', async () => {
    unwrap(await sdk.market.update({ id: 'us', payment_methods: [{ id: 'credit_card' }, { id: 'cash' }] }));
    unwrap(
      await sdk.store.createIntegration({
        key: 'stripe',
        provider: {
          type: 'stripe',
          secret_key: 'sk_test_store_sdk',
          publishable_key: 'pk_test_sdk',
          webhook_secret: WHSEC,
          currency: 'USD',
          active_for_card_payments: true,
        },
      }),
    );
    const product = unwrap(
      await sdk.eshop.product.create({
        key: 'lamp',
        variants: [{ prices: [{ market: 'us', amount: 4500 }], inventory: 2 }],
      }),
    );

    let token: string | null = null;
    const sf = createStorefrontClient({
      ...config,
      getToken: () => token,
      setToken: (v) => void (token = v),
    });
    unwrap(await sf.identify());
    const store = unwrap(await sf.store.getStore({}));
    expect(store.payment).toMatchObject({ type: 'stripe', publishable_key: 'pk_test_sdk', currency: 'USD' });
    const cart = unwrap(await sf.eshop.cart.current());
    unwrap(
      await sf.eshop.cart.addItem({
        id: cart.id,
        item: { product_id: product.id, variant_id: product.variants[0]!.id, quantity: 1 },
      }),
    );
    const co = unwrap(await sf.eshop.cart.checkout({ id: cart.id, payment_method_id: 'credit_card' }));
    expect(co.client_secret).toMatch(/^pi_.+_secret_/);
    expect(unwrap(await sf.eshop.order.get({ id: co.order_id })).workflow_status).toBe('pending');

    // Stripe.js confirms the card with the client secret; Stripe then calls the webhook.
    const piId = co.client_secret!.split('_secret_')[0]!;
    const delivered = await StripeStandIn.send(
      `${baseUrl}/v1/stores/${storeId}/payments/stripe/webhook`,
      stripe.succeed(piId),
      WHSEC,
    );
    expect(delivered.status).toBe(200);
    const order = unwrap(await sf.eshop.order.get({ id: co.order_id }));
    expect(order).toMatchObject({
      workflow_status: 'confirmed',
      payment: { paid: 4500, status: { status: 'captured' } },
    });
  });

  it('sdk.store.subscribe returns the Checkout URL; createPortalSession the portal URL', async () => {
    const sub = unwrap(
      await sdk.store.subscribe({
        plan_id: 'plan_pro',
        success_url: 'https://admin.example/ok',
        cancel_url: 'https://admin.example/no',
      }),
    );
    expect(sub.url).toMatch(/\/c\/pay\/cs_test_/);
    expect(sub.checkout_url).toBe(sub.url);
    expect(sub.subscription.status).toBe('pending');
    await StripeStandIn.send(
      `${baseUrl}/v1/platform/billing/stripe/webhook`,
      stripe.completeCheckout(sub.url!.split('/').at(-1)!),
      BILLING_WHSEC,
    );
    expect(unwrap(await sdk.store.getStore({})).subscription).toMatchObject({
      plan_id: 'plan_pro',
      status: 'active',
    });
    const portal = unwrap(
      await sdk.store.createPortalSession({ returnUrl: 'https://admin.example/billing' }),
    );
    expect(portal.url).toMatch(/\/p\/session\/bps_/);
    expect(portal.portal_url).toBe(portal.url);
  });
});
