import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call } from '../../../test/fixtures.ts';
import { stockedProduct } from '../../../test/commerce-fixtures.ts';
import {
  cardStore,
  deliverStripeEvent,
  storeWebhookUrl,
  type CardStore,
} from '../../../test/payment-fixtures.ts';
import { StripeStandIn } from '../../../test/stripe-standin.ts';
import { refundKey } from './card.gateway.ts';

let t: TestApp;
let stripe: StripeStandIn;

beforeAll(async () => {
  stripe = await new StripeStandIn().start();
  t = await createTestApp({ env: { STRIPE_API_URL: stripe.url } });
});
afterAll(async () => {
  await t?.close();
  await stripe?.stop();
});

const db = () => t.app.deps.db.db;

/** A confirmed card order of `total` (one unit at that price, no shipping, market eu: tax inside). */
async function paidOrder(total: number): Promise<{ s: CardStore; orderId: string; piId: string }> {
  const s = await cardStore(t.app);
  const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { eu: total, stock: 10 });
  const res = await call(t.app, s.owner, {
    method: 'POST',
    url: `/v1/stores/${s.storeId}/orders/checkout`,
    payload: {
      market: 'eu',
      payment_method_id: 'credit_card',
      items: [{ variant_id: variantId, quantity: 1 }],
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.payment.total).toBe(total);
  const piId = res.body.payment.provider.payment_intent_id as string;
  await deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), stripe.succeed(piId), s.webhookSecret);
  return { s, orderId: res.body.order_id, piId };
}

const refund = (s: CardStore, orderId: string, amount: number, seedRoute = false) =>
  seedRoute
    ? call(t.app, s.owner, {
        method: 'POST',
        url: `/v1/stores/${s.storeId}/refund`,
        payload: { id: s.storeId, entity: orderId, amount },
      })
    : call(t.app, s.owner, {
        method: 'POST',
        url: `/v1/stores/${s.storeId}/orders/${orderId}/refund`,
        payload: { amount },
      });

describe('card refunds through Stripe', () => {
  it('refunds partially on both routes, pending until charge.refund.updated, up to the captured amount', async () => {
    const { s, orderId, piId } = await paidOrder(5000);
    const first = await refund(s, orderId, 1200);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.workflow_status).toBe('confirmed');
    const [r1] = first.body.payment.refunds;
    expect(r1).toMatchObject({
      total: 1200,
      status: 'pending',
      provider_refund_id: expect.stringMatching(/^re_/),
    });
    expect(stripe.get(r1.provider_refund_id)).toMatchObject({
      amount: 1200,
      payment_intent: piId,
      metadata: { order_id: orderId, refund_id: r1.id, store_id: s.storeId },
    });
    expect(
      stripe.requests.find((r) => r.path === '/v1/refunds' && r.params.metadata?.refund_id === r1.id),
    ).toMatchObject({ apiKey: s.secretKey, idempotencyKey: refundKey(r1.id) });

    const second = await refund(s, orderId, 800, true);
    expect(second.status).toBe(200);
    // Both refunds usually share a created_at second: time-ordered ids keep them in creation order.
    expect(second.body.payment.refunds.map((r: { total: number }) => r.total)).toEqual([1200, 800]);

    const settled = await deliverStripeEvent(
      t.app,
      storeWebhookUrl(s.storeId),
      stripe.settleRefund(r1.provider_refund_id),
      s.webhookSecret,
    );
    expect(settled.status).toBe(200);
    const order = await call(t.app, s.owner, { url: `/v1/stores/${s.storeId}/orders/${orderId}` });
    const byTotal = (rs: { total: number; status: string }[]) =>
      Object.fromEntries(rs.map((r) => [r.total, r.status]));
    expect(byTotal(order.body.payment.refunds)).toEqual({ 1200: 'succeeded', 800: 'pending' });

    const over = await refund(s, orderId, 3001);
    expect(over).toMatchObject({
      status: 400,
      body: { error: 'refund_exceeds_captured', details: { refundable: 3000 } },
    });
    expect((await refund(s, orderId, 3000)).status).toBe(200);
    expect(await refund(s, orderId, 1)).toMatchObject({ status: 400, body: { details: { refundable: 0 } } });
    const refundedAtStripe = stripe
      .list('refund')
      .filter((r) => r.payment_intent === piId)
      .reduce((a, r) => a + r.amount, 0);
    expect(refundedAtStripe).toBe(5000);
    const events = await db()
      .selectFrom('outbox_events')
      .select('type')
      .where('store_id', '=', s.storeId)
      .where('type', '=', 'order.refunded')
      .execute();
    expect(events).toHaveLength(3);
  });

  it('a refund Stripe fails no longer counts: its amount is refundable again', async () => {
    const { s, orderId } = await paidOrder(2000);
    const r = await refund(s, orderId, 2000);
    const providerId = r.body.payment.refunds[0].provider_refund_id;
    expect((await refund(s, orderId, 1)).status).toBe(400);
    await deliverStripeEvent(
      t.app,
      storeWebhookUrl(s.storeId),
      stripe.settleRefund(providerId, 'failed'),
      s.webhookSecret,
    );
    const order = await call(t.app, s.owner, { url: `/v1/stores/${s.storeId}/orders/${orderId}` });
    expect(order.body.payment.refunds[0]).toMatchObject({ status: 'failed' });
    expect((await refund(s, orderId, 500)).status).toBe(200);
    // A failed refund never turns back into a pending or succeeded one.
    const replay = stripe.event('charge.refund.updated', { ...stripe.get(providerId)!, status: 'succeeded' });
    await deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), replay, s.webhookSecret);
    const after = await call(t.app, s.owner, { url: `/v1/stores/${s.storeId}/orders/${orderId}` });
    expect(
      after.body.payment.refunds.find(
        (x: { provider_refund_id: string }) => x.provider_refund_id === providerId,
      ).status,
    ).toBe('failed');
  });

  it('never exceeds the captured amount under 10 concurrent refund requests', async () => {
    const { s, orderId, piId } = await paidOrder(1000);
    stripe.latencyMs = 20;
    let results;
    try {
      results = await Promise.all(Array.from({ length: 10 }, (_, i) => refund(s, orderId, 300, i % 2 === 0)));
    } finally {
      stripe.latencyMs = 0;
    }
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status !== 200);
    expect(ok).toHaveLength(3);
    expect(refused.every((r) => r.status === 400 && r.body.error === 'refund_exceeds_captured')).toBe(true);
    const rows = await db()
      .selectFrom('refunds')
      .select(['amount', 'status'])
      .where('order_id', '=', orderId)
      .execute();
    expect(rows.reduce((a, r) => a + Number(r.amount), 0)).toBe(900);
    expect(
      stripe
        .list('refund')
        .filter((r) => r.payment_intent === piId)
        .reduce((a, r) => a + r.amount, 0),
    ).toBe(900);
    expect((await refund(s, orderId, 100)).status).toBe(200);
    expect((await refund(s, orderId, 1)).body.details).toEqual({ refundable: 0 });
  });

  it('calls Stripe with no lock held: while Stripe creates a refund, another refund and that refund’s webhook complete', async () => {
    const { s, orderId } = await paidOrder(1000);
    const during: { second?: number; webhook?: number } = {};
    let first = true;
    stripe.onCreated = async (o) => {
      if (o.object !== 'refund' || !first) return;
      first = false;
      // Were the order row (or SQLite's writer) held across the Stripe call, these would wait forever.
      during.second = (await refund(s, orderId, 100)).status;
      during.webhook = (
        await deliverStripeEvent(
          t.app,
          storeWebhookUrl(s.storeId),
          stripe.settleRefund(o.id),
          s.webhookSecret,
        )
      ).status;
    };
    let res;
    try {
      res = await refund(s, orderId, 300);
    } finally {
      stripe.onCreated = null;
    }
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(during).toEqual({ second: 200, webhook: 200 });
    // The webhook settled the first refund before its request finished: it stays succeeded.
    expect(
      res.body.payment.refunds.map((r: { total: number; status: string }) => [r.total, r.status]).sort(),
    ).toEqual([
      [100, 'pending'],
      [300, 'succeeded'],
    ]);
  });

  it('answers 502 when Stripe refuses; the refund is recorded failed and the amount stays refundable', async () => {
    const { s, orderId } = await paidOrder(1500);
    stripe.fail('POST', /^\/v1\/refunds$/, 500);
    const keyed = () =>
      call(t.app, s.owner, {
        method: 'POST',
        url: `/v1/stores/${s.storeId}/orders/${orderId}/refund`,
        payload: { amount: 700 },
        headers: { 'idempotency-key': `refund-${orderId}` },
      });
    try {
      // With an Idempotency-Key too: marking the refund failed is a recorded write, not a 500.
      const res = await keyed();
      expect(res).toMatchObject({ status: 502, body: { error: 'provider_error' } });
    } finally {
      stripe.heal();
    }
    const rows = await db()
      .selectFrom('refunds')
      .select(['amount', 'status'])
      .where('order_id', '=', orderId)
      .execute();
    expect(rows).toEqual([{ amount: 700, status: 'failed' }]);
    expect((await refund(s, orderId, 1500)).status).toBe(200);
  });

  it('refuses to refund an unpaid card order (nothing captured)', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { eu: 900 });
    const res = await call(t.app, s.owner, {
      method: 'POST',
      url: `/v1/stores/${s.storeId}/orders/checkout`,
      payload: {
        market: 'eu',
        payment_method_id: 'credit_card',
        items: [{ variant_id: variantId, quantity: 1 }],
      },
    });
    expect(await refund(s, res.body.order_id, 1)).toMatchObject({
      status: 400,
      body: { error: 'refund_exceeds_captured', details: { refundable: 0 } },
    });
    expect(stripe.list('refund').filter((r) => r.metadata?.order_id === res.body.order_id)).toEqual([]);
  });
});
