import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../server/test/helpers.ts';
import { createStorefrontClient, unwrap, type ArkyClient, type ArkyClientConfig } from '../src/index.ts';
import { liveServer, ownerClient } from './live-server.ts';

let t: TestApp;
let sdk: ArkyClient;
let config: ArkyClientConfig;
let storeId: string;

beforeAll(async () => {
  const live = await liveServer();
  t = live.t;
  ({ storeId, config, sdk } = await ownerClient(t, live.baseUrl, { market: 'us' }));
});
afterAll(async () => t?.close());

describe('commerce through the SDK against the real server', () => {
  it('product → promo → quotes in both markets → cash checkout → ship → complete → refunds', async () => {
    expect(sdk.promoCode).toBe(sdk.eshop.promoCode);
    unwrap(await sdk.market.update({ id: 'us', tax_bps: 700 }));
    unwrap(await sdk.market.update({ id: 'eu', tax_bps: 2000 }));

    const product = unwrap(
      await sdk.eshop.product.create({
        key: 'tee',
        blocks: [{ key: 'name', value: 'Tee' }],
        variants: [
          {
            sku: 'TEE-S',
            prices: [
              { market: 'us', amount: 2000 },
              { market: 'eu', amount: 2400 },
            ],
            inventory: 10,
          },
          {
            sku: 'TEE-M',
            prices: [
              { market: 'us', amount: 2200 },
              { market: 'eu', amount: 2600 },
            ],
            inventory: 10,
          },
        ],
      }),
    );
    expect(product.variants).toHaveLength(2);
    const [s, m] = product.variants;
    const promo = unwrap(
      await sdk.eshop.promoCode.createPromoCode({
        code: 'TEN',
        discounts: [
          { type: 'items_percentage', market_id: 'us', bps: 1000 },
          { type: 'items_percentage', market_id: 'eu', bps: 1000 },
        ],
        conditions: [],
      }),
    );
    expect(promo.code).toBe('TEN');

    const items = [
      { product_id: product.id, variant_id: s!.id, quantity: 1 },
      { product_id: product.id, variant_id: m!.id, quantity: 1 },
    ];
    const us = unwrap(await sdk.eshop.order.getQuote({ items, promo_code: 'ten' }));
    expect(us).toMatchObject({
      market: 'us',
      currency: 'USD',
      subtotal: 4200,
      discount: 420,
      tax: 265,
      total: 4200 - 420 + 265,
    });
    const eu = unwrap(await sdk.eshop.order.getQuote({ market: 'eu', items, promo_code: 'TEN' }));
    expect(eu).toMatchObject({ currency: 'EUR', subtotal: 5000, discount: 500, total: 4500 });
    expect(eu.tax).toBe(eu.items.reduce((a, l) => a + l.tax, 0));
    expect(eu.tax).toBe(750);

    const co = unwrap(
      await sdk.eshop.order.checkout({ items, promo_code: 'TEN', payment_method_id: 'cash' }),
    );
    expect(co).toMatchObject({ number: '1001', client_secret: null, payment: { total: 4045 } });
    expect(
      unwrap(await sdk.eshop.order.update({ id: co.order_id, workflow_status: 'shipped' })).workflow_status,
    ).toBe('shipped');
    expect(
      unwrap(await sdk.eshop.order.update({ id: co.order_id, workflow_status: 'completed' })).workflow_status,
    ).toBe('completed');
    const refunded = unwrap(await sdk.eshop.order.processRefund({ id: co.order_id, amount: 1000 }));
    expect(refunded.payment.refunds.map((r) => r.total)).toEqual([1000]);
    const via000 = unwrap(await sdk.store.processRefund({ id: storeId, entity: co.order_id, amount: 45 }));
    expect(via000.payment.refunds).toHaveLength(2);
    const over = await sdk.eshop.order.processRefund({ id: co.order_id, amount: 3001 });
    expect(over.ok).toBe(false);
    expect(over.val).toMatchObject({
      error: 'refund_exceeds_captured',
      status_code: 400,
      details: { refundable: 3000 },
    });
    expect(unwrap(await sdk.promoCode.getPromoCode({ id: promo.id })).uses).toBe(1);

    const bad = await sdk.eshop.product.create({
      key: 'bad',
      variants: [{ prices: [{ market: 'us', amount: -5 }] }],
    });
    expect(bad.val).toMatchObject({
      error: 'validation_error',
      details: { field: 'variants.0.prices.0.amount' },
    });
    const badQuote = await sdk.eshop.order.getQuote({ market: 'zz', items });
    expect(badQuote.val).toMatchObject({ details: { field: 'market' } });
    const zero = await sdk.eshop.order.getQuote({ items: [{ variant_id: s!.id, quantity: 0 }] });
    expect(zero.val).toMatchObject({ details: { field: 'items.0.quantity' } });
    const currency = await sdk.eshop.order.getQuote({ currency: 'EUR', items });
    expect(currency.val).toMatchObject({ details: { field: 'currency' } });
    const unknown = await sdk.eshop.order.getQuote({ items: [{ variant_id: 'var_missing', quantity: 1 }] });
    expect(unknown.val).toMatchObject({ details: { field: 'items.0.variant_id' } });

    let seen = 0;
    for await (const p of sdk.eshop.product.find({ limit: 1 })) seen += p.id ? 1 : 0;
    expect(seen).toBe(1);
  });

  it('guest: identify → current cart → add item → quote → checkout → sees the order', async () => {
    const product = unwrap(
      await sdk.eshop.product.create({
        key: 'mug',
        variants: [{ prices: [{ market: 'us', amount: 1500 }], inventory: 3 }],
      }),
    );
    let token: string | null = null;
    const sf = createStorefrontClient({
      ...config,
      getToken: () => token,
      setToken: (v) => void (token = v),
    });
    unwrap(await sf.identify());
    expect(token).toMatch(/^pt_/);
    const listed = unwrap(await sf.eshop.product.find({}));
    expect(listed.items.map((p) => p.id)).toContain(product.id);
    const cart = unwrap(await sf.eshop.cart.current());
    expect(cart.market).toBe('us');
    const added = unwrap(
      await sf.eshop.cart.addItem({
        id: cart.id,
        item: { product_id: product.id, variant_id: product.variants[0]!.id, quantity: 2 },
      }),
    );
    expect(added.item_count).toBe(2);
    const quote = unwrap(await sf.eshop.cart.quote({ id: cart.id }));
    expect(quote.total).toBe(3000 + 210);
    const co = unwrap(await sf.eshop.cart.checkout({ id: cart.id }));
    const orders = unwrap(await sf.eshop.order.find({}));
    expect(orders.items.map((o) => o.id)).toEqual([co.order_id]);
    expect(unwrap(await sf.eshop.order.get({ id: co.order_id })).workflow_status).toBe('confirmed');
    expect(unwrap(await sf.eshop.cart.get({ id: cart.id })).status).toBe('converted');
    const me = unwrap(await sf.me());
    expect(me.orders.map((o) => o.id)).toEqual([co.order_id]);
    expect(me.carts.map((c) => c.id)).toContain(cart.id);
    const admin = unwrap(await sdk.eshop.cart.find({ profile_id: orders.items[0]!.profile_id! }));
    expect(admin.items.map((c) => c.id)).toContain(cart.id);
  });
});
