import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, createStore, registerAccount, type Caller } from '../../../test/fixtures.ts';
import { BILLING_WEBHOOK_URL, deliverStripeEvent } from '../../../test/payment-fixtures.ts';
import { StripeStandIn } from '../../../test/stripe-standin.ts';

const PLATFORM_KEY = 'sk_test_platform_billing_0123456789';
const BILLING_SECRET = 'whsec_platform_billing_abcdef';
const PLANS = [
  { id: 'plan_free', name: 'Free', amount: 0, currency: 'USD' },
  { id: 'plan_pro', name: 'Pro', amount: 2900, currency: 'USD', stripe_price_id: 'price_pro_monthly' },
  { id: 'plan_max', name: 'Max', amount: 9900, currency: 'USD', stripe_price_id: 'price_max_monthly' },
];

let t: TestApp;
let off: TestApp;
let stripe: StripeStandIn;

beforeAll(async () => {
  stripe = await new StripeStandIn().start();
  t = await createTestApp({
    env: {
      STRIPE_API_URL: stripe.url,
      STRIPE_SECRET_KEY: PLATFORM_KEY,
      STRIPE_WEBHOOK_SECRET: BILLING_SECRET,
      SUBSCRIPTION_PLANS: JSON.stringify(PLANS),
    },
  });
  off = await createTestApp({
    env: { STRIPE_API_URL: stripe.url, SUBSCRIPTION_PLANS: JSON.stringify(PLANS) },
  });
});
afterAll(async () => {
  await t?.close();
  await off?.close();
  await stripe?.stop();
});

const subscribe = (app: TestApp, owner: Caller, storeId: string, plan_id: string) =>
  call(app.app, owner, {
    method: 'PUT',
    url: `/v1/stores/${storeId}/subscribe`,
    payload: {
      plan_id,
      success_url: 'https://admin.example/billing/ok',
      cancel_url: 'https://admin.example/billing/no',
    },
  });
const portal = (app: TestApp, owner: Caller, storeId: string) =>
  call(app.app, owner, {
    method: 'POST',
    url: `/v1/stores/${storeId}/subscription/portal`,
    payload: { returnUrl: 'https://admin.example/settings/billing' },
  });
const subscriptionOf = async (owner: Caller, storeId: string) =>
  (await call(t.app, owner, { url: `/v1/stores/${storeId}` })).body.subscription;
const deliver = (event: object, secret = BILLING_SECRET) =>
  deliverStripeEvent(t.app, BILLING_WEBHOOK_URL, event, secret);

async function store(app = t) {
  const owner = await registerAccount(app.app);
  return { owner, storeId: await createStore(app.app, owner) };
}

describe('platform billing (subscriptions through Stripe)', () => {
  it('subscribe → Checkout URL → webhook → active → portal URL → cancellation at period end → cancelled', async () => {
    const { owner, storeId } = await store();
    const plans = await call(t.app, null, { url: '/v1/stores/plans' });
    expect(plans.body.find((p: { id: string }) => p.id === 'plan_pro')).toMatchObject({
      price: 2900,
      provider_price_id: 'price_pro_monthly',
    });

    const res = await subscribe(t, owner, storeId, 'plan_pro');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.url).toMatch(new RegExp(`^${stripe.url}/c/pay/cs_test_`));
    expect(res.body.checkout_url).toBe(res.body.url);
    expect(res.body.subscription).toMatchObject({
      plan_id: 'plan_pro',
      status: 'pending',
      pending_plan_id: null,
    });
    const sessionId = res.body.url.split('/').at(-1);
    const session = stripe.get(sessionId)!;
    expect(res.body.subscription.payment.provider).toEqual({ type: 'stripe', profile_id: session.customer });
    expect(session).toMatchObject({
      mode: 'subscription',
      metadata: { store_id: storeId, plan_id: 'plan_pro' },
      success_url: 'https://admin.example/billing/ok',
      customer: expect.stringMatching(/^cus_/),
    });
    expect(stripe.get(session.customer)).toMatchObject({
      email: 'billing@example.com',
      metadata: { store_id: storeId },
    });
    expect(
      stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!.params.line_items,
    ).toEqual([{ price: 'price_pro_monthly', quantity: '1' }]);
    expect(JSON.stringify(res.body)).not.toContain(PLATFORM_KEY);

    const completed = stripe.completeCheckout(sessionId);
    expect(await deliver(completed)).toEqual({ status: 200, body: { received: true, duplicate: false } });
    const active = await subscriptionOf(owner, storeId);
    const subId = stripe.get(sessionId)!.subscription;
    const periodEnd = stripe.get(subId)!.items.data[0].current_period_end;
    // The store's subscription shows plan, status, period end and Stripe's ids (CONTRACT §11.2).
    expect(active).toMatchObject({
      plan_id: 'plan_pro',
      status: 'active',
      start_date: expect.any(Number),
      end_date: periodEnd,
      payment: {
        currency: 'USD',
        provider: {
          type: 'stripe',
          profile_id: session.customer,
          subscription_id: subId,
          price_id: 'price_pro_monthly',
        },
      },
    });
    expect(await deliver(completed)).toEqual({ status: 200, body: { received: true, duplicate: true } });

    const p = await portal(t, owner, storeId);
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    expect(p.body.url).toMatch(new RegExp(`^${stripe.url}/p/session/bps_`));
    expect(p.body.portal_url).toBe(p.body.url);
    expect(stripe.list('billing_portal.session').at(-1)).toMatchObject({
      customer: session.customer,
      return_url: 'https://admin.example/settings/billing',
    });

    await deliver(stripe.scheduleCancel(subId));
    expect(await subscriptionOf(owner, storeId)).toMatchObject({
      status: 'cancellation_scheduled',
      plan_id: 'plan_pro',
      end_date: periodEnd,
    });
    await deliver(stripe.endSubscription(subId));
    expect(await subscriptionOf(owner, storeId)).toMatchObject({ status: 'cancelled', plan_id: 'plan_pro' });
    const events = await t.app.deps.db.db
      .selectFrom('outbox_events')
      .select('type')
      .where('store_id', '=', storeId)
      .where('type', '=', 'store.updated')
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(4);
  });

  it('a subscription Stripe ends after failed payments is expired; an invoice failure alone keeps it active', async () => {
    const { owner, storeId } = await store();
    const res = await subscribe(t, owner, storeId, 'plan_pro');
    const sessionId = res.body.url.split('/').at(-1);
    await deliver(stripe.completeCheckout(sessionId));
    const subId = stripe.get(sessionId)!.subscription;
    await deliver(stripe.failInvoice(subId));
    expect((await subscriptionOf(owner, storeId)).status).toBe('active');
    await deliver(stripe.endSubscription(subId, 'payment_failed'));
    expect((await subscriptionOf(owner, storeId)).status).toBe('expired');
    // Final: a late "updated" for the ended subscription changes nothing.
    await deliver(stripe.scheduleCancel(subId));
    expect((await subscriptionOf(owner, storeId)).status).toBe('expired');
  });

  it('an active store choosing another plan keeps it in pending_plan_id until Checkout completes; a portal price change switches plans', async () => {
    const { owner, storeId } = await store();
    const first = await subscribe(t, owner, storeId, 'plan_pro');
    await deliver(stripe.completeCheckout(first.body.url.split('/').at(-1)));
    expect((await subscribe(t, owner, storeId, 'plan_pro')).body).toMatchObject({
      error: 'invalid_transition',
    });
    const upgrade = await subscribe(t, owner, storeId, 'plan_max');
    expect(upgrade.body.subscription).toMatchObject({
      plan_id: 'plan_pro',
      pending_plan_id: 'plan_max',
      status: 'active',
    });
    const upgradeSession = upgrade.body.url.split('/').at(-1);
    const oldSub = stripe.get(first.body.url.split('/').at(-1))!.subscription;
    await deliver(stripe.completeCheckout(upgradeSession));
    const newSub = stripe.get(upgradeSession)!.subscription;
    expect(await subscriptionOf(owner, storeId)).toMatchObject({
      plan_id: 'plan_max',
      pending_plan_id: null,
      status: 'active',
      end_date: stripe.get(newSub)!.items.data[0].current_period_end,
      payment: { provider: { subscription_id: newSub, price_id: 'price_max_monthly' } },
    });
    expect(stripe.get(oldSub)!.status).toBe('canceled'); // the replaced Stripe subscription stops billing
    await deliver(stripe.changePrice(newSub, 'price_pro_monthly'));
    expect(await subscriptionOf(owner, storeId)).toMatchObject({
      plan_id: 'plan_pro',
      status: 'active',
      payment: { provider: { subscription_id: newSub, price_id: 'price_pro_monthly' } },
    });
  });

  it('verifies the billing webhook signature (400) and only the owner may subscribe or open the portal', async () => {
    const { owner, storeId } = await store();
    const res = await subscribe(t, owner, storeId, 'plan_pro');
    const event = stripe.completeCheckout(res.body.url.split('/').at(-1));
    expect(await deliver(event, 'whsec_wrong')).toMatchObject({
      status: 400,
      body: { error: 'bad_request' },
    });
    expect(
      await deliverStripeEvent(t.app, BILLING_WEBHOOK_URL, event, BILLING_SECRET, 't=1,v1=deadbeef'),
    ).toMatchObject({ status: 400 });
    expect((await subscriptionOf(owner, storeId)).status).toBe('pending');
    const admin = await registerAccount(t.app);
    await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/members`,
      payload: { email: admin.email, role: 'admin' },
    });
    expect((await subscribe(t, admin, storeId, 'plan_pro')).status).toBe(403);
    expect((await portal(t, admin, storeId)).status).toBe(403);
    expect((await subscribe(t, owner, storeId, 'plan_nope')).body).toMatchObject({
      error: 'validation_error',
      details: { field: 'plan_id' },
    });
  });

  it('moving to the free plan or deleting the store stops the paid Stripe subscription (after commit, by a job)', async () => {
    const { owner, storeId } = await store();
    const paid = await subscribe(t, owner, storeId, 'plan_pro');
    await deliver(stripe.completeCheckout(paid.body.url.split('/').at(-1)));
    const subId = stripe.get(paid.body.url.split('/').at(-1))!.subscription;
    const free = await subscribe(t, owner, storeId, 'plan_free');
    expect(free.body.subscription).toMatchObject({ plan_id: 'plan_free', status: 'active' });
    expect(stripe.get(subId)!.status).toBe('active');
    await t.app.deps.jobs.tick();
    expect(stripe.get(subId)!.status).toBe('canceled');
    // Stripe's own "deleted" for it no longer touches the store's (free) subscription.
    await deliver(stripe.endSubscription(subId));
    expect(await subscriptionOf(owner, storeId)).toMatchObject({ plan_id: 'plan_free', status: 'active' });

    const other = await store();
    const again = await subscribe(t, other.owner, other.storeId, 'plan_pro');
    await deliver(stripe.completeCheckout(again.body.url.split('/').at(-1)));
    const otherSub = stripe.get(again.body.url.split('/').at(-1))!.subscription;
    expect(
      (await call(t.app, other.owner, { method: 'DELETE', url: `/v1/stores/${other.storeId}` })).status,
    ).toBe(200);
    await t.app.deps.jobs.tick();
    expect(stripe.get(otherSub)!.status).toBe('canceled');
  });

  it('answers 502 when Stripe is down, leaving the subscription as it was', async () => {
    const { owner, storeId } = await store();
    stripe.fail('POST', /^\/v1\/checkout\/sessions$/, 500);
    try {
      expect(await subscribe(t, owner, storeId, 'plan_pro')).toMatchObject({
        status: 502,
        body: { error: 'provider_error' },
      });
    } finally {
      stripe.heal();
    }
    expect(await subscriptionOf(owner, storeId)).toBeNull();
  });

  it('free plans are active at once; a server without billing answers billing_disabled as before', async () => {
    const { owner, storeId } = await store();
    const free = await subscribe(t, owner, storeId, 'plan_free');
    expect(free.body).toMatchObject({
      url: null,
      checkout_url: null,
      subscription: { plan_id: 'plan_free', status: 'active' },
    });
    const requests = stripe.requests.length;
    const o = await store(off);
    expect((await subscribe(off, o.owner, o.storeId, 'plan_free')).body.subscription.status).toBe('active');
    expect(await subscribe(off, o.owner, o.storeId, 'plan_pro')).toMatchObject({
      status: 400,
      body: { error: 'billing_disabled' },
    });
    expect(await portal(off, o.owner, o.storeId)).toMatchObject({
      status: 400,
      body: { error: 'billing_disabled' },
    });
    expect(
      await deliverStripeEvent(
        off.app,
        BILLING_WEBHOOK_URL,
        { id: 'evt_x', object: 'event', type: 'ping', data: { object: {} } },
        'whsec_any',
      ),
    ).toMatchObject({ status: 400 });
    expect(stripe.requests.length).toBe(requests);
  });
});
