import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call } from '../../../test/fixtures.ts';
import { ADDRESS, commerceStore, guest, stockedProduct } from '../../../test/commerce-fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('storefront carts', () => {
  it('guest: current cart → add/merge/remove → quote snapshot → checkout → own orders', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const { productId, variantId } = await stockedProduct(t.app, owner, storeId, { us: 1000, stock: 10 });
    const g = await guest(t.app, storeId);
    const sf = `/v1/storefront/${storeId}`;
    const cart = await call(t.app, g, {
      method: 'POST',
      url: `${sf}/carts/current`,
      payload: { market: 'us' },
    });
    expect(cart.body).toMatchObject({
      status: 'active',
      origin: 'storefront',
      market: 'us',
      items: [],
      item_count: 0,
      profile_id: g.profileId,
    });
    expect((await call(t.app, g, { method: 'POST', url: `${sf}/carts/current`, payload: {} })).body.id).toBe(
      cart.body.id,
    );
    const id = cart.body.id;
    await call(t.app, g, {
      method: 'POST',
      url: `${sf}/carts/${id}/items`,
      payload: { item: { product_id: productId, variant_id: variantId, quantity: 2, price: { amount: 1 } } },
    });
    const merged = await call(t.app, g, {
      method: 'POST',
      url: `${sf}/carts/${id}/items`,
      payload: { item: { productId, variantId, quantity: 1 } },
    });
    expect(merged.body.items).toEqual([
      expect.objectContaining({ type: 'product', variant_id: variantId, quantity: 3 }),
    ]);
    expect(merged.body.items[0].price).toBeUndefined();
    expect(merged.body.item_count).toBe(3);
    const bad = await call(t.app, g, {
      method: 'POST',
      url: `${sf}/carts/${id}/items`,
      payload: { item: { variant_id: 'var_nope', quantity: 1 } },
    });
    expect(bad.body.details).toMatchObject({ field: 'item.variant_id', reason: 'not_found' });
    const quote = await call(t.app, g, {
      method: 'POST',
      url: `${sf}/carts/${id}/quote`,
      payload: { store_id: storeId },
    });
    expect(quote.body).toMatchObject({ subtotal: 3000, tax: 210, total: 3210 });
    expect((await call(t.app, g, { url: `${sf}/carts/${id}` })).body.quote_snapshot).toMatchObject({
      total: 3210,
    });
    await call(t.app, g, {
      method: 'PUT',
      url: `${sf}/carts/${id}`,
      payload: { shipping_address: ADDRESS, shipping_method_id: 'standard' },
    });
    const co = await call(t.app, g, { method: 'POST', url: `${sf}/carts/${id}/checkout`, payload: {} });
    expect(co.status).toBe(201);
    expect(co.body.payment.total).toBe(3000 + 500 + 210 + 35);
    const after = await call(t.app, g, { url: `${sf}/carts/${id}` });
    expect(after.body).toMatchObject({ status: 'converted', converted_order_id: co.body.order_id });
    expect(
      (await call(t.app, g, { method: 'POST', url: `${sf}/carts/${id}/checkout`, payload: {} })).status,
    ).toBe(409);
    const mine = await call(t.app, g, { url: `${sf}/orders` });
    expect(mine.body.items.map((o: { id: string }) => o.id)).toEqual([co.body.order_id]);
    expect(mine.body.items[0]).toMatchObject({ profile_id: g.profileId, source_cart_id: id });
    const other = await guest(t.app, storeId);
    expect((await call(t.app, other, { url: `${sf}/orders` })).body.items).toEqual([]);
    expect((await call(t.app, other, { url: `${sf}/orders/${co.body.order_id}` })).status).toBe(404);
    expect((await call(t.app, other, { url: `${sf}/carts/${id}` })).status).toBe(404);
    expect((await call(t.app, null, { url: `${sf}/carts/${id}?token=${after.body.token}` })).status).toBe(
      200,
    );
    expect(
      (await call(t.app, null, { method: 'POST', url: `${sf}/carts/current`, payload: {} })).status,
    ).toBe(401);
    const fresh = await call(t.app, g, { method: 'POST', url: `${sf}/carts/current`, payload: {} });
    expect(fresh.body.id).not.toBe(id);
    const types = (
      await t.app.deps.db.db
        .selectFrom('outbox_events')
        .select('type')
        .where('store_id', '=', storeId)
        .execute()
    ).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['cart.created', 'cart.updated', 'cart.converted']));
  });

  it('a profile token may quote and check out on the admin paths of its own store only', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const other = await commerceStore(t.app);
    const { variantId } = await stockedProduct(t.app, owner, storeId, { us: 1000 });
    const g = await guest(t.app, storeId);
    const q = await call(t.app, g, {
      method: 'POST',
      url: `/v1/stores/${storeId}/orders/quote`,
      payload: { items: [{ variant_id: variantId, price: { amount: 1 } }] },
    });
    expect(q.body.subtotal).toBe(1000);
    expect(
      (
        await call(t.app, g, {
          method: 'POST',
          url: `/v1/stores/${other.storeId}/orders/quote`,
          payload: { items: [{ variant_id: variantId }] },
        })
      ).status,
    ).toBe(403);
    expect((await call(t.app, g, { url: `/v1/stores/${storeId}/orders` })).status).toBe(403);
    const co = await call(t.app, g, {
      method: 'POST',
      url: `/v1/businesses/${storeId}/orders/checkout`,
      payload: {
        lines: [{ variantId, quantity: 1 }],
        paymentMethod: 'CASH',
        profileId: 'prof_somebody_else',
      },
    });
    expect(co.status).toBe(201);
    const order = await call(t.app, owner, { url: `/v1/stores/${storeId}/orders/${co.body.order_id}` });
    expect(order.body.profile_id).toBe(g.profileId);
    const admin = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/orders/quote`,
      payload: { items: [{ variant_id: variantId, price: { amount: 1 } }] },
    });
    expect(admin.body.subtotal).toBe(1);
  });
});

describe('admin carts', () => {
  it('creates for a profile, updates, removes, clears, finds, and sweeps idle carts', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const { productId, variantId } = await stockedProduct(t.app, owner, storeId);
    const g = await guest(t.app, storeId);
    const base = `/v1/stores/${storeId}/carts`;
    expect(
      (
        await call(t.app, owner, {
          method: 'POST',
          url: base,
          payload: { profile_id: 'prof_nope', market: 'us' },
        })
      ).body.details,
    ).toMatchObject({ field: 'profile_id' });
    expect(
      (
        await call(t.app, owner, {
          method: 'POST',
          url: base,
          payload: { profile_id: g.profileId, market: 'xx' },
        })
      ).body.details,
    ).toMatchObject({ field: 'market' });
    const created = await call(t.app, owner, {
      method: 'POST',
      url: base,
      payload: {
        profile_id: g.profileId,
        market: 'eu',
        items: [{ product_id: productId, variant_id: variantId, quantity: 2, price: { amount: 50 } }],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      origin: 'admin',
      created_by_account_id: owner.accountId,
      item_count: 2,
      items: [{ price: { market: 'eu', currency: 'EUR', amount: 50 } }],
    });
    const id = created.body.id;
    expect((await call(t.app, owner, { method: 'POST', url: `${base}/${id}/quote` })).body.subtotal).toBe(
      100,
    );
    const removed = await call(t.app, owner, {
      method: 'POST',
      url: `${base}/${id}/items/remove`,
      payload: { item_id: created.body.items[0].id },
    });
    expect(removed.body.items).toEqual([]);
    await call(t.app, owner, {
      method: 'PUT',
      url: `${base}/${id}`,
      payload: { items: [{ variant_id: variantId, quantity: 4 }] },
    });
    expect((await call(t.app, owner, { method: 'POST', url: `${base}/${id}/clear` })).body.item_count).toBe(
      0,
    );
    await call(t.app, owner, {
      method: 'POST',
      url: `${base}/${id}/items`,
      payload: { item: { variant_id: variantId, quantity: 1 } },
    });
    expect(
      (await call(t.app, owner, { url: `${base}?has_items=true&origins=admin&profile_id=${g.profileId}` }))
        .body.items,
    ).toHaveLength(1);
    await t.app.deps.db.db
      .updateTable('carts')
      .set({ last_activity_at: Math.floor(Date.now() / 1000) - 2 * 86_400 })
      .where('id', '=', id)
      .execute();
    await t.app.deps.jobs.scheduleRecurring();
    await t.app.deps.db.db
      .updateTable('jobs')
      .set({ run_at: 0 })
      .where('kind', '=', 'commerce.carts.sweep')
      .execute();
    await t.app.deps.jobs.tick();
    const swept = await call(t.app, owner, { url: `${base}/${id}` });
    expect(swept.body).toMatchObject({ status: 'abandoned', abandoned_at: expect.any(Number) });
  });
});

describe('promo codes', () => {
  it('CRUD, discounts pro rata, rejections, uses counted on confirmation', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const a = await stockedProduct(t.app, owner, storeId, { us: 1000 });
    const b = await stockedProduct(t.app, owner, storeId, { us: 3000 });
    const base = `/v1/stores/${storeId}/promo-codes`;
    const mk = (payload: object) => call(t.app, owner, { method: 'POST', url: base, payload });
    const promo = await mk({
      code: 'Save10',
      discounts: [
        { type: 'items_percentage', market_id: 'US', bps: 1000 },
        { type: 'items_fixed', market_id: 'us', amount: 1 },
      ],
      conditions: [{ type: 'max_uses', value: { type: 'count', value: 1 } }],
    });
    expect(promo.status).toBe(201);
    expect(promo.body).toMatchObject({
      code: 'Save10',
      status: 'active',
      uses: 0,
      discounts: [{ market_id: 'us' }, { market_id: 'us' }],
    });
    expect(
      (
        await mk({
          code: 'SAVE10',
          discounts: [{ type: 'items_fixed', market_id: 'us', amount: 1 }],
          conditions: [],
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await mk({
          code: 'X1',
          discounts: [{ type: 'items_fixed', market_id: 'mars', amount: 1 }],
          conditions: [],
        })
      ).body.details,
    ).toMatchObject({ field: 'discounts.0.market_id' });
    const quote = (payload: object) =>
      call(t.app, owner, { method: 'POST', url: `/v1/stores/${storeId}/orders/quote`, payload });
    const items = [
      { variant_id: a.variantId, quantity: 1 },
      { variant_id: b.variantId, quantity: 1 },
    ];
    const q = await quote({ items, promo_code: 'save10' });
    expect(q.body).toMatchObject({ subtotal: 4000, discount: 401, promo_code: { code: 'Save10' } });
    expect(q.body.items.map((l: { discount: number }) => l.discount)).toEqual([100, 301]);
    const reject = async (payload: object, reason: string) =>
      expect((await quote({ items, ...payload })).body).toMatchObject({
        error: 'promo_code_invalid',
        details: { reason },
      });
    const now = Math.floor(Date.now() / 1000);
    await mk({
      code: 'LATER',
      discounts: [{ type: 'items_fixed', market_id: 'us', amount: 1 }],
      conditions: [{ type: 'date_range', value: { type: 'date_range', value: { start: now + 3600 } } }],
    });
    await mk({
      code: 'OLD',
      discounts: [{ type: 'items_fixed', market_id: 'us', amount: 1 }],
      conditions: [{ type: 'date_range', value: { type: 'date_range', value: { end: now - 3600 } } }],
    });
    await mk({
      code: 'BIG',
      discounts: [{ type: 'items_fixed', market_id: 'us', amount: 1 }],
      conditions: [{ type: 'min_order_amount', value: { type: 'amount', value: 5000 } }],
    });
    await mk({
      code: 'EUONLY',
      discounts: [{ type: 'items_fixed', market_id: 'eu', amount: 1 }],
      conditions: [],
    });
    await mk({
      code: 'OTHER',
      discounts: [{ type: 'items_fixed', market_id: 'us', amount: 1 }],
      conditions: [{ type: 'products', value: { type: 'ids', value: ['prod_x'] } }],
    });
    const once = await mk({
      code: 'ONCE',
      discounts: [{ type: 'shipping_percentage', market_id: 'us', bps: 10_000 }],
      conditions: [{ type: 'max_uses_per_user', value: { type: 'count', value: 1 } }],
    });
    const off = await mk({
      code: 'OFF',
      status: 'archived',
      discounts: [{ type: 'items_fixed', market_id: 'us', amount: 1 }],
      conditions: [],
    });
    await reject({ promo_code: 'LATER' }, 'not_started');
    await reject({ promo_code: 'old' }, 'expired');
    await reject({ promo_code: 'BIG' }, 'min_order_amount');
    await reject({ promo_code: 'EUONLY' }, 'not_applicable');
    await reject({ promo_code: 'OTHER' }, 'not_applicable');
    await reject({ promo_code: 'OFF' }, 'inactive');
    expect(off.body.status).toBe('archived');
    const co = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/orders/checkout`,
      payload: { items, promo_code: 'SAVE10' },
    });
    expect(co.status).toBe(201);
    expect(co.body.payment).toMatchObject({ discount: 401, promo_code: { code: 'Save10' } });
    expect((await call(t.app, owner, { url: `${base}/${promo.body.id}` })).body.uses).toBe(1);
    await reject({ promo_code: 'SAVE10' }, 'max_uses_reached');
    const g = await guest(t.app, storeId);
    const ship = { items, promo_code: 'ONCE', shipping_address: ADDRESS, shipping_method_id: 'standard' };
    const first = await call(t.app, g, {
      method: 'POST',
      url: `/v1/stores/${storeId}/orders/checkout`,
      payload: ship,
    });
    expect(first.body.payment).toMatchObject({ shipping: 500, discount: 500 });
    const again = await call(t.app, g, {
      method: 'POST',
      url: `/v1/stores/${storeId}/orders/quote`,
      payload: ship,
    });
    expect(again.body).toMatchObject({
      error: 'promo_code_invalid',
      details: { reason: 'max_uses_per_user_reached' },
    });
    const updated = await call(t.app, owner, {
      method: 'PUT',
      url: `${base}/${once.body.id}`,
      payload: { status: 'archived' },
    });
    expect(updated.body.status).toBe('archived');
    const list = await call(t.app, owner, { url: `${base}?status=active&query=save` });
    expect(list.body.items.map((p: { code: string }) => p.code)).toEqual(['Save10']);
    expect((await call(t.app, owner, { method: 'DELETE', url: `${base}/${promo.body.id}` })).body).toEqual({
      deleted: true,
    });
    expect((await call(t.app, owner, { url: `${base}/${promo.body.id}` })).status).toBe(404);
  });
});
