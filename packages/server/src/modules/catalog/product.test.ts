import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, registerAccount } from '../../../test/fixtures.ts';
import { commerceStore } from '../../../test/commerce-fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('products', () => {
  it('creates with variants, market prices, inventory shorthand, attribute map and slug; counts it', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const res = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/products`,
      payload: {
        key: 'blue-shirt',
        slug: 'blue-shirt-en',
        blocks: [
          { key: 'name', type: 'TEXT', value: 'Blue Shirt' },
          { key: 'gallery', type: 'relationship', value: null },
        ],
        filters: ['apparel'],
        variants: [
          {
            sku: 'BS-M',
            prices: [
              { market: 'US', amount: 1999, compare_at_price: 2499 },
              { market: 'eu', currency: 'eur', amount: 1899 },
            ],
            inventory: 5,
            attributes: { size: 'M' },
          },
          {
            sku: 'BS-L',
            prices: [{ market: 'us', amount: 1999 }],
            inventory: [{ location_id: null, available: -1 }],
          },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      key: 'blue-shirt',
      slug: { en: 'blue-shirt-en' },
      status: 'active',
      taxonomies: ['apparel'],
      blocks: [
        { key: 'name', type: 'text', value: ['Blue Shirt'] },
        { key: 'gallery', type: 'relationship', value: [] },
      ],
    });
    const [m, l] = res.body.variants;
    expect(m.prices).toEqual([
      { market: 'us', currency: 'USD', amount: 1999, compare_at: 2499 },
      { market: 'eu', currency: 'EUR', amount: 1899 },
    ]);
    expect(m.inventory).toEqual([
      { location_id: null, available: 5, reserved: 0, updated_at: expect.any(Number) },
    ]);
    expect(m.attributes).toEqual([expect.objectContaining({ key: 'size', type: 'text', value: ['M'] })]);
    expect(l.inventory[0].available).toBe(-1);
    const store = await call(t.app, owner, { url: `/v1/stores/${storeId}` });
    expect(store.body.counts.products).toBe(1);
    const bySlug = await call(t.app, owner, {
      url: `/v1/stores/${storeId}/products/${storeId}:en:blue-shirt-en`,
    });
    expect(bySlug.body.id).toBe(res.body.id);
    const noVariants = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/products`,
      payload: { key: 'bare' },
    });
    expect(noVariants.body.variants).toEqual([expect.objectContaining({ prices: [], inventory: [] })]);
    expect(noVariants.body.slug).toEqual({ en: 'bare' });
  });

  it('answers bad input with the field path', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const post = (payload: object) =>
      call(t.app, owner, { method: 'POST', url: `/v1/stores/${storeId}/products`, payload });
    const cases: [object, string, string][] = [
      [
        { key: 'a', variants: [{ prices: [{ market: 'us', amount: -1 }] }] },
        'variants.0.prices.0.amount',
        'min',
      ],
      [
        {
          key: 'a',
          variants: [
            {},
            {
              prices: [
                { market: 'us', amount: 1 },
                { market: 'mars', amount: 1 },
              ],
            },
          ],
        },
        'variants.1.prices.1.market',
        'not_found',
      ],
      [
        { key: 'a', variants: [{ prices: [{ market: 'us', currency: 'EUR', amount: 1 }] }] },
        'variants.0.prices.0.currency',
        'invalid_value',
      ],
      [
        {
          key: 'a',
          variants: [
            {
              prices: [
                { market: 'us', amount: 1 },
                { market: 'US', amount: 2 },
              ],
            },
          ],
        },
        'variants.0.prices.1.market',
        'duplicate',
      ],
      [{ key: 'a', variants: [{ inventory: -2 }] }, 'variants.0.inventory', 'min'],
      [
        { key: 'a', variants: [{ inventory: [{ location_id: 'loc_nope', available: 1 }] }] },
        'variants.0.inventory.0.location_id',
        'not_found',
      ],
      [{ key: 'a', status: 'draft' }, 'status', 'invalid_value'],
      [{ key: 'Not A Key' }, 'key', 'pattern'],
    ];
    for (const [payload, field, reason] of cases) {
      const res = await post(payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body.details, JSON.stringify(payload)).toMatchObject({ field, reason });
    }
    const count = await t.app.deps.db.db
      .selectFrom('products')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('store_id', '=', storeId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
    await post({ key: 'dup' });
    expect((await post({ key: 'dup' })).body).toMatchObject({
      error: 'already_exists',
      details: { field: 'key' },
    });
    expect((await post({ key: 'dup2', slug: 'dup' })).body).toMatchObject({
      error: 'already_exists',
      details: { field: 'slug.en' },
    });
  });

  it('updates variants as the complete list, keeping reserved stock', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const created = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/products`,
      payload: { key: 'mug', variants: [{ sku: 'A', inventory: 3 }, { sku: 'B' }] },
    });
    const [a, b] = created.body.variants;
    await t.app.deps.db.db
      .updateTable('inventory_levels')
      .set({ reserved: 2 })
      .where('variant_id', '=', a.id)
      .execute();
    const put = (payload: object) =>
      call(t.app, owner, {
        method: 'PUT',
        url: `/v1/stores/${storeId}/products/${created.body.id}`,
        payload,
      });
    const res = await put({
      variants: [{ id: a.id, inventory: 10, prices: [{ market: 'eu', amount: 500 }] }, { sku: 'C' }],
      status: 'archived',
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('archived');
    expect(res.body.variants.map((v: { sku: string }) => v.sku)).toEqual(['A', 'C']);
    expect(res.body.variants[0].inventory[0]).toMatchObject({ available: 10, reserved: 2 });
    expect(res.body.variants.some((v: { id: string }) => v.id === b.id)).toBe(false);
    expect((await put({ variants: [] })).body.details).toMatchObject({
      field: 'variants',
      reason: 'min_items',
    });
    expect((await put({ variants: [{ id: 'var_unknown' }] })).body.details).toMatchObject({
      field: 'variants.0.id',
      reason: 'not_found',
    });
    const del = await call(t.app, owner, {
      method: 'DELETE',
      url: `/v1/stores/${storeId}/products/${created.body.id}`,
    });
    expect(del.body).toEqual({ deleted: true });
    const types = (
      await t.app.deps.db.db
        .selectFrom('outbox_events')
        .select('type')
        .where('store_id', '=', storeId)
        .execute()
    ).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['product.created', 'product.updated', 'product.deleted']));
  });

  it('finds with filters and pages; storefront sees active products only; guards roles', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await call(t.app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/products`,
        payload: {
          key: `item-${i}`,
          status: i === 4 ? 'archived' : 'active',
          blocks: [{ key: 'name', value: { en: `Name ${i}`, fr: `Nom ${i}` } }],
        },
      });
      ids.push(r.body.id);
    }
    const page1 = await call(t.app, owner, {
      url: `/v1/stores/${storeId}/products?limit=2&sort_field=key&sort_direction=asc`,
    });
    expect(page1.body.items.map((p: { key: string }) => p.key)).toEqual(['item-0', 'item-1']);
    const page2 = await call(t.app, owner, {
      url: `/v1/stores/${storeId}/products?limit=2&sort_field=key&sort_direction=asc&cursor=${page1.body.cursor}`,
    });
    expect(page2.body.items.map((p: { key: string }) => p.key)).toEqual(['item-2', 'item-3']);
    expect(
      (await call(t.app, owner, { url: `/v1/stores/${storeId}/products?query=NOM%203` })).body.items.map(
        (p: { key: string }) => p.key,
      ),
    ).toEqual(['item-3']);
    expect(
      (await call(t.app, owner, { url: `/v1/stores/${storeId}/products?status=archived` })).body.items,
    ).toHaveLength(1);
    expect(
      (
        await call(t.app, owner, {
          url: `/v1/stores/${storeId}/products?ids=${encodeURIComponent(JSON.stringify([ids[0], ids[1]]))}`,
        })
      ).body.items,
    ).toHaveLength(2);
    const sf = await call(t.app, null, { url: `/v1/storefront/${storeId}/products?limit=100` });
    expect(sf.body.items).toHaveLength(4);
    expect((await call(t.app, null, { url: `/v1/storefront/${storeId}/products/${ids[4]}` })).status).toBe(
      404,
    );
    expect((await call(t.app, null, { url: `/v1/storefront/${storeId}/products/${ids[0]}` })).status).toBe(
      200,
    );
    expect((await call(t.app, null, { url: `/v1/storefront/store_missing/products` })).status).toBe(404);
    const stranger = await registerAccount(t.app);
    expect((await call(t.app, stranger, { url: `/v1/stores/${storeId}/products` })).status).toBe(404);
    expect(
      (
        await call(t.app, null, {
          method: 'POST',
          url: `/v1/stores/${storeId}/products`,
          payload: { key: 'x' },
        })
      ).status,
    ).toBe(401);
  });
});
