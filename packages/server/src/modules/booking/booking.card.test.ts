import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call } from '../../../test/fixtures.ts';
import { at, bookableService, setTimeZone } from '../../../test/booking-fixtures.ts';
import {
  cardStore,
  deliverStripeEvent,
  storeWebhookUrl,
  type CardStore,
} from '../../../test/payment-fixtures.ts';
import { StripeStandIn } from '../../../test/stripe-standin.ts';

/**
 * Card bookings (CONTRACT §6.4 step 4, §6.5, §7.2): a card checkout holds its slots while the
 * order waits for Stripe; the webhook confirms them, a failed payment or an expired hold frees
 * them, and a payment that lands after the hold's `expires_at` can never double-book the slot.
 */
let t: TestApp;
let stripe: StripeStandIn;
let s: CardStore;
let clock = at('2030-03-01T12:00:00Z');

beforeAll(async () => {
  stripe = await new StripeStandIn().start();
  t = await createTestApp({ env: { STRIPE_API_URL: stripe.url }, build: { now: () => clock } });
  s = await cardStore(t.app);
  await setTimeZone(t.app, s.owner, s.storeId, 'America/New_York');
});
afterAll(async () => {
  await t?.close();
  await stripe?.stop();
});

const db = () => t.app.deps.db.db;
/** A Tuesday slot in New York, 10:00–11:00 EDT (after the spring-forward Sunday). */
const slot = { from: at('2030-03-12T10:00-04:00'), to: at('2030-03-12T11:00-04:00') };

const checkout = (serviceId: string, method: 'cash' | 'credit_card') =>
  call(t.app, s.owner, {
    method: 'POST',
    url: `/v1/stores/${s.storeId}/orders/checkout`,
    payload: {
      market: 'us',
      payment_method_id: method,
      items: [{ type: 'service', service_id: serviceId, slots: [slot] }],
    },
  });
const spots = async (serviceId: string) => {
  const res = await call(t.app, s.owner, {
    url: `/v1/stores/${s.storeId}/services/availability?service_id=${serviceId}&from=${slot.from}&to=${slot.to}`,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.providers[0].days[0].slots.find((x: { from: number }) => x.from === slot.from)?.spots ?? 0;
};
const order = async (id: string) =>
  (await call(t.app, s.owner, { url: `/v1/stores/${s.storeId}/orders/${id}` })).body;
const intentOf = async (orderId: string) =>
  (
    await db()
      .selectFrom('payment_intents')
      .select('intent_id')
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow()
  ).intent_id;
const deliver = (event: object) =>
  deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), event, s.webhookSecret);
const activeBookings = async (providerId: string) =>
  db()
    .selectFrom('order_items')
    .select(['order_id', 'status'])
    .where('provider_id', '=', providerId)
    .where('status', '!=', 'cancelled')
    .execute();
async function runJobs(...kinds: string[]) {
  await t.app.deps.jobs.scheduleRecurring();
  await db().updateTable('jobs').set({ run_at: 0 }).where('kind', 'in', kinds).execute();
  await t.app.deps.jobs.tick();
}

describe(`card bookings (${ENGINE})`, () => {
  it('holds the slot until the webhook: pending → 0 spots and 409 for the same slot → succeeded → confirmed', async () => {
    const { service } = await bookableService(t.app, s.owner, s.storeId);
    const res = await checkout(service.id, 'credit_card');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.client_secret).toMatch(/_secret_/);
    const pending = await order(res.body.order_id);
    expect(pending.workflow_status).toBe('pending');
    expect(pending.items[0].status).toEqual({ status: 'pending', expires_at: clock + 1800 });
    expect(await spots(service.id)).toBe(0);
    const again = await checkout(service.id, 'cash');
    expect(again.body).toMatchObject({ error: 'slot_unavailable', details: { field: 'items.0' } });

    expect((await deliver(stripe.succeed(await intentOf(res.body.order_id)))).status).toBe(200);
    const confirmed = await order(res.body.order_id);
    expect(confirmed.workflow_status).toBe('confirmed');
    expect(confirmed.items[0].status).toEqual({ status: 'confirmed' });
    expect(await spots(service.id)).toBe(0);
  });

  it('a failed payment frees the slot', async () => {
    const { service } = await bookableService(t.app, s.owner, s.storeId);
    const res = await checkout(service.id, 'credit_card');
    expect(await spots(service.id)).toBe(0);
    expect((await deliver(stripe.decline(await intentOf(res.body.order_id)))).status).toBe(200);
    const failed = await order(res.body.order_id);
    expect(failed.workflow_status).toBe('failed');
    expect(failed.items[0].status).toEqual({ status: 'cancelled', reason: 'payment_failed' });
    expect(await spots(service.id)).toBe(1);
    expect((await checkout(service.id, 'cash')).status).toBe(201);
  });

  it('an expired hold is cancelled by the job, its PaymentIntent cancelled and its slot freed', async () => {
    const { service } = await bookableService(t.app, s.owner, s.storeId);
    const res = await checkout(service.id, 'credit_card');
    const piId = await intentOf(res.body.order_id);
    clock += 1801;
    try {
      await runJobs('payments.holds.expire');
    } finally {
      clock -= 1801;
    }
    const cancelled = await order(res.body.order_id);
    expect(cancelled.workflow_status).toBe('cancelled');
    expect(cancelled.items[0].status).toEqual({ status: 'cancelled', reason: 'expired' });
    expect(stripe.get(piId)).toMatchObject({ status: 'canceled' });
    expect(await spots(service.id)).toBe(1);
  });

  it('a payment landing after expires_at, before the expiry job ran, never double-books the slot', async () => {
    const { service, providers } = await bookableService(t.app, s.owner, s.storeId);
    const card = await checkout(service.id, 'credit_card');
    expect(card.status).toBe(201);
    const piId = await intentOf(card.body.order_id);
    clock += 1801; // the hold's expires_at has passed; the expiry job has not run yet
    try {
      // While the card order still waits for Stripe, its slot stays held.
      expect(await spots(service.id)).toBe(0);
      const cash = await checkout(service.id, 'cash');
      expect(cash.body).toMatchObject({ error: 'slot_unavailable' });
      // The shopper's payment goes through now: the order keeps the slot it held.
      expect((await deliver(stripe.succeed(piId))).status).toBe(200);
      expect((await order(card.body.order_id)).workflow_status).toBe('confirmed');
      const active = await activeBookings(providers[0].id);
      expect(active).toEqual([{ order_id: card.body.order_id, status: 'confirmed' }]);
      // The expiry job finds nothing left to expire.
      await runJobs('payments.holds.expire');
      expect((await order(card.body.order_id)).workflow_status).toBe('confirmed');
    } finally {
      clock -= 1801;
    }
  });

  it('once the expiry job cancelled the hold, the slot is free again and a late payment changes nothing', async () => {
    const { service, providers } = await bookableService(t.app, s.owner, s.storeId);
    const card = await checkout(service.id, 'credit_card');
    const piId = await intentOf(card.body.order_id);
    clock += 1801;
    try {
      stripe.goDown(); // the PaymentIntent cancel fails (best effort): the hold expires anyway
      try {
        await runJobs('payments.holds.expire');
      } finally {
        stripe.heal();
      }
      expect((await order(card.body.order_id)).workflow_status).toBe('cancelled');
      const cash = await checkout(service.id, 'cash');
      expect(cash.status, JSON.stringify(cash.body)).toBe(201);
      expect((await deliver(stripe.succeed(piId))).status).toBe(200);
      expect((await order(card.body.order_id)).workflow_status).toBe('cancelled');
      expect(await activeBookings(providers[0].id)).toEqual([
        { order_id: cash.body.order_id, status: 'confirmed' },
      ]);
    } finally {
      clock -= 1801;
    }
  });
});
