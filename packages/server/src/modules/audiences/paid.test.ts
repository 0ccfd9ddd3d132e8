import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, uniqueEmail, type Caller } from '../../../test/fixtures.ts';
import {
  cardStore,
  deliverStripeEvent,
  storeWebhookUrl,
  type CardStore,
} from '../../../test/payment-fixtures.ts';
import { StripeStandIn } from '../../../test/stripe-standin.ts';

let t: TestApp;
let stripe: StripeStandIn;
let s: CardStore;
let clock = 1_900_000_000;
let list: { id: string };

beforeAll(async () => {
  stripe = await new StripeStandIn().start();
  stripe.now = () => clock;
  t = await createTestApp({ env: { STRIPE_API_URL: stripe.url }, build: { now: () => clock } });
  s = await cardStore(t.app);
  const res = await call(t.app, s.owner, {
    method: 'POST',
    url: `/v1/stores/${s.storeId}/profile-lists`,
    payload: {
      key: 'club',
      name: 'Members club',
      type: {
        type: 'paid',
        prices: [
          { currency: 'usd', amount: 500, interval: 'month' },
          { id: 'yearly', currency: 'usd', amount: 5000, interval: 'year' },
        ],
      },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  list = res.body;
});
afterAll(async () => {
  await t?.close();
  await stripe?.stop();
});
beforeEach(() => {
  clock += 60;
  stripe.heal();
});

const sf = (path: string) => `/v1/storefront/${s.storeId}/profile-lists${path}`;
const urls = { success_url: 'https://shop.example/ok', cancel_url: 'https://shop.example/no' };

async function member(): Promise<Caller & { profileId: string }> {
  const res = await call(t.app, null, {
    method: 'POST',
    url: `/v1/storefront/${s.storeId}/profiles/identify`,
    payload: { email: uniqueEmail('member') },
  });
  return { headers: { authorization: `Bearer ${res.body.token.token}` }, profileId: res.body.profile.id };
}

const subscribe = (who: Caller, payload: object = urls) =>
  call(t.app, who, { method: 'POST', url: sf(`/${list.id}/subscribe`), payload });
const access = async (who: Caller) => (await call(t.app, who, { url: sf(`/${list.id}/access`) })).body;
const deliver = (event: object) =>
  deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), event, s.webhookSecret);
const sessionOf = (checkoutUrl: string) => checkoutUrl.split('/').pop()!;

async function subscriberAdded(membershipId: string): Promise<number> {
  const rows = await t.app.deps.db.db
    .selectFrom('outbox_events')
    .select('data')
    .where('store_id', '=', s.storeId)
    .where('type', '=', 'audience.subscriber_added')
    .execute();
  return rows.filter((r) => JSON.parse(r.data).membership.id === membershipId).length;
}

/** A member with an active paid membership; returns the Stripe subscription id. */
async function activeMember() {
  const who = await member();
  const res = await subscribe(who);
  const completed = stripe.completeCheckout(sessionOf(res.body.checkout_url));
  expect((await deliver(completed)).body).toEqual({ received: true, duplicate: false });
  const sub = (completed.data.object as { subscription: string }).subscription;
  return { who, membershipId: res.body.membership.id as string, sub, completed };
}

describe('paid lists (Stripe Checkout on the store’s account)', () => {
  it('subscribe opens a subscription Checkout; the signed webhook activates the membership once', async () => {
    const who = await member();
    const res = await subscribe(who, { ...urls, price_id: 'yearly' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.checkout_url).toMatch(/\/c\/pay\/cs_test_/);
    expect(res.body.membership).toMatchObject({
      status: 'pending',
      plan_id: 'yearly',
      payment: { price_id: 'yearly', amount: 5000, interval: 'year', provider: { type: 'stripe' } },
    });
    const request = stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!;
    expect(request).toMatchObject({
      apiKey: s.secretKey,
      params: {
        mode: 'subscription',
        client_reference_id: res.body.membership.id,
        line_items: [
          {
            price_data: { currency: 'usd', unit_amount: '5000', recurring: { interval: 'year' } },
            quantity: '1',
          },
        ],
        metadata: { store_id: s.storeId, list_id: list.id, membership_id: res.body.membership.id },
        subscription_data: { metadata: { membership_id: res.body.membership.id } },
      },
    });
    expect(request.idempotencyKey).toMatch(/^openarky:membership:/);
    expect(await access(who)).toMatchObject({ has_access: false, membership: { status: 'pending' } });

    const completed = stripe.completeCheckout(sessionOf(res.body.checkout_url));
    expect((await deliver(completed)).body).toEqual({ received: true, duplicate: false });
    expect((await deliver(completed)).body).toEqual({ received: true, duplicate: true });
    const sub = (completed.data.object as { subscription: string }).subscription;
    expect(await access(who)).toMatchObject({
      has_access: true,
      membership: {
        status: 'active',
        start_date: clock,
        payment: { provider: { subscription_id: sub, customer_id: expect.stringMatching(/^cus_/) } },
      },
    });
    expect(await subscriberAdded(res.body.membership.id)).toBe(1);
  });

  it('drives active → cancellation_scheduled → cancelled; older or late events never move it back', async () => {
    const { who, membershipId, sub, completed } = await activeMember();
    clock += 60;
    const scheduled = stripe.scheduleCancel(sub);
    clock += 60;
    const resumed = stripe.resume(sub);
    clock += 60;
    const scheduledAgain = stripe.scheduleCancel(sub);
    // Out of order: the newest first, then the older ones are recorded but change nothing.
    expect((await deliver(scheduledAgain)).status).toBe(200);
    const periodEnd = (scheduledAgain.data.object as { cancel_at: number }).cancel_at;
    expect((await access(who)).membership).toMatchObject({
      status: 'cancellation_scheduled',
      end_date: periodEnd,
    });
    await deliver(resumed);
    await deliver(scheduled);
    expect((await access(who)).membership.status).toBe('cancellation_scheduled');
    // A newer withdrawal is applied (the member kept the subscription in the portal).
    clock += 60;
    expect((await deliver(stripe.resume(sub))).status).toBe(200);
    expect((await access(who)).membership).toMatchObject({ status: 'active', end_date: null });
    expect(await subscriberAdded(membershipId)).toBe(1);

    clock += 60;
    await deliver(stripe.endSubscription(sub));
    expect(await access(who)).toMatchObject({
      has_access: false,
      membership: { status: 'cancelled', end_date: clock },
    });
    // The same Checkout reported again under a new event id cannot revive an ended membership.
    clock += 60;
    await deliver(stripe.event('checkout.session.completed', completed.data.object));
    expect((await access(who)).membership.status).toBe('cancelled');
  });

  it('expires when Stripe gives up collecting payment; a subscription event may overtake the Checkout', async () => {
    const { who, sub } = await activeMember();
    clock += 60;
    await deliver(stripe.endSubscription(sub, 'payment_failed'));
    expect((await access(who)).membership.status).toBe('expired');

    // A former member pays again; here customer.subscription.updated arrives before the Checkout.
    const again = await subscribe(who);
    expect(again.body.membership.status).toBe('pending');
    const completed = stripe.completeCheckout(sessionOf(again.body.checkout_url));
    const next = (completed.data.object as { subscription: string }).subscription;
    clock += 60;
    const updated = stripe.scheduleCancel(next);
    await deliver(updated);
    expect((await access(who)).membership).toMatchObject({ status: 'cancellation_scheduled' });
    await deliver(completed);
    expect((await access(who)).membership.status).toBe('cancellation_scheduled');
  });

  it('a Stripe failure answers 502 provider_error and leaves no membership behind', async () => {
    const who = await member();
    stripe.fail('POST', /^\/v1\/checkout\/sessions$/);
    const res = await subscribe(who);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ error: 'provider_error', details: { provider: 'stripe' } });
    const members = await call(t.app, s.owner, {
      url: `/v1/stores/${s.storeId}/profile-list-members?profile_id=${who.profileId}`,
    });
    expect(members.body.items).toEqual([]);
    expect(await access(who)).toEqual({ has_access: false, membership: null });

    const bad = await subscribe(who, { ...urls, price_id: 'weekly' });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toMatchObject({ field: 'price_id', reason: 'invalid_value' });
    const noUrl = await subscribe(who, {});
    expect(noUrl.body.details).toMatchObject({ field: 'success_url', reason: 'required' });
  });

  describe('a membership ended on our side stops its Stripe subscription (after commit, once)', () => {
    const adminUrl = (profileId: string) =>
      `/v1/stores/${s.storeId}/profile-lists/${list.id}/members/${profileId}`;
    const subRequests = (sub: string) =>
      stripe.requests.filter((r) => r.path === `/v1/subscriptions/${sub}` && r.method !== 'GET');
    /** Runs the membership's cancellation job, then runs it again as a retry after a crash would. */
    async function runJobTwice(membershipId: string) {
      await t.app.deps.jobs.tick();
      const job = t.app.deps.db.db
        .updateTable('jobs')
        .set({ state: 'pending', run_at: clock, attempts: 0 })
        .where('kind', '=', 'audiences.paid.cancel_subscription')
        .where('payload', 'like', `%${membershipId}%`);
      expect(Number((await job.executeTakeFirst()).numUpdatedRows)).toBe(1);
      clock += 60;
      await t.app.deps.jobs.tick();
    }

    it('unsubscribe: cancellation_scheduled until the period end, cancel_at_period_end set once', async () => {
      const { who, membershipId, sub } = await activeMember();
      const token = (await access(who)).membership.token;
      const unsubscribe = () => call(t.app, null, { url: sf(`/unsubscribe?token=${token}`) });
      const unsubscribedAt = clock;
      expect((await unsubscribe()).body).toEqual({ unsubscribed: true });
      // Nothing reached Stripe inside the transaction.
      expect(subRequests(sub)).toEqual([]);
      expect(await access(who)).toMatchObject({
        has_access: true,
        membership: { status: 'cancellation_scheduled', end_date: null },
      });
      await runJobTwice(membershipId);
      const stripeSub = stripe.get(sub)!;
      expect(stripeSub).toMatchObject({ status: 'active', cancel_at_period_end: true });
      const requests = subRequests(sub);
      expect(requests.map((r) => r.params)).toEqual([{ cancel_at_period_end: 'true' }]);
      expect(requests[0]!.idempotencyKey).toBe(
        `openarky:membership:${membershipId}:${sub}:cancel_at_period_end:${unsubscribedAt}`,
      );
      expect((await access(who)).membership).toMatchObject({
        status: 'cancellation_scheduled',
        end_date: stripeSub.cancel_at,
      });
      // A repeated unsubscribe answers the same and asks Stripe nothing more.
      expect((await unsubscribe()).body).toEqual({ unsubscribed: true });
      await t.app.deps.jobs.tick();
      expect(subRequests(sub)).toHaveLength(1);
      // Stripe's echo of the change is older news; at period end the deletion ends the membership.
      await deliver(stripe.event('customer.subscription.updated', stripeSub));
      expect((await access(who)).membership.status).toBe('cancellation_scheduled');
      clock += 60;
      await deliver(stripe.endSubscription(sub));
      expect(await access(who)).toMatchObject({ has_access: false, membership: { status: 'cancelled' } });
    });

    it('admin removal cancels at once; the later subscription.deleted finds nothing to move', async () => {
      const { who, membershipId, sub } = await activeMember();
      const removed = await call(t.app, s.owner, { method: 'DELETE', url: adminUrl(who.profileId) });
      expect(removed.status).toBe(200);
      expect(subRequests(sub)).toEqual([]);
      await runJobTwice(membershipId);
      expect(stripe.get(sub)).toMatchObject({ status: 'canceled', canceled_at: clock - 60 });
      expect(subRequests(sub).map((r) => r.method)).toEqual(['DELETE']);
      expect(subRequests(sub)[0]!.idempotencyKey).toMatch(`:${sub}:cancel:`);
      const deleted = await deliver(stripe.event('customer.subscription.deleted', stripe.get(sub)!));
      expect(deleted.body).toEqual({ received: true, duplicate: false });
      expect(await access(who)).toEqual({ has_access: false, membership: null });
    });

    it('admin update to cancelled cancels at once; the later subscription.deleted does not move it', async () => {
      const { who, membershipId, sub } = await activeMember();
      const res = await call(t.app, s.owner, {
        method: 'PATCH',
        url: adminUrl(who.profileId),
        payload: { status: 'cancelled' },
      });
      expect(res.body.membership).toMatchObject({ status: 'cancelled', end_date: clock });
      const endDate = clock;
      await runJobTwice(membershipId);
      expect(stripe.get(sub)).toMatchObject({ status: 'canceled' });
      expect(subRequests(sub)).toHaveLength(1);
      clock += 60;
      await deliver(stripe.event('customer.subscription.deleted', stripe.get(sub)!));
      expect((await access(who)).membership).toMatchObject({ status: 'cancelled', end_date: endDate });
    });
  });
});
