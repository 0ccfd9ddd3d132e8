import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, createApiKey, createStore, registerAccount, type Caller } from '../../../test/fixtures.ts';

let t: TestApp;
let owner: Caller;
let storeId: string;
beforeAll(async () => {
  t = await createTestApp();
  owner = await registerAccount(t.app);
  storeId = await createStore(t.app, owner);
});
afterAll(async () => t?.close());

const base = () => `/v1/stores/${storeId}/markets`;
const marketRows = (id: string) =>
  t.app.deps.db.db.selectFrom('markets').selectAll().where('store_id', '=', id).execute();

/** Seed 002's market and zone exactly as the document writes them (camelCase, UPPER enums). */
const seed002 = {
  key: 'ca',
  currency: 'CAD',
  taxMode: 'EXCLUSIVE',
  taxBps: 700,
  paymentMethods: [{ method: 'CREDIT_CARD' }, { method: 'CASH' }],
  zones: [
    {
      id: 'north-america',
      name: 'North America',
      countries: ['US', 'CA', 'MX'],
      taxBps: 800,
      shippingMethods: [
        {
          id: 'standard',
          type: 'SHIPPING',
          prices: [{ market: 'CA', amount: 500, freeThreshold: 5000 }],
          taxable: true,
          etaText: '3-5 business days',
        },
        {
          id: 'pickup',
          type: 'PICKUP',
          prices: [{ market: 'CA', amount: 0 }],
          location: { address: '123 Main St, NY', coordinates: { lat: 40.7, lon: -74 } },
        },
      ],
    },
    { countries: [], shippingMethods: [{ amount: 1500, etaText: '1-2 weeks' }] },
  ],
};

describe('markets (admin)', () => {
  it('lists the two default markets and gets one by id or key', async () => {
    const list = await call(t.app, owner, { url: base() });
    expect(list.status).toBe(200);
    expect(list.body.map((m: { key: string }) => m.key)).toEqual(['us', 'eu']);
    expect(list.body[0]).toMatchObject({
      store_id: storeId,
      currency: 'USD',
      tax_mode: 'exclusive',
      tax_bps: 0,
      payment_methods: [{ id: 'cash' }],
      zones: [],
    });
    const byKey = await call(t.app, owner, { url: `${base()}/EU` });
    expect(byKey.body).toMatchObject({
      id: list.body[1].id,
      key: 'eu',
      currency: 'EUR',
      tax_mode: 'inclusive',
    });
    const byId = await call(t.app, owner, { url: `${base()}/${list.body[1].id}` });
    expect(byId.body.key).toBe('eu');
    const missing = await call(t.app, owner, { url: `${base()}/nope` });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'not_found', details: { resource: 'market' } });
  });

  it('creates a market from the seed 002 shapes and fills ids', async () => {
    const res = await call(t.app, owner, { method: 'POST', url: base(), payload: seed002 });
    expect(res.status).toBe(201);
    const m = res.body;
    expect(m).toMatchObject({
      id: expect.stringMatching(/^mkt_/),
      store_id: storeId,
      key: 'ca',
      currency: 'CAD',
      tax_mode: 'exclusive',
      tax_bps: 700,
    });
    expect(m.payment_methods).toEqual([{ id: 'credit_card' }, { id: 'cash' }]);
    expect(m.zones[0]).toMatchObject({
      id: 'north-america',
      store_id: storeId,
      market_id: m.id,
      name: 'North America',
      countries: ['US', 'CA', 'MX'],
      tax_bps: 800,
    });
    expect(m.zones[0].shipping_methods).toEqual([
      expect.objectContaining({
        id: 'standard',
        type: 'shipping',
        amount: 500,
        free_above: 5000,
        taxable: true,
        eta_text: '3-5 business days',
      }),
      expect.objectContaining({
        id: 'pickup',
        type: 'pickup',
        amount: 0,
        location: { address: '123 Main St, NY', coordinates: { lat: 40.7, lon: -74 } },
      }),
    ]);
    expect(m.zones[1]).toMatchObject({
      id: expect.stringMatching(/^zone_/),
      market_id: m.id,
      countries: [],
      tax_bps: null,
    });
    expect(m.zones[1].shipping_methods[0]).toMatchObject({
      id: expect.stringMatching(/^shm_/),
      amount: 1500,
      eta_text: '1-2 weeks',
      type: 'shipping',
    });
    // `prices` is input only; the response is the canonical shape.
    expect(m.zones[0].shipping_methods[0].prices).toBeUndefined();
    const list = await call(t.app, owner, { url: base() });
    expect(list.body.map((x: { key: string }) => x.key)).toEqual(['us', 'eu', 'ca']);
    const again = await call(t.app, owner, { url: `${base()}/ca` });
    expect(again.body).toEqual(m);
  });

  it('rejects bad input with dotted field paths and writes nothing', async () => {
    const before = (await marketRows(storeId)).length;
    const ok = { key: 'xx', currency: 'USD', tax_mode: 'exclusive' };
    const bad = async (payload: object) => {
      const res = await call(t.app, owner, { method: 'POST', url: base(), payload });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('validation_error');
      return res.body.details;
    };
    expect(await bad({ ...ok, key: 'Not A Slug' })).toMatchObject({ field: 'key', reason: 'pattern' });
    expect(await bad({ currency: 'USD', tax_mode: 'exclusive' })).toMatchObject({
      field: 'key',
      reason: 'required',
    });
    expect(await bad({ ...ok, currency: 'ZZZ' })).toMatchObject({
      field: 'currency',
      reason: 'invalid_currency',
    });
    expect(await bad({ ...ok, currency: 'dollars' })).toMatchObject({ field: 'currency', reason: 'pattern' });
    expect(await bad({ ...ok, tax_mode: 'sometimes' })).toMatchObject({
      field: 'tax_mode',
      reason: 'invalid_value',
    });
    expect(await bad({ ...ok, tax_bps: -1 })).toMatchObject({ field: 'tax_bps', reason: 'min' });
    expect(await bad({ ...ok, taxBps: 10_001 })).toMatchObject({ field: 'tax_bps', reason: 'max' });
    expect(await bad({ ...ok, tax_bps: 7.5 })).toMatchObject({ field: 'tax_bps', reason: 'type' });
    expect(await bad({ ...ok, paymentMethods: [{ method: 'BITCOIN' }] })).toMatchObject({
      field: 'payment_methods.0.method',
      reason: 'invalid_value',
    });
    expect(await bad({ ...ok, zones: [{ countries: ['US', 'QQ'] }] })).toMatchObject({
      field: 'zones.0.countries.1',
      reason: 'invalid_country',
    });
    expect(await bad({ ...ok, zones: [{ tax_bps: 20_000 }] })).toMatchObject({
      field: 'zones.0.tax_bps',
      reason: 'max',
    });
    expect(await bad({ ...ok, zones: [{ shipping_methods: [{ amount: -5 }] }] })).toMatchObject({
      field: 'zones.0.shipping_methods.0.amount',
      reason: 'min',
    });
    expect(
      await bad({ ...ok, zones: [{ shipping_methods: [{ prices: [{ market: 'eu', amount: 5 }] }] }] }),
    ).toMatchObject({
      field: 'zones.0.shipping_methods.0.amount',
      reason: 'required',
    });
    expect(await bad({ ...ok, zones: [{ id: 'a' }, { id: 'a' }] })).toMatchObject({
      field: 'zones.1.id',
      reason: 'duplicate',
    });
    expect(
      await bad({ ...ok, zones: [{ shipping_methods: [{ type: 'pickup', amount: 0 }] }] }),
    ).toMatchObject({
      field: 'zones.0.shipping_methods.0.location_id',
      reason: 'required',
    });
    const several = await bad({ ...ok, currency: 'ZZZ', zones: [{ countries: ['QQ'] }] });
    expect(several.errors.map((e: { field: string }) => e.field)).toEqual([
      'currency',
      'zones.0.countries.0',
    ]);
    const dup = await call(t.app, owner, { method: 'POST', url: base(), payload: { ...ok, key: 'us' } });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ error: 'already_exists', details: { field: 'key' } });
    expect((await marketRows(storeId)).length).toBe(before);
  });

  it('updates partially, replaces zones, renames the key and checks uniqueness', async () => {
    const created = (
      await call(t.app, owner, {
        method: 'POST',
        url: base(),
        payload: { key: 'mx', currency: 'MXN', taxMode: 'EXCLUSIVE', paymentMethods: [{ method: 'CASH' }] },
      })
    ).body;
    const res = await call(t.app, owner, {
      method: 'PUT',
      url: `${base()}/mx`,
      payload: {
        taxBps: 1600,
        zones: [
          {
            id: 'mexico',
            countries: ['MX'],
            shippingMethods: [{ id: 'std', prices: [{ market: 'MX', amount: 9900 }] }],
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.id,
      key: 'mx',
      currency: 'MXN',
      tax_bps: 1600,
      payment_methods: created.payment_methods,
    });
    expect(res.body.zones).toHaveLength(1);
    expect(res.body.zones[0]).toMatchObject({
      id: 'mexico',
      market_id: created.id,
      store_id: storeId,
      countries: ['MX'],
    });
    expect(res.body.zones[0].shipping_methods[0]).toMatchObject({
      id: 'std',
      amount: 9900,
      free_above: null,
    });
    expect(res.body.updated_at).toBeGreaterThanOrEqual(created.updated_at);

    // Renaming the key makes a seed 002 price match the new key.
    const renamed = await call(t.app, owner, {
      method: 'PUT',
      url: `${base()}/${created.id}`,
      payload: {
        key: 'mexico',
        zones: [{ shippingMethods: [{ prices: [{ market: 'mexico', amount: 100 }] }] }],
      },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.key).toBe('mexico');
    expect(renamed.body.zones[0].shipping_methods[0].amount).toBe(100);

    const taken = await call(t.app, owner, {
      method: 'PUT',
      url: `${base()}/mexico`,
      payload: { key: 'eu' },
    });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ error: 'already_exists', details: { field: 'key' } });
    const badZone = await call(t.app, owner, {
      method: 'PUT',
      url: `${base()}/mexico`,
      payload: { currency: 'EUR', zones: [{ countries: ['XX'] }] },
    });
    expect(badZone.status).toBe(400);
    expect(badZone.body.details.field).toBe('zones.0.countries.0');
    const after = (await call(t.app, owner, { url: `${base()}/mexico` })).body;
    expect(after).toMatchObject({ key: 'mexico', currency: 'MXN', zones: renamed.body.zones });
    const missing = await call(t.app, owner, {
      method: 'PUT',
      url: `${base()}/nope`,
      payload: { tax_bps: 1 },
    });
    expect(missing.status).toBe(404);
  });

  it('deletes markets but never the last one', async () => {
    const owner2 = await registerAccount(t.app);
    const store2 = await createStore(t.app, owner2);
    const del = await call(t.app, owner2, { method: 'DELETE', url: `/v1/stores/${store2}/markets/us` });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ deleted: true });
    const last = await call(t.app, owner2, { method: 'DELETE', url: `/v1/stores/${store2}/markets/eu` });
    expect(last.status).toBe(409);
    expect(last.body).toMatchObject({ error: 'in_use', details: { reason: 'last_market' } });
    expect((await marketRows(store2)).map((m) => m.key)).toEqual(['eu']);
    const gone = await call(t.app, owner2, { method: 'DELETE', url: `/v1/stores/${store2}/markets/us` });
    expect(gone.status).toBe(404);
    // Two concurrent deletes of a store's last two markets: exactly one wins.
    const store3 = await createStore(t.app, owner2);
    const both = await Promise.all(
      ['us', 'eu'].map((k) =>
        call(t.app, owner2, { method: 'DELETE', url: `/v1/stores/${store3}/markets/${k}` }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await marketRows(store3)).toHaveLength(1);
    // A new market goes after the remaining one in display order.
    await call(t.app, owner2, {
      method: 'POST',
      url: `/v1/stores/${store2}/markets`,
      payload: { key: 'gb', currency: 'GBP', tax_mode: 'inclusive', tax_bps: 2000 },
    });
    const list = await call(t.app, owner2, { url: `/v1/stores/${store2}/markets` });
    expect(list.body.map((m: { key: string }) => m.key)).toEqual(['eu', 'gb']);
  });

  it('lets admins and API keys manage markets, refuses other stores and anonymous callers', async () => {
    const admin = await registerAccount(t.app);
    await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/members`,
      payload: { email: admin.email, role: 'admin' },
    });
    const created = await call(t.app, admin, {
      method: 'POST',
      url: base(),
      payload: { key: 'admin-made', currency: 'JPY', tax_mode: 'inclusive' },
    });
    expect(created.status).toBe(201);
    const key = await createApiKey(t.app, owner);
    expect((await call(t.app, key, { method: 'DELETE', url: `${base()}/admin-made` })).status).toBe(200);

    const stranger = await registerAccount(t.app);
    const strangerStore = await createStore(t.app, stranger);
    for (const req of [
      { url: base() },
      { url: `${base()}/us` },
      {
        method: 'POST' as const,
        url: base(),
        payload: { key: 'zz', currency: 'USD', tax_mode: 'exclusive' },
      },
      { method: 'PUT' as const, url: `${base()}/us`, payload: { tax_bps: 1 } },
      { method: 'DELETE' as const, url: `${base()}/us` },
    ]) {
      const res = await call(t.app, stranger, req);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('"mkt_');
      expect((await call(t.app, null, req)).status).toBe(401);
    }
    // The owner of store A cannot reach B's market through A's path either.
    const bMarket = (await call(t.app, stranger, { url: `/v1/stores/${strangerStore}/markets/us` })).body;
    expect((await call(t.app, owner, { url: `${base()}/${bMarket.id}` })).status).toBe(404);
    expect(
      (await call(t.app, owner, { method: 'PUT', url: `${base()}/${bMarket.id}`, payload: { tax_bps: 5 } }))
        .status,
    ).toBe(404);
    expect((await call(t.app, owner, { method: 'DELETE', url: `${base()}/${bMarket.id}` })).status).toBe(404);
    const untouched = (await call(t.app, stranger, { url: `/v1/stores/${strangerStore}/markets/us` })).body;
    expect(untouched).toEqual(bMarket);
  });
});

describe('markets (storefront)', () => {
  it('are public reads; an unknown store or market is 404', async () => {
    const list = await call(t.app, null, { url: `/v1/storefront/${storeId}/markets` });
    expect(list.status).toBe(200);
    const admin = await call(t.app, owner, { url: base() });
    expect(list.body).toEqual(admin.body);
    const one = await call(t.app, null, { url: `/v1/storefront/${storeId}/markets/CA` });
    expect(one.body).toMatchObject({ key: 'ca', zones: [{ id: 'north-america' }, expect.any(Object)] });
    expect(
      (await call(t.app, null, { url: `/v1/storefront/${storeId}/markets/${one.body.id}` })).body.key,
    ).toBe('ca');
    expect((await call(t.app, null, { url: `/v1/storefront/${storeId}/markets/nope` })).status).toBe(404);
    const unknown = await call(t.app, null, { url: '/v1/storefront/store_doesnotexist00000000/markets' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'not_found', details: { resource: 'store' } });
    expect(
      (await call(t.app, null, { url: '/v1/storefront/store_doesnotexist00000000/markets/us' })).status,
    ).toBe(404);
    // Another store's market is not reachable through this store's storefront.
    const other = await registerAccount(t.app);
    const otherStore = await createStore(t.app, other);
    const otherUs = (await call(t.app, null, { url: `/v1/storefront/${otherStore}/markets/us` })).body;
    expect((await call(t.app, null, { url: `/v1/storefront/${storeId}/markets/${otherUs.id}` })).status).toBe(
      404,
    );
    // Only active stores have a storefront.
    expect(
      (
        await call(t.app, other, {
          method: 'PUT',
          url: `/v1/stores/${otherStore}`,
          payload: { status: 'archived' },
        })
      ).status,
    ).toBe(200);
    expect((await call(t.app, null, { url: `/v1/storefront/${otherStore}/markets` })).status).toBe(404);
    expect((await call(t.app, other, { url: `/v1/stores/${otherStore}/markets` })).status).toBe(200);
  });
});
