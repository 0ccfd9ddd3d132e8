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

/**
 * Paid memberships and their Stripe subscriptions stay in step when our side changes its mind
 * (CONTRACT §10.6): an admin withdrawing a scheduled cancellation resumes the subscription; a
 * Checkout completed for a membership that ended (or no longer exists) is not left billing; a
 * membership a profile merge deletes stops its subscription. Each Stripe call runs in a job after
 * the change commits.
 */
let t: TestApp;
let stripe: StripeStandIn;
let s: CardStore;
let clock = 1_950_000_000;
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
      type: { type: 'paid', prices: [{ currency: 'usd', amount: 500, interval: 'month' }] },
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
const adminUrl = (profileId: string) =>
  `/v1/stores/${s.storeId}/profile-lists/${list.id}/members/${profileId}`;
const urls = { success_url: 'https://shop.example/ok', cancel_url: 'https://shop.example/no' };

async function member(email = uniqueEmail('member')): Promise<Caller & { profileId: string }> {
  const res = await call(t.app, null, {
    method: 'POST',
    url: `/v1/storefront/${s.storeId}/profiles/identify`,
    payload: { email },
  });
  return { headers: { authorization: `Bearer ${res.body.token.token}` }, profileId: res.body.profile.id };
}
const subscribe = (who: Caller) =>
  call(t.app, who, { method: 'POST', url: sf(`/${list.id}/subscribe`), payload: urls });
const access = async (who: Caller) => (await call(t.app, who, { url: sf(`/${list.id}/access`) })).body;
const deliver = (event: object) =>
  deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), event, s.webhookSecret);
const sessionOf = (checkoutUrl: string) => checkoutUrl.split('/').pop()!;
const subOf = (event: { data: { object: object } }) =>
  (event.data.object as { subscription: string }).subscription;
const subRequests = (sub: string) =>
  stripe.requests.filter((r) => r.path === `/v1/subscriptions/${sub}` && r.method !== 'GET');
const setStatus = (who: { profileId: string }, status: string) =>
  call(t.app, s.owner, { method: 'PATCH', url: adminUrl(who.profileId), payload: { status } });
/** Runs due jobs twice (a retry after a crash runs a job again). */
async function runJobs() {
  await t.app.deps.jobs.tick();
  clock += 60;
  await t.app.deps.jobs.tick();
}

async function activeMember(who?: Caller & { profileId: string }) {
  const m = who ?? (await member());
  const res = await subscribe(m);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const completed = stripe.completeCheckout(sessionOf(res.body.checkout_url));
  expect((await deliver(completed)).body).toEqual({ received: true, duplicate: false });
  return { who: m, membershipId: res.body.membership.id as string, sub: subOf(completed) };
}

describe('paid memberships follow our side’s changes at Stripe', () => {
  it('an admin withdrawing a scheduled cancellation resumes the subscription (cancel_at_period_end=false)', async () => {
    const { who, sub } = await activeMember();
    expect((await setStatus(who, 'cancellation_scheduled')).status).toBe(200);
    await runJobs();
    expect(stripe.get(sub)).toMatchObject({ status: 'active', cancel_at_period_end: true });
    // Stripe's echo of the scheduling, still in flight.
    const echo = stripe.event('customer.subscription.updated', stripe.get(sub)!);

    clock += 60;
    const resumed = await setStatus(who, 'active');
    expect(resumed.body.membership).toMatchObject({ status: 'active', end_date: null });
    expect(subRequests(sub)).toHaveLength(1); // nothing reached Stripe inside the transaction
    await runJobs();
    expect(stripe.get(sub)).toMatchObject({ status: 'active', cancel_at_period_end: false, cancel_at: null });
    expect(subRequests(sub).map((r) => r.params)).toEqual([
      { cancel_at_period_end: 'true' },
      { cancel_at_period_end: 'false' },
    ]);
    expect(subRequests(sub)[1]!.idempotencyKey).toMatch(`:${sub}:resume:`);
    // The echo arrives after the withdrawal: older news, the membership stays active.
    expect((await deliver(echo)).status).toBe(200);
    expect((await access(who)).membership.status).toBe('active');
  });

  it('schedule then withdraw before any job ran: Stripe ends up not cancelling, whatever order the jobs run in', async () => {
    const { who, sub } = await activeMember();
    expect((await setStatus(who, 'cancellation_scheduled')).status).toBe(200);
    clock += 60;
    expect((await setStatus(who, 'active')).status).toBe(200);
    await runJobs();
    expect(stripe.get(sub)).toMatchObject({ status: 'active', cancel_at_period_end: false });
    expect((await access(who)).membership.status).toBe('active');
  });

  it('a Checkout completed after the membership ended does not leave a subscription billing', async () => {
    const who = await member();
    const res = await subscribe(who);
    const membershipId = res.body.membership.id as string;
    // The store cancels the pending membership while the shopper is still on Stripe's page.
    expect((await setStatus(who, 'cancelled')).body.membership.status).toBe('cancelled');
    const completed = stripe.completeCheckout(sessionOf(res.body.checkout_url));
    const sub = subOf(completed);
    expect(stripe.get(sub)).toMatchObject({ status: 'active' });
    expect((await deliver(completed)).status).toBe(200);
    expect(subRequests(sub)).toEqual([]);
    await runJobs();
    expect(stripe.get(sub)).toMatchObject({ status: 'canceled' });
    expect(subRequests(sub).map((r) => r.method)).toEqual(['DELETE']);
    expect(subRequests(sub)[0]!.idempotencyKey).toMatch(`openarky:membership:${membershipId}:${sub}:cancel:`);
    expect((await access(who)).membership).toMatchObject({ status: 'cancelled' });
    // The same event again changes nothing more.
    expect((await deliver(completed)).body).toEqual({ received: true, duplicate: true });
    await runJobs();
    expect(subRequests(sub)).toHaveLength(1);
  });

  it('a Checkout completed for a removed membership is cancelled too; an active member’s own Checkout is kept', async () => {
    const who = await member();
    const res = await subscribe(who);
    expect((await call(t.app, s.owner, { method: 'DELETE', url: adminUrl(who.profileId) })).status).toBe(200);
    const completed = stripe.completeCheckout(sessionOf(res.body.checkout_url));
    expect((await deliver(completed)).status).toBe(200);
    await runJobs();
    expect(stripe.get(subOf(completed))).toMatchObject({ status: 'canceled' });

    const kept = await activeMember();
    await runJobs();
    expect(stripe.get(kept.sub)).toMatchObject({ status: 'active', cancel_at_period_end: false });
    expect(subRequests(kept.sub)).toEqual([]);
  });

  it('a profile merge that deletes a paid membership cancels its subscription; the surviving one keeps billing', async () => {
    const a = await activeMember();
    const b = await activeMember();
    const merged = await call(t.app, s.owner, {
      method: 'POST',
      url: `/v1/stores/${s.storeId}/profiles/${a.who.profileId}/merge`,
      payload: { source_id: b.who.profileId },
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const left = await t.app.deps.db.db
      .selectFrom('profile_list_members')
      .select(['id', 'provider_ref'])
      .where('profile_list_id', '=', list.id)
      .where('profile_id', '=', a.who.profileId)
      .execute();
    expect(left).toHaveLength(1);
    const kept = left[0]!.provider_ref === a.sub ? a : b;
    const dropped = kept === a ? b : a;
    expect(subRequests(dropped.sub)).toEqual([]);
    await runJobs();
    expect(stripe.get(dropped.sub)).toMatchObject({ status: 'canceled' });
    expect(stripe.get(kept.sub)).toMatchObject({ status: 'active', cancel_at_period_end: false });
    expect(subRequests(kept.sub)).toEqual([]);
  });
});
