import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call } from '../../../test/fixtures.ts';
import { ADDRESS, commerceStore, stockedProduct } from '../../../test/commerce-fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const level = async (variantId: string) =>
  t.app.deps.db.db
    .selectFrom('inventory_levels')
    .select(['available', 'reserved'])
    .where('variant_id', '=', variantId)
    .executeTakeFirstOrThrow();

describe('quote', () => {
  it('prices both markets: exclusive 7 % on top, inclusive 20 % inside, shipping with free threshold', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const { variantId } = await stockedProduct(t.app, owner, storeId, { us: 1999, eu: 2400 });
    const quote = (payload: object) =>
      call(t.app, owner, { method: 'POST', url: `/v1/stores/${storeId}/orders/quote`, payload });
    const us = await quote({
      market: 'us',
      items: [{ variant_id: variantId, quantity: 2 }],
      shipping_address: { country: 'US' },
      shipping_method_id: 'standard',
    });
    expect(us.status).toBe(200);
    expect(us.body).toMatchObject({
      market: 'us',
      currency: 'USD',
      subtotal: 3998,
      shipping: 500,
      discount: 0,
      tax: 280 + 35,
      total: 3998 + 500 + 315,
      charge_amount: 0,
    });
    expect(us.body.items[0]).toMatchObject({
      type: 'product',
      quantity: 2,
      unit_price: 1999,
      subtotal: 3998,
      tax: 280,
      total: 4278,
      availability: { ok: true, available: 100 },
      snapshot: { product_key: expect.any(String), price: { market: 'us', amount: 1999 } },
    });
    expect(us.body.payment.tax).toMatchObject({
      amount: 315,
      mode_snapshot: 'exclusive',
      rate_bps: 700,
      lines: [
        { scope: 'items', amount: 280 },
        { scope: 'shipping', amount: 35 },
      ],
    });
    expect(us.body.line_items).toEqual(us.body.items);
    const free = await quote({
      market: 'us',
      items: [{ variant_id: variantId, quantity: 6 }],
      shipping_address: { country: 'US' },
      shipping_method_id: 'standard',
    });
    expect(free.body.shipping).toBe(0);
    const eu = await quote({
      market: 'EU',
      currency: 'eur',
      items: [{ variant_id: variantId, quantity: 1 }],
    });
    expect(eu.body).toMatchObject({
      currency: 'EUR',
      subtotal: 2400,
      tax: 400,
      total: 2400,
      shipping_method: null,
      zone: null,
    });
  });

  it('answers bad input with the field and named business errors', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const { variantId, productId } = await stockedProduct(t.app, owner, storeId);
    const bare = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/products`,
      payload: { key: 'unpriced' },
    });
    const quote = (payload: object) =>
      call(t.app, owner, { method: 'POST', url: `/v1/stores/${storeId}/orders/quote`, payload });
    const item = { variant_id: variantId, quantity: 1 };
    const cases: [object, string, Record<string, unknown>][] = [
      [{ market: 'mars', items: [item] }, 'validation_error', { field: 'market', reason: 'not_found' }],
      [{ market: 'us', currency: 'EUR', items: [item] }, 'validation_error', { field: 'currency' }],
      [
        { items: [item, { variant_id: 'var_nope', quantity: 1 }] },
        'validation_error',
        { field: 'items.1.variant_id', reason: 'not_found' },
      ],
      [
        { items: [{ product_id: 'prod_other', variant_id: variantId }] },
        'validation_error',
        { field: 'items.0.variant_id', reason: 'not_found' },
      ],
      [
        { items: [{ variant_id: variantId, quantity: 0 }] },
        'validation_error',
        { field: 'items.0.quantity', reason: 'min' },
      ],
      [{ items: [] }, 'validation_error', { field: 'items', reason: 'min_items' }],
      [{ items: [{ variant_id: bare.body.variants[0].id }] }, 'price_not_found', { field: 'items.0' }],
      [
        { items: [item], shipping_address: { country: 'JP' }, shipping_method_id: 'standard' },
        'shipping_method_invalid',
        { field: 'shipping_method_id' },
      ],
      [{ items: [item], payment_method_id: 'credit_card' }, 'payment_method_not_allowed', {}],
      [{ items: [item], promo_code: 'NOPE' }, 'promo_code_invalid', { reason: 'not_found' }],
    ];
    for (const [payload, error, details] of cases) {
      const res = await quote(payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body, JSON.stringify(payload)).toMatchObject(
        Object.keys(details).length ? { error, details } : { error },
      );
    }
    expect(
      (await quote({ items: [{ product_id: productId, variant_id: variantId, quantity: 101 }] })).body
        .items[0].availability,
    ).toEqual({ ok: false, reason: 'out_of_stock' });
  });

  it('accepts the seed-002 legacy quote route and body', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const { variantId, productId } = await stockedProduct(t.app, owner, storeId, { us: 1000 });
    const res = await call(t.app, owner, {
      method: 'POST',
      url: '/v1/payments/quote',
      payload: {
        businessId: storeId,
        market: 'US',
        currency: 'USD',
        paymentMethod: 'CASH',
        lines: [{ type: 'PRODUCT_VARIANT', productId, variantId, quantity: 2 }],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ subtotal: 2000, tax: 140, total: 2140, payment_method: { id: 'cash' } });
    expect(
      (
        await call(t.app, null, {
          method: 'POST',
          url: '/v1/payments/quote',
          payload: { businessId: storeId, lines: [{ variantId, quantity: 1 }] },
        })
      ).status,
    ).toBe(401);
    const co = await call(t.app, owner, {
      method: 'POST',
      url: '/v1/reservations/checkout',
      payload: {
        businessId: storeId,
        paymentMethod: 'CASH',
        lines: [{ type: 'PRODUCT_VARIANT', productId, variantId, quantity: 1 }],
      },
    });
    expect(co.status).toBe(201);
    expect(co.body.number).toBe('1001');
  });
});

describe('checkout and orders', () => {
  it('cash checkout confirms at once, reserves and commits stock, numbers orders from 1001', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const { variantId } = await stockedProduct(t.app, owner, storeId, { stock: 5 });
    const body = {
      market: 'us',
      items: [{ variant_id: variantId, quantity: 2 }],
      shipping_address: ADDRESS,
      shipping_method_id: 'standard',
    };
    const res = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/orders/checkout`,
      payload: body,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      number: '1001',
      client_secret: null,
      payment: { method_type: 'cash', total: 2000 + 500 + 175, refunds: [] },
    });
    expect(await level(variantId)).toEqual({ available: 3, reserved: 0 });
    const order = await call(t.app, owner, { url: `/v1/stores/${storeId}/orders/${res.body.order_id}` });
    expect(order.body).toMatchObject({
      workflow_status: 'confirmed',
      status: 'active',
      items: [{ type: 'product', quantity: 2, location_id: null, status: { status: 'confirmed' } }],
    });
    expect(order.body.history.map((h: { action: string }) => h.action)).toEqual(['created', 'confirmed']);
    const second = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/orders/checkout`,
      payload: body,
    });
    expect(second.body.number).toBe('1002');
    const types = (
      await t.app.deps.db.db
        .selectFrom('outbox_events')
        .select('type')
        .where('store_id', '=', storeId)
        .orderBy('seq')
        .execute()
    ).map((e) => e.type);
    expect(types.filter((x) => x.startsWith('order.'))).toEqual([
      'order.created',
      'order.updated',
      'order.confirmed',
      'order.created',
      'order.updated',
      'order.confirmed',
    ]);
  });

  it('enforces address, shipping method, stock and payment rules without partial writes', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const { variantId } = await stockedProduct(t.app, owner, storeId, { stock: 1 });
    const post = (payload: object) =>
      call(t.app, owner, { method: 'POST', url: `/v1/stores/${storeId}/orders/checkout`, payload });
    const items = [{ variant_id: variantId, quantity: 1 }];
    expect((await post({ items, shipping_address: { country: 'US' } })).body).toMatchObject({
      error: 'validation_error',
      details: { field: 'shipping_method_id' },
    });
    expect(
      (await post({ items, shipping_address: { country: 'US', name: 'A' }, shipping_method_id: 'standard' }))
        .body,
    ).toMatchObject({ details: { field: 'shipping_address.street1', reason: 'required' } });
    expect((await post({ items: [{ variant_id: variantId, quantity: 2 }] })).body).toMatchObject({
      error: 'insufficient_stock',
      details: { field: 'items.0' },
    });
    await t.app.deps.db.db
      .updateTable('markets')
      .set({ payment_methods: JSON.stringify([{ id: 'cash' }, { id: 'credit_card' }]) })
      .where('store_id', '=', storeId)
      .execute();
    expect((await post({ items, payment_method_id: 'credit_card' })).body).toMatchObject({
      error: 'payment_provider_not_configured',
    });
    expect(await level(variantId)).toEqual({ available: 1, reserved: 0 });
    const orders = await t.app.deps.db.db
      .selectFrom('orders')
      .select('id')
      .where('store_id', '=', storeId)
      .execute();
    expect(orders).toHaveLength(0);
    const pickup = await post({ items, shipping_address: { country: 'US' }, shipping_method_id: 'pickup' });
    expect(pickup.status).toBe(201);
  });

  it('walks the transition table: ship, complete; rejects others; cancel restocks', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const { variantId } = await stockedProduct(t.app, owner, storeId, { stock: 10 });
    const checkout = async () =>
      (
        await call(t.app, owner, {
          method: 'POST',
          url: `/v1/stores/${storeId}/orders/checkout`,
          payload: { items: [{ variant_id: variantId, quantity: 3 }] },
        })
      ).body.order_id;
    const put = (id: string, payload: object) =>
      call(t.app, owner, { method: 'PUT', url: `/v1/stores/${storeId}/orders/${id}`, payload });
    const a = await checkout();
    expect((await put(a, { workflow_status: 'shipped' })).body.workflow_status).toBe('shipped');
    expect((await put(a, { cancel: true })).body).toMatchObject({
      error: 'invalid_transition',
      details: { from: 'shipped', to: 'cancelled' },
    });
    expect((await put(a, { workflow_status: 'completed' })).body.workflow_status).toBe('completed');
    expect((await put(a, { workflow_status: 'pending' })).status).toBe(409);
    const b = await checkout();
    expect(await level(variantId)).toEqual({ available: 4, reserved: 0 });
    const cancelled = await put(b, { cancel: true, cancel_reason: 'other' });
    expect(cancelled.body).toMatchObject({
      workflow_status: 'cancelled',
      items: [{ status: { status: 'cancelled', reason: 'other' } }],
    });
    expect(cancelled.body.history.at(-1)).toMatchObject({ action: 'cancelled', reason: 'other' });
    expect(await level(variantId)).toEqual({ available: 7, reserved: 0 });
    const archived = await put(b, { status: 'archived' });
    expect(archived.body.status).toBe('archived');
    const found = await call(t.app, owner, {
      url: `/v1/stores/${storeId}/orders?statuses=${encodeURIComponent('["cancelled"]')}`,
    });
    expect(found.body.items.map((o: { id: string }) => o.id)).toEqual([b]);
    expect(
      (
        await call(t.app, owner, {
          url: `/v1/stores/${storeId}/orders?query=${(await call(t.app, owner, { url: `/v1/stores/${storeId}/orders/${a}` })).body.number}`,
        })
      ).body.items,
    ).toHaveLength(1);
    const types = (
      await t.app.deps.db.db
        .selectFrom('outbox_events')
        .select('type')
        .where('store_id', '=', storeId)
        .execute()
    ).map((e) => e.type);
    expect(types).toContain('order.cancelled');
  });

  it('refunds partially on both routes, never beyond the refundable amount', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const { variantId } = await stockedProduct(t.app, owner, storeId, { us: 1000 });
    const co = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/orders/checkout`,
      payload: { items: [{ variant_id: variantId, quantity: 1 }] },
    });
    const total = co.body.payment.total as number;
    expect(total).toBe(1070);
    const r1 = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/orders/${co.body.order_id}/refund`,
      payload: { amount: 500 },
    });
    expect(r1.status).toBe(200);
    expect(r1.body.payment.refunds).toEqual([expect.objectContaining({ total: 500, status: 'succeeded' })]);
    expect(r1.body.workflow_status).toBe('confirmed');
    const over = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/refund`,
      payload: { id: storeId, entity: co.body.order_id, amount: 571 },
    });
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ error: 'refund_exceeds_captured', details: { refundable: 570 } });
    const r2 = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/refund`,
      payload: { id: storeId, entity: co.body.order_id, amount: 570 },
    });
    expect(r2.body.payment.refunds.map((r: { total: number }) => r.total).sort()).toEqual([500, 570]);
    expect(
      (
        await call(t.app, owner, {
          method: 'POST',
          url: `/v1/stores/${storeId}/orders/${co.body.order_id}/refund`,
          payload: { amount: 0 },
        })
      ).body.details,
    ).toMatchObject({ field: 'amount', reason: 'min' });
    expect(
      (
        await call(t.app, owner, {
          method: 'POST',
          url: `/v1/stores/${storeId}/refund`,
          payload: { entity: 'ord_nope', amount: 1 },
        })
      ).status,
    ).toBe(404);
  });
});

describe('stock levels at checkout', () => {
  it('takes the first level that can serve a line, leaves unlimited levels alone, refuses past the last unit', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const location = async (key: string) => {
      const res = await call(t.app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/locations`,
        payload: { key, address: { country: 'US', city: key } },
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const [a, b] = [await location('a'), await location('b')];
    const product = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/products`,
      payload: {
        key: 'levels',
        variants: [
          {
            sku: 'TWO-LEVELS',
            prices: [{ market: 'us', amount: 1000 }],
            inventory: [
              { location_id: a, available: 1 },
              { location_id: b, available: 3 },
            ],
          },
          {
            sku: 'UNLIMITED-FIRST',
            prices: [{ market: 'us', amount: 1000 }],
            inventory: [
              { location_id: a, available: -1 },
              { location_id: b, available: 3 },
            ],
          },
        ],
      },
    });
    expect(product.status).toBe(201);
    const [twoLevels, unlimitedFirst] = product.body.variants.map((v: { id: string }) => v.id);
    const buy = (variant_id: string, quantity: number) =>
      call(t.app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/orders/checkout`,
        payload: {
          market: 'us',
          items: [{ variant_id, quantity }],
          shipping_address: { country: 'US' },
          shipping_method_id: 'pickup',
        },
      });
    const levels = async (variantId: string) =>
      (
        await t.app.deps.db.db
          .selectFrom('inventory_levels')
          .select(['location_id', 'available', 'reserved'])
          .where('variant_id', '=', variantId)
          .orderBy('position')
          .execute()
      ).map((l) => [l.location_id, l.available, l.reserved]);
    const locationOf = async (orderId: string) =>
      (await call(t.app, owner, { url: `/v1/stores/${storeId}/orders/${orderId}` })).body.items[0]
        .location_id;

    // Two units: the first level has one, so the second serves the whole line.
    const two = await buy(twoLevels, 2);
    expect(two.status).toBe(201);
    expect(await locationOf(two.body.order_id)).toBe(b);
    expect(await levels(twoLevels)).toEqual([
      [a, 1, 0],
      [b, 1, 0],
    ]);
    // One unit: the first level serves it; then the second; then nothing is left.
    expect(await locationOf((await buy(twoLevels, 1)).body.order_id)).toBe(a);
    expect(await locationOf((await buy(twoLevels, 1)).body.order_id)).toBe(b);
    const none = await buy(twoLevels, 1);
    expect(none.status).toBe(409);
    expect(none.body).toMatchObject({ error: 'insufficient_stock', details: { field: 'items.0' } });
    expect(await levels(twoLevels)).toEqual([
      [a, 0, 0],
      [b, 0, 0],
    ]);

    // An unlimited level first serves every line and is never decremented.
    const many = await buy(unlimitedFirst, 50);
    expect(many.status).toBe(201);
    expect(await locationOf(many.body.order_id)).toBe(a);
    expect(await levels(unlimitedFirst)).toEqual([
      [a, -1, 0],
      [b, 3, 0],
    ]);
  });
});
