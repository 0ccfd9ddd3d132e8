import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call } from '../../../test/fixtures.ts';
import { ADDRESS, stockedProduct } from '../../../test/commerce-fixtures.ts';
import {
  cardStore,
  deliverStripeEvent,
  storeWebhookUrl,
  type CardStore,
} from '../../../test/payment-fixtures.ts';
import { StripeStandIn } from '../../../test/stripe-standin.ts';

/**
 * Money taken for an order that can no longer take it (issue 11 follow-up): a hold expires while
 * Stripe is unreachable, so the order is cancelled but its PaymentIntent stays live; the shopper
 * then pays. The payment is refunded in full, exactly once, by a job (never inside the webhook's
 * transaction), and reconciliation keeps trying to cancel the intent until Stripe answers.
 */

let t: TestApp;
let stripe: StripeStandIn;
let clock = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  stripe = await new StripeStandIn().start();
  t = await createTestApp({ env: { STRIPE_API_URL: stripe.url }, build: { now: () => clock } });
});
afterAll(async () => {
  await t?.close();
  await stripe?.stop();
});

const db = () => t.app.deps.db.db;
const order = async (s: CardStore, id: string) =>
  (await call(t.app, s.owner, { url: `/v1/stores/${s.storeId}/orders/${id}` })).body;
const level = (variantId: string) =>
  db()
    .selectFrom('inventory_levels')
    .select(['available', 'reserved'])
    .where('variant_id', '=', variantId)
    .executeTakeFirstOrThrow();
const intentOf = async (orderId: string) =>
  (
    await db()
      .selectFrom('payment_intents')
      .select('intent_id')
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow()
  ).intent_id;
/** Cancel requests Stripe received for the intent. */
const cancelsOf = (piId: string) =>
  stripe.requests.filter((r) => r.path === `/v1/payment_intents/${piId}/cancel`).length;
const refundsAtStripe = (piId: string) => stripe.list('refund').filter((r) => r.payment_intent === piId);
const outboxTypes = async (orderId: string) =>
  (await db().selectFrom('outbox_events').select(['type', 'data']).orderBy('seq').execute())
    .filter((e) => JSON.parse(e.data)?.id === orderId)
    .map((e) => e.type);
const deliver = (s: CardStore, event: object) =>
  deliverStripeEvent(t.app, storeWebhookUrl(s.storeId), event, s.webhookSecret);

/** Makes the named recurring jobs and every pending one-off job due now; runs one job-runner pass. */
async function runJobs(...kinds: string[]) {
  await t.app.deps.jobs.scheduleRecurring();
  await db()
    .updateTable('jobs')
    .set({ run_at: 0 })
    .where('kind', 'in', [...kinds, 'payments.late_refund'])
    .where('state', '=', 'pending')
    .execute();
  await t.app.deps.jobs.tick();
}

async function cardCheckout(s: CardStore, variantId: string, quantity = 2) {
  const res = await call(t.app, s.owner, {
    method: 'POST',
    url: `/v1/stores/${s.storeId}/orders/checkout`,
    payload: {
      market: 'us',
      payment_method_id: 'credit_card',
      items: [{ variant_id: variantId, quantity }],
      shipping_address: ADDRESS,
      shipping_method_id: 'standard',
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { orderId: res.body.order_id as string, total: res.body.payment.total as number };
}

/** A card order whose hold expired while Stripe was unreachable: cancelled here, intent still live there. */
async function expiredWhileStripeDown(s: CardStore, variantId: string) {
  const checkout = await cardCheckout(s, variantId);
  const piId = await intentOf(checkout.orderId);
  clock += 1801;
  stripe.goDown();
  try {
    await runJobs('payments.holds.expire');
  } finally {
    stripe.heal();
  }
  expect((await order(s, checkout.orderId)).workflow_status).toBe('cancelled');
  expect(stripe.get(piId)!.status).toBe('requires_payment_method');
  return { ...checkout, piId };
}

describe('a payment for an order that can no longer take it', () => {
  it('is refunded in full exactly once when the hold expired while Stripe was down; the refund settles by webhook', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    const { orderId, total, piId } = await expiredWhileStripeDown(s, variantId);

    const paid = stripe.succeed(piId); // the shopper pays into the live intent
    expect(await deliver(s, paid)).toMatchObject({ status: 200, body: { duplicate: false } });
    expect(await deliver(s, paid)).toMatchObject({ status: 200, body: { duplicate: true } });
    // Another event about the same payment (a resend with a new id) adds nothing either.
    expect((await deliver(s, stripe.event('payment_intent.succeeded', stripe.get(piId)!))).status).toBe(200);
    // Nothing was sent to Stripe from the webhook's transaction; the order stays cancelled.
    expect(refundsAtStripe(piId)).toEqual([]);
    let o = await order(s, orderId);
    expect(o.workflow_status).toBe('cancelled');
    expect(o.payment).toMatchObject({ paid: total, status: { status: 'captured', amount: total } });
    expect(o.payment.refunds).toMatchObject([{ total, status: 'pending' }]);
    expect(await level(variantId)).toEqual({ available: 5, reserved: 0 });

    // Stripe refuses at first: the job is retried later, nothing recorded as sent.
    stripe.fail('POST', /^\/v1\/refunds$/, 500);
    await runJobs();
    stripe.heal();
    expect(refundsAtStripe(piId)).toEqual([]);
    const job = await db()
      .selectFrom('jobs')
      .select(['state', 'attempts', 'run_at'])
      .where('kind', '=', 'payments.late_refund')
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ state: 'pending', attempts: 1 });
    expect(job.run_at).toBeGreaterThan(clock);

    await runJobs();
    await runJobs();
    const refunds = refundsAtStripe(piId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      amount: total,
      status: 'pending',
      metadata: { store_id: s.storeId, order_id: orderId, reason: 'late_payment' },
    });
    const sent = stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds');
    expect(new Set(sent.map((r) => r.idempotencyKey))).toEqual(new Set([`late-refund:${piId}`]));
    o = await order(s, orderId);
    expect(o.payment.refunds).toMatchObject([
      { total, status: 'pending', provider_refund_id: refunds[0]!.id },
    ]);
    expect(await outboxTypes(orderId)).toContain('order.refunded');
    expect(await outboxTypes(orderId)).not.toContain('order.confirmed');

    expect((await deliver(s, stripe.settleRefund(refunds[0]!.id))).status).toBe(200);
    o = await order(s, orderId);
    expect(o.workflow_status).toBe('cancelled');
    expect(o.payment.refunds).toMatchObject([{ total, status: 'succeeded' }]);
    // Nothing is left to refund by hand.
    const again = await call(t.app, s.owner, {
      method: 'POST',
      url: `/v1/stores/${s.storeId}/orders/${orderId}/refund`,
      payload: { amount: 1 },
    });
    expect(again.body).toMatchObject({ error: 'refund_exceeds_captured', details: { refundable: 0 } });
  });

  it('reconciliation cancels the intent the expiry could not once Stripe is back', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    const { piId } = await expiredWhileStripeDown(s, variantId);
    stripe.goDown();
    try {
      await runJobs('payments.reconcile');
    } finally {
      stripe.heal();
    }
    expect(stripe.get(piId)!.status).toBe('requires_payment_method');
    await runJobs('payments.reconcile');
    expect(stripe.get(piId)).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    const before = cancelsOf(piId);
    await runJobs('payments.reconcile');
    expect(cancelsOf(piId)).toBe(before);
  });

  it('an order cancelled by an admin has its live PaymentIntent cancelled by reconciliation, once', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    const { orderId } = await cardCheckout(s, variantId);
    const piId = await intentOf(orderId);
    const cancel = await call(t.app, s.owner, {
      method: 'PUT',
      url: `/v1/stores/${s.storeId}/orders/${orderId}`,
      payload: { cancel: true, cancel_reason: 'admin_rejected' },
    });
    expect(cancel.body.workflow_status).toBe('cancelled');
    expect(stripe.get(piId)!.status).toBe('requires_payment_method');
    await runJobs('payments.reconcile');
    expect(stripe.get(piId)).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    const before = cancelsOf(piId);
    await runJobs('payments.reconcile');
    expect(cancelsOf(piId)).toBe(before);
  });

  it('an expiry that cancelled the intent owes no second cancel', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    const { orderId } = await cardCheckout(s, variantId);
    const piId = await intentOf(orderId);
    clock += 1801;
    await runJobs('payments.holds.expire');
    expect(stripe.get(piId)!.status).toBe('canceled');
    await runJobs('payments.reconcile');
    expect(cancelsOf(piId)).toBe(1);
  });

  it('reconciliation finds a late payment whose webhook was lost and refunds it', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    const { orderId, total, piId } = await expiredWhileStripeDown(s, variantId);
    stripe.succeed(piId); // never delivered
    await runJobs('payments.reconcile');
    await runJobs();
    expect(refundsAtStripe(piId)).toMatchObject([{ amount: total }]);
    const o = await order(s, orderId);
    expect(o.workflow_status).toBe('cancelled');
    expect(o.payment.refunds).toMatchObject([{ total, status: 'pending' }]);
  });

  it('a refund Stripe refuses for good (already refunded in the dashboard) is marked failed, not retried', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    const { orderId, total, piId } = await expiredWhileStripeDown(s, variantId);
    await deliver(s, stripe.succeed(piId));
    // The merchant refunds it by hand in Stripe's dashboard before the job runs.
    const manual = await fetch(`${stripe.url}/v1/refunds`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${s.secretKey}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `payment_intent=${piId}`,
    });
    expect(manual.status).toBe(200);
    await runJobs();
    expect(refundsAtStripe(piId)).toMatchObject([{ amount: total }]);
    expect((await order(s, orderId)).payment.refunds).toMatchObject([{ total, status: 'failed' }]);
    expect(
      await db().selectFrom('jobs').select('state').where('kind', '=', 'payments.late_refund').execute(),
    ).not.toContainEqual({ state: 'pending' });
  });

  it('a payment after payment_failed is refunded too', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    const { orderId, total } = await cardCheckout(s, variantId);
    const piId = await intentOf(orderId);
    await deliver(s, stripe.decline(piId));
    await deliver(s, stripe.succeed(piId)); // retried with another card in the same intent
    await runJobs();
    expect((await order(s, orderId)).workflow_status).toBe('failed');
    expect(refundsAtStripe(piId)).toMatchObject([{ amount: total }]);
  });
});

describe('payment_intent.canceled from Stripe', () => {
  it.each([
    ['requested_by_customer', 'profile_cancelled'],
    ['duplicate', 'admin_rejected'],
    ['fraudulent', 'admin_rejected'],
    ['abandoned', 'expired'],
    [null, 'other'],
  ])('cancellation_reason %s → cancelled (%s)', async (stripeReason, reason) => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    const { orderId } = await cardCheckout(s, variantId);
    const piId = await intentOf(orderId);
    expect((await deliver(s, stripe.cancelIntent(piId, stripeReason))).status).toBe(200);
    const o = await order(s, orderId);
    expect(o.workflow_status).toBe('cancelled');
    expect(o.items[0].status).toEqual({ status: 'cancelled', reason });
    expect(o.history.at(-1)).toMatchObject({ action: 'cancelled', reason });
    expect(await level(variantId)).toEqual({ available: 5, reserved: 0 });
  });
});
