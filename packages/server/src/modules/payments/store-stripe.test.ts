import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { cardStore, deliverStripeEvent, storeWebhookUrl } from '../../../test/payment-fixtures.ts';
import { StripeStandIn } from '../../../test/stripe-standin.ts';
import type { Ctx } from '../../lib/context.ts';
import { MODULES } from '../../app.ts';
import { defineModule } from '../../lib/module.ts';
import { storeStripe, type StoreEventHandler } from './index.ts';

let t: TestApp;
let stripe: StripeStandIn;
const seen: { storeId: string; event: Stripe.Event }[] = [];

beforeAll(async () => {
  stripe = await new StripeStandIn().start();
  // A module selling through stores' own Stripe accounts (as audiences does for paid lists).
  const completed: StoreEventHandler = async (_tx, storeId, event) => {
    seen.push({ storeId, event });
    return null;
  };
  const seller = defineModule({
    name: 'test-seller',
    provides: { stripeStoreEvents: { 'checkout.session.completed': completed } },
  });
  // It replaces audiences, the module that fills this extension point in the app.
  const modules = [...MODULES.filter((m) => m.name !== 'audiences'), seller];
  t = await createTestApp({ env: { STRIPE_API_URL: stripe.url }, build: { modules } });
});
afterAll(async () => {
  await t?.close();
  await stripe?.stop();
});

const ctx = (): Ctx => ({
  db: t.app.deps.db.db,
  config: t.config,
  log: t.app.log,
  now: () => Math.floor(Date.now() / 1000),
  requestId: 'test',
  principal: { kind: 'anonymous' },
  modules: t.app.deps.modules,
});

describe('selling through a store’s own Stripe account (the seam audiences uses for paid lists)', () => {
  it('opens a subscription Checkout on the store’s key and hands its verified completion to the registered handler once', async () => {
    const s = await cardStore(t.app);
    const client = await storeStripe(ctx(), s.storeId);
    const session = await client!.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: 'price_members_monthly', quantity: 1 }],
      success_url: 'https://shop.example/ok',
      metadata: { store_id: s.storeId, list_id: 'list_1' },
      subscription_data: { metadata: { store_id: s.storeId, list_id: 'list_1' } },
    });
    expect(session.url).toMatch(/\/c\/pay\/cs_test_/);
    expect(stripe.requests.at(-1)).toMatchObject({ apiKey: s.secretKey, path: '/v1/checkout/sessions' });
    const event = stripe.completeCheckout(session.id);
    expect(
      (await deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), event, s.webhookSecret)).body,
    ).toEqual({ received: true, duplicate: false });
    expect(
      (await deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), event, s.webhookSecret)).body,
    ).toEqual({ received: true, duplicate: true });
    expect(seen.filter((x) => x.event.id === event.id)).toHaveLength(1);
    expect(seen.at(-1)).toMatchObject({
      storeId: s.storeId,
      event: {
        data: { object: { metadata: { list_id: 'list_1' }, subscription: expect.stringMatching(/^sub_/) } },
      },
    });

    // Another store's session, even delivered with this store's valid signature, never reaches the handler.
    const other = await cardStore(t.app);
    const foreign = await (await storeStripe(ctx(), other.storeId))!.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: 'price_x', quantity: 1 }],
      success_url: 'https://shop.example/ok',
      metadata: { store_id: other.storeId },
    });
    const before = seen.length;
    await deliverStripeEvent(
      t.app,
      storeWebhookUrl(s.storeId),
      stripe.completeCheckout(foreign.id),
      s.webhookSecret,
    );
    expect(seen.length).toBe(before);
    expect(await storeStripe(ctx(), 'store_without_integration')).toBeNull();
  });
});
