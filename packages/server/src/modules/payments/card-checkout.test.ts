import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call } from '../../../test/fixtures.ts';
import { ADDRESS, guest, stockedProduct } from '../../../test/commerce-fixtures.ts';
import {
  cardStore,
  deliverStripeEvent,
  storeWebhookUrl,
  type CardStore,
} from '../../../test/payment-fixtures.ts';
import { StripeStandIn } from '../../../test/stripe-standin.ts';
import { WebhookReceiver } from '../../../test/webhook-receiver.ts';
import { intentKey } from './card.gateway.ts';
import { RECONCILE_AFTER_SECONDS } from './index.ts';

let t: TestApp;
let stripe: StripeStandIn;
let clock = Math.floor(Date.now() / 1000);
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  stripe = await new StripeStandIn().start();
  t = await createTestApp({ env: { STRIPE_API_URL: stripe.url }, build: { now: () => clock } });
});
afterAll(async () => {
  await t?.close();
  await stripe?.stop();
  for (const r of receivers) await r.stop();
});

const db = () => t.app.deps.db.db;
const level = (variantId: string) =>
  db()
    .selectFrom('inventory_levels')
    .select(['available', 'reserved'])
    .where('variant_id', '=', variantId)
    .executeTakeFirstOrThrow();
const order = (s: CardStore, id: string) =>
  call(t.app, s.owner, { url: `/v1/stores/${s.storeId}/orders/${id}` });
const outboxTypes = async (orderId: string) =>
  (await db().selectFrom('outbox_events').select(['type', 'data']).orderBy('seq').execute())
    .filter((e) => JSON.parse(e.data)?.id === orderId)
    .map((e) => e.type);
/** Makes the named recurring jobs due now and runs one job-runner pass. */
async function runJobs(...kinds: string[]) {
  await t.app.deps.jobs.scheduleRecurring();
  await db().updateTable('jobs').set({ run_at: 0 }).where('kind', 'in', kinds).execute();
  await t.app.deps.jobs.tick();
}
const intentOf = async (orderId: string) =>
  (
    await db()
      .selectFrom('payment_intents')
      .select('intent_id')
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow()
  ).intent_id;

async function cardCheckout(s: CardStore, variantId: string, quantity = 2, extra: object = {}) {
  return call(t.app, s.owner, {
    method: 'POST',
    url: `/v1/stores/${s.storeId}/orders/checkout`,
    payload: {
      market: 'us',
      payment_method_id: 'credit_card',
      items: [{ variant_id: variantId, quantity }],
      shipping_address: ADDRESS,
      shipping_method_id: 'standard',
      ...extra,
    },
  });
}

describe('card checkout', () => {
  it('answers payment_provider_not_configured without an active Stripe integration, holding nothing', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    await call(t.app, s.owner, {
      method: 'DELETE',
      url: `/v1/stores/${s.storeId}/integrations/${s.integrationId}`,
    });
    const res = await cardCheckout(s, variantId);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('payment_provider_not_configured');
    expect(await level(variantId)).toEqual({ available: 5, reserved: 0 });
    expect(await db().selectFrom('orders').select('id').where('store_id', '=', s.storeId).execute()).toEqual(
      [],
    );
  });

  it('pending with a client secret → signed payment_intent.succeeded → confirmed, stock committed, events delivered; the same event twice changes nothing', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5, us: 1999 });
    const receiver = await new WebhookReceiver().start();
    receivers.push(receiver);
    await call(t.app, s.owner, {
      method: 'POST',
      url: `/v1/stores/${s.storeId}/webhooks`,
      payload: {
        key: 'orders',
        url: `${receiver.url}/in`,
        events: ['order.created', 'order.payment_received', 'order.paid', 'order.confirmed'],
      },
    });

    const res = await cardCheckout(s, variantId, 2);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const piId = await intentOf(res.body.order_id);
    const pi = stripe.get(piId)!;
    expect(res.body.client_secret).toBe(pi.client_secret);
    expect(res.body.payment).toMatchObject({
      method_type: 'credit_card',
      paid: 0,
      provider: { type: 'stripe', payment_intent_id: piId },
      status: { status: 'pending' },
    });
    expect(pi).toMatchObject({
      amount: res.body.payment.total,
      currency: 'usd',
      metadata: { store_id: s.storeId, order_id: res.body.order_id },
      status: 'requires_payment_method',
    });
    expect(stripe.requests.find((r) => r.path === '/v1/payment_intents')).toMatchObject({
      apiKey: s.secretKey,
      idempotencyKey: intentKey(res.body.order_id),
    });
    const pending = await order(s, res.body.order_id);
    expect(pending.body.workflow_status).toBe('pending');
    expect(pending.body.items[0].status).toEqual({ status: 'pending', expires_at: clock + 1800 });
    expect(await level(variantId)).toEqual({ available: 3, reserved: 2 });
    // The storefront reads the publishable key, never a secret.
    const sf = await call(t.app, null, { url: `/v1/storefront/${s.storeId}` });
    expect(sf.body.payment).toEqual({
      integration_id: s.integrationId,
      type: 'stripe',
      publishable_key: 'pk_test_storefront',
      currency: 'USD',
    });
    expect(JSON.stringify([res.body, pending.body, sf.body])).not.toContain(s.secretKey);

    const event = stripe.succeed(piId);
    const first = await deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), event, s.webhookSecret);
    expect(first).toEqual({ status: 200, body: { received: true, duplicate: false } });
    const confirmed = await order(s, res.body.order_id);
    expect(confirmed.body).toMatchObject({
      workflow_status: 'confirmed',
      payment: {
        paid: pending.body.payment.total,
        status: { status: 'captured', amount: pending.body.payment.total },
      },
    });
    expect(confirmed.body.items[0].status).toEqual({ status: 'confirmed' });
    expect(await level(variantId)).toEqual({ available: 3, reserved: 0 });
    const types = await outboxTypes(res.body.order_id);
    expect(types).toEqual(
      expect.arrayContaining([
        'order.created',
        'order.payment_received',
        'order.paid',
        'order.confirmed',
        'order.updated',
      ]),
    );

    const again = await deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), event, s.webhookSecret);
    expect(again).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(await outboxTypes(res.body.order_id)).toEqual(types);
    expect(await level(variantId)).toEqual({ available: 3, reserved: 0 });
    expect((await order(s, res.body.order_id)).body).toEqual(confirmed.body);

    await t.app.deps.jobs.tick();
    await receiver.waitFor(4);
    expect(receiver.events()).toEqual([
      'order.created',
      'order.payment_received',
      'order.paid',
      'order.confirmed',
    ]);
    expect(receiver.received.at(-1)!.json.data.workflow_status).toBe('confirmed');
  });

  it('answers 400 to a bad, missing, foreign or stale signature and changes nothing', async () => {
    const s = await cardStore(t.app);
    const other = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    const res = await cardCheckout(s, variantId, 1);
    const event = stripe.succeed(await intentOf(res.body.order_id));
    const url = storeWebhookUrl(s.storeId);
    const cases = [
      await deliverStripeEvent(t.app, url, event, 'whsec_wrong'),
      await deliverStripeEvent(t.app, url, event, other.webhookSecret),
      await deliverStripeEvent(t.app, url, event, s.webhookSecret, ''),
      await deliverStripeEvent(
        t.app,
        url,
        event,
        s.webhookSecret,
        StripeStandIn.sign(event, s.webhookSecret, Math.floor(Date.now() / 1000) - 3600).header,
      ),
      // The right signature over other bytes: the body is verified exactly as received.
      await deliverStripeEvent(
        t.app,
        url,
        { ...event, id: 'evt_forged' },
        s.webhookSecret,
        StripeStandIn.sign(event, s.webhookSecret).header,
      ),
      // Another store's URL with this store's secret.
      await deliverStripeEvent(t.app, storeWebhookUrl(other.storeId), event, s.webhookSecret),
      await deliverStripeEvent(t.app, storeWebhookUrl('store_doesnotexist0000'), event, s.webhookSecret),
    ];
    for (const c of cases) expect(c).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(JSON.stringify(cases)).not.toContain(s.webhookSecret);
    expect((await order(s, res.body.order_id)).body.workflow_status).toBe('pending');
    expect(
      await db()
        .selectFrom('payment_events')
        .select('id')
        .where('store_id', 'in', [s.storeId, other.storeId])
        .execute(),
    ).toEqual([]);
  });

  it('payment_failed → failed with stock back; a late succeeded is recorded, not applied', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 4 });
    const res = await cardCheckout(s, variantId, 3);
    const piId = await intentOf(res.body.order_id);
    expect(await level(variantId)).toEqual({ available: 1, reserved: 3 });
    expect(
      (await deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), stripe.decline(piId), s.webhookSecret))
        .status,
    ).toBe(200);
    const failed = await order(s, res.body.order_id);
    expect(failed.body).toMatchObject({
      workflow_status: 'failed',
      payment: { paid: 0, status: { status: 'failed', reason: 'card_declined' } },
    });
    expect(failed.body.items[0].status).toEqual({ status: 'cancelled', reason: 'payment_failed' });
    expect(await level(variantId)).toEqual({ available: 4, reserved: 0 });
    expect(await outboxTypes(res.body.order_id)).toContain('order.payment_failed');

    const late = stripe.succeed(piId);
    expect((await deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), late, s.webhookSecret)).body).toEqual(
      { received: true, duplicate: false },
    );
    expect((await order(s, res.body.order_id)).body.workflow_status).toBe('failed');
    expect(await level(variantId)).toEqual({ available: 4, reserved: 0 });
    const recorded = await db()
      .selectFrom('payment_events')
      .select(['outcome', 'note'])
      .where('id', '=', `${s.storeId}:${late.id}`)
      .executeTakeFirstOrThrow();
    expect(recorded.outcome).toBe('ignored');
    expect(recorded.note).toContain('failed');
  });

  it('never moves an order backwards: authorized after succeeded is ignored; authorized then succeeded confirms', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 9 });
    const a = await cardCheckout(s, variantId, 1);
    const piA = await intentOf(a.body.order_id);
    const authorizedA = stripe.authorize(piA);
    const succeededA = stripe.succeed(piA);
    await deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), succeededA, s.webhookSecret);
    await deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), authorizedA, s.webhookSecret);
    expect((await order(s, a.body.order_id)).body).toMatchObject({
      workflow_status: 'confirmed',
      payment: { status: { status: 'captured' } },
    });

    const b = await cardCheckout(s, variantId, 1);
    const piB = await intentOf(b.body.order_id);
    await deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), stripe.authorize(piB), s.webhookSecret);
    expect((await order(s, b.body.order_id)).body).toMatchObject({
      workflow_status: 'authorized',
      payment: { status: { status: 'authorized', amount: b.body.payment.total } },
    });
    await deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), stripe.succeed(piB), s.webhookSecret);
    expect((await order(s, b.body.order_id)).body.workflow_status).toBe('confirmed');
    expect(await level(variantId)).toEqual({ available: 7, reserved: 0 });
  });

  it('ignores events for another store’s order or another intent, even when validly signed', async () => {
    const s = await cardStore(t.app);
    const other = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, other.owner, other.storeId, { stock: 3 });
    const res = await cardCheckout(other, variantId, 1);
    const event = stripe.succeed(await intentOf(res.body.order_id));
    // Signed with s's secret (as if s's Stripe account sent it) but about other's order.
    expect((await deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), event, s.webhookSecret)).status).toBe(
      200,
    );
    expect((await order(other, res.body.order_id)).body.workflow_status).toBe('pending');
    expect(
      (
        await db()
          .selectFrom('payment_events')
          .select('outcome')
          .where('id', '=', `${s.storeId}:${event.id}`)
          .executeTakeFirstOrThrow()
      ).outcome,
    ).toBe('ignored');
  });

  it('confirms an order whose webhook overtakes the checkout response', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    const seen: number[] = [];
    stripe.onCreated = async (o) => {
      if (o.object !== 'payment_intent') return;
      const row = await db()
        .selectFrom('orders')
        .select('workflow_status')
        .where('id', '=', o.metadata.order_id)
        .executeTakeFirstOrThrow();
      expect(row.workflow_status).toBe('created');
      const delivered = await deliverStripeEvent(
        t.app,
        storeWebhookUrl(s.storeId),
        stripe.succeed(o.id),
        s.webhookSecret,
      );
      seen.push(delivered.status);
    };
    try {
      const res = await cardCheckout(s, variantId, 2);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(seen).toEqual([200]);
      expect(res.body.client_secret).toMatch(/_secret_/);
      const o = await order(s, res.body.order_id);
      expect(o.body).toMatchObject({ workflow_status: 'confirmed', payment: { paid: o.body.payment.total } });
      expect(o.body.history.map((h: { action: string }) => h.action)).toEqual([
        'created',
        'pending',
        'confirmed',
      ]);
      expect(await level(variantId)).toEqual({ available: 3, reserved: 0 });
      const types = await outboxTypes(res.body.order_id);
      expect(types.filter((x) => x === 'order.created')).toHaveLength(1);
      expect(types.indexOf('order.created')).toBeLessThan(types.indexOf('order.confirmed'));
    } finally {
      stripe.onCreated = null;
    }
  });

  it('answers 502 provider_error when Stripe fails and leaves nothing behind: no order, stock and cart as before', async () => {
    const s = await cardStore(t.app);
    const { variantId, productId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    const shopper = await guest(t.app, s.storeId);
    const cart = await call(t.app, shopper, {
      method: 'POST',
      url: `/v1/storefront/${s.storeId}/carts/current`,
      payload: {},
    });
    await call(t.app, shopper, {
      method: 'POST',
      url: `/v1/storefront/${s.storeId}/carts/${cart.body.id}/items`,
      payload: { item: { product_id: productId, variant_id: variantId, quantity: 2 } },
    });
    await call(t.app, shopper, {
      method: 'PUT',
      url: `/v1/storefront/${s.storeId}/carts/${cart.body.id}`,
      payload: {
        payment_method_id: 'credit_card',
        shipping_address: ADDRESS,
        shipping_method_id: 'standard',
      },
    });
    const events = await db()
      .selectFrom('outbox_events')
      .select('id')
      .where('store_id', '=', s.storeId)
      .execute();
    stripe.fail('POST', /^\/v1\/payment_intents$/, 500);
    try {
      const res = await call(t.app, shopper, {
        method: 'POST',
        url: `/v1/storefront/${s.storeId}/carts/${cart.body.id}/checkout`,
        payload: {},
      });
      expect(res.status, JSON.stringify(res.body)).toBe(502);
      expect(res.body).toMatchObject({ error: 'provider_error', details: { provider: 'stripe' } });
    } finally {
      stripe.heal();
    }
    expect(await level(variantId)).toEqual({ available: 5, reserved: 0 });
    expect(await db().selectFrom('orders').select('id').where('store_id', '=', s.storeId).execute()).toEqual(
      [],
    );
    expect(
      await db().selectFrom('order_items').select('id').where('store_id', '=', s.storeId).execute(),
    ).toEqual([]);
    expect(
      await db().selectFrom('outbox_events').select('id').where('store_id', '=', s.storeId).execute(),
    ).toEqual(events);
    const after = await call(t.app, shopper, { url: `/v1/storefront/${s.storeId}/carts/${cart.body.id}` });
    expect(after.body).toMatchObject({ status: 'active', converted_order_id: null, item_count: 2 });
    // With Stripe back, the same cart checks out and is converted.
    const ok = await call(t.app, shopper, {
      method: 'POST',
      url: `/v1/storefront/${s.storeId}/carts/${cart.body.id}/checkout`,
      payload: {},
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.client_secret).toMatch(/_secret_/);
    expect(
      (await call(t.app, shopper, { url: `/v1/storefront/${s.storeId}/carts/${cart.body.id}` })).body,
    ).toMatchObject({ status: 'converted', converted_order_id: ok.body.order_id });
  });
});

describe('reconciliation and hold expiry (jobs)', () => {
  it('recovers a lost webhook: a pending order quiet for 10 minutes is checked against Stripe and confirmed', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    const res = await cardCheckout(s, variantId, 1);
    stripe.succeed(await intentOf(res.body.order_id)); // the event is never delivered
    await runJobs('payments.reconcile');
    expect((await order(s, res.body.order_id)).body.workflow_status).toBe('pending');
    clock += RECONCILE_AFTER_SECONDS + 60;
    await runJobs('payments.reconcile', 'payments.holds.expire');
    const o = await order(s, res.body.order_id);
    expect(o.body).toMatchObject({ workflow_status: 'confirmed', payment: { paid: o.body.payment.total } });
    expect(await level(variantId)).toEqual({ available: 4, reserved: 0 });
    // A declined payment found by reconciliation fails the order and returns the stock.
    const declined = await cardCheckout(s, variantId, 2);
    stripe.decline(await intentOf(declined.body.order_id));
    clock += RECONCILE_AFTER_SECONDS + 60;
    await runJobs('payments.reconcile');
    expect((await order(s, declined.body.order_id)).body.workflow_status).toBe('failed');
    expect(await level(variantId)).toEqual({ available: 4, reserved: 0 });
  });

  it('cancels an expired hold (reason expired), returns the stock and cancels the PaymentIntent; a hold paid at the last second is confirmed instead', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    const unpaid = await cardCheckout(s, variantId, 2);
    const paid = await cardCheckout(s, variantId, 1);
    const unpaidPi = await intentOf(unpaid.body.order_id);
    stripe.succeed(await intentOf(paid.body.order_id)); // webhook still in flight
    expect(await level(variantId)).toEqual({ available: 2, reserved: 3 });
    clock += 1801;
    await runJobs('payments.holds.expire');
    const cancelled = await order(s, unpaid.body.order_id);
    expect(cancelled.body.workflow_status).toBe('cancelled');
    expect(cancelled.body.items[0].status).toEqual({ status: 'cancelled', reason: 'expired' });
    expect(cancelled.body.history.at(-1)).toMatchObject({ action: 'cancelled', reason: 'expired' });
    expect(stripe.get(unpaidPi)).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    expect((await order(s, paid.body.order_id)).body.workflow_status).toBe('confirmed');
    expect(await level(variantId)).toEqual({ available: 4, reserved: 0 });
    expect(await outboxTypes(unpaid.body.order_id)).toContain('order.cancelled');
  });

  it('still expires the hold when Stripe is unreachable (PaymentIntent cancel is best effort)', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    const res = await cardCheckout(s, variantId, 2);
    clock += 1801;
    stripe.goDown();
    try {
      await runJobs('payments.holds.expire');
    } finally {
      stripe.heal();
    }
    expect((await order(s, res.body.order_id)).body.workflow_status).toBe('cancelled');
    expect(await level(variantId)).toEqual({ available: 5, reserved: 0 });
  });
});
