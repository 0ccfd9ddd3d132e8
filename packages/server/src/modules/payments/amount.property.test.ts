import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call } from '../../../test/fixtures.ts';
import { stockedProduct } from '../../../test/commerce-fixtures.ts';
import { cardStore, type CardStore } from '../../../test/payment-fixtures.ts';
import { StripeStandIn } from '../../../test/stripe-standin.ts';

let t: TestApp;
let stripe: StripeStandIn;
let s: CardStore;

beforeAll(async () => {
  stripe = await new StripeStandIn().start();
  t = await createTestApp({ env: { STRIPE_API_URL: stripe.url } });
  s = await cardStore(t.app);
});
afterAll(async () => {
  await t?.close();
  await stripe?.stop();
});

const line = fc.record({
  us: fc.integer({ min: 1, max: 250_000 }),
  eu: fc.integer({ min: 1, max: 250_000 }),
  quantity: fc.integer({ min: 1, max: 7 }),
});

describe('card checkout amounts (property)', () => {
  it('for random carts, PaymentIntent amount = order total = Σ line totals = quote total, in the market currency', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('us', 'eu'),
        fc.array(line, { minLength: 1, maxLength: 4 }),
        async (market, lines) => {
          const items = [];
          for (const l of lines) {
            const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, {
              us: l.us,
              eu: l.eu,
              stock: 50,
            });
            items.push({ variant_id: variantId, quantity: l.quantity });
          }
          const body = { market, payment_method_id: 'credit_card', items };
          const quote = await call(t.app, s.owner, {
            method: 'POST',
            url: `/v1/stores/${s.storeId}/orders/quote`,
            payload: body,
          });
          const res = await call(t.app, s.owner, {
            method: 'POST',
            url: `/v1/stores/${s.storeId}/orders/checkout`,
            payload: body,
          });
          expect(res.status, JSON.stringify(res.body)).toBe(201);
          const order = (
            await call(t.app, s.owner, { url: `/v1/stores/${s.storeId}/orders/${res.body.order_id}` })
          ).body;
          const pi = stripe.get(order.payment.provider.payment_intent_id)!;
          const sumOfLines = order.items.reduce((a: number, i: { total: number }) => a + i.total, 0);
          expect(pi.amount).toBe(order.payment.total);
          expect(order.payment.total).toBe(sumOfLines);
          expect(order.payment.total).toBe(quote.body.total);
          expect(pi.currency).toBe(market === 'us' ? 'usd' : 'eur');
          expect(pi.metadata).toEqual({ store_id: s.storeId, order_id: order.id });
          expect(res.body.client_secret).toBe(pi.client_secret);
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);
});
