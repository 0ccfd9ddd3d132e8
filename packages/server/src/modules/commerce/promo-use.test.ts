import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call } from '../../../test/fixtures.ts';
import { ADDRESS, commerceStore, guest, stockedProduct } from '../../../test/commerce-fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

/** Issue 10 defect 3: promo limits hold when checkouts race (cash orders confirm at once). */
describe('promo limits under concurrency', () => {
  const setup = async (conditions: object[]) => {
    const { owner, storeId } = await commerceStore(t.app);
    const { variantId } = await stockedProduct(t.app, owner, storeId, { stock: 1000 });
    const promo = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/promo-codes`,
      payload: {
        code: 'ONCE',
        discounts: [{ type: 'items_percentage', market_id: 'us', bps: 1000 }],
        conditions,
      },
    });
    expect(promo.status).toBe(201);
    const body = {
      market: 'us',
      items: [{ variant_id: variantId, quantity: 1 }],
      shipping_address: ADDRESS,
      shipping_method_id: 'standard',
      promo_code: 'once',
    };
    return { owner, storeId, promoId: promo.body.id as string, body };
  };

  it('max_uses_per_user = 1: one guest, 10 simultaneous checkouts, one use', async () => {
    const { owner, storeId, promoId, body } = await setup([
      { type: 'max_uses_per_user', value: { type: 'count', value: 1 } },
    ]);
    const g = await guest(t.app, storeId);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        call(t.app, g, { method: 'POST', url: `/v1/stores/${storeId}/orders/checkout`, payload: body }),
      ),
    );
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201))
      expect(r.body).toMatchObject({
        error: 'promo_code_invalid',
        details: { reason: 'max_uses_per_user_reached' },
      });
    const me = await call(t.app, g, { url: `/v1/storefront/${storeId}/profiles/me` });
    expect(me.body.promo_usage ?? me.body.profile?.promo_usage).toEqual([
      { promo_code_id: promoId, uses: 1 },
    ]);
    const orders = await t.app.deps.db.db
      .selectFrom('orders')
      .select('id')
      .where('store_id', '=', storeId)
      .execute();
    expect(orders).toHaveLength(1);
    const promo = await call(t.app, owner, { url: `/v1/stores/${storeId}/promo-codes/${promoId}` });
    expect(promo.body.uses).toBe(1);
  });

  it('max_uses = 3: ten guests at once, three uses', async () => {
    const { storeId, promoId, body } = await setup([
      { type: 'max_uses', value: { type: 'count', value: 3 } },
    ]);
    const guests = await Promise.all(Array.from({ length: 10 }, () => guest(t.app, storeId)));
    const results = await Promise.all(
      guests.map((g) =>
        call(t.app, g, { method: 'POST', url: `/v1/stores/${storeId}/orders/checkout`, payload: body }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    const uses = await t.app.deps.db.db
      .selectFrom('promo_uses')
      .select('id')
      .where('promo_code_id', '=', promoId)
      .execute();
    expect(uses).toHaveLength(3);
  });
});
