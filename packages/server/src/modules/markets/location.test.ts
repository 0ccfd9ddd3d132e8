import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, createStore, registerAccount, type Caller } from '../../../test/fixtures.ts';

let t: TestApp;
let owner: Caller;
let storeId: string;
beforeAll(async () => {
  t = await createTestApp();
  owner = await registerAccount(t.app);
  storeId = await createStore(t.app, owner);
});
afterAll(async () => t?.close());

const base = () => `/v1/stores/${storeId}/locations`;
const shop = {
  name: 'Main shop',
  street1: '1 Rue de Rivoli',
  city: 'Paris',
  state: 'IDF',
  postalCode: '75001',
  country: 'fr',
};

async function createLocation(payload: object) {
  const res = await call(t.app, owner, { method: 'POST', url: base(), payload });
  expect(res.status).toBe(201);
  return res.body;
}

const pickupMarket = (locationId: string) => ({
  zones: [
    { id: 'all', shipping_methods: [{ id: 'collect', type: 'pickup', amount: 0, location_id: locationId }] },
  ],
});

describe('locations (admin)', () => {
  it('creates, lists, gets by id or key and updates partially', async () => {
    const loc = await createLocation({
      key: 'paris-shop',
      address: shop,
      isPickupLocation: true,
      coordinates: { lat: 48.86, lon: 2.34 },
    });
    expect(loc).toMatchObject({
      id: expect.stringMatching(/^loc_/),
      store_id: storeId,
      key: 'paris-shop',
      address: {
        name: 'Main shop',
        street1: '1 Rue de Rivoli',
        city: 'Paris',
        state: 'IDF',
        postal_code: '75001',
        country: 'FR',
      },
      is_pickup_location: true,
      coordinates: { lat: 48.86, lon: 2.34 },
    });
    const warehouse = await createLocation({ key: 'warehouse', address: { country: 'DE', city: 'Berlin' } });
    expect(warehouse).toMatchObject({ is_pickup_location: false, coordinates: null });
    const list = await call(t.app, owner, { url: base() });
    expect(list.body.map((l: { id: string }) => l.id).sort()).toEqual([loc.id, warehouse.id].sort());
    expect((await call(t.app, owner, { url: `${base()}/warehouse` })).body.id).toBe(warehouse.id);
    expect((await call(t.app, owner, { url: `${base()}/${loc.id}` })).body).toEqual(loc);
    const upd = await call(t.app, owner, {
      method: 'PUT',
      url: `${base()}/warehouse`,
      payload: { key: 'berlin-warehouse', coordinates: null, is_pickup_location: true },
    });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({
      id: warehouse.id,
      key: 'berlin-warehouse',
      address: { country: 'DE', city: 'Berlin' },
      is_pickup_location: true,
      coordinates: null,
    });
    expect((await call(t.app, owner, { url: `${base()}/nope` })).status).toBe(404);
  });

  it('rejects bad input with the field and duplicate keys with 409', async () => {
    const bad = async (payload: object, method: 'POST' | 'PUT' = 'POST', url = base()) => {
      const res = await call(t.app, owner, { method, url, payload });
      expect(res.status).toBe(400);
      return res.body.details;
    };
    expect(await bad({ address: shop })).toMatchObject({ field: 'key', reason: 'required' });
    expect(await bad({ key: 'x' })).toMatchObject({ field: 'address', reason: 'required' });
    expect(await bad({ key: 'x', address: { ...shop, country: 'QQ' } })).toMatchObject({
      field: 'address.country',
      reason: 'invalid_country',
    });
    expect(await bad({ key: 'x', address: { ...shop, country: 'FRA' } })).toMatchObject({
      field: 'address.country',
      reason: 'max_length',
    });
    expect(await bad({ key: 'x', address: shop, coordinates: { lat: 91, lon: 0 } })).toMatchObject({
      field: 'coordinates.lat',
      reason: 'max',
    });
    await createLocation({ key: 'unique-one', address: shop });
    const dup = await call(t.app, owner, {
      method: 'POST',
      url: base(),
      payload: { key: 'unique-one', address: shop },
    });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ error: 'already_exists', details: { field: 'key' } });
    await createLocation({ key: 'unique-two', address: shop });
    const renamed = await call(t.app, owner, {
      method: 'PUT',
      url: `${base()}/unique-two`,
      payload: { key: 'unique-one' },
    });
    expect(renamed.status).toBe(409);
    expect(await bad({ address: { country: 'XX' } }, 'PUT', `${base()}/unique-two`)).toMatchObject({
      field: 'address.country',
    });
    const rows = await t.app.deps.db.db
      .selectFrom('locations')
      .select('key')
      .where('store_id', '=', storeId)
      .where('key', 'like', 'unique%')
      .execute();
    expect(rows.map((r) => r.key).sort()).toEqual(['unique-one', 'unique-two']);
  });

  it('checks pickup locations of shipping methods and refuses to delete a location in use', async () => {
    const pickup = await createLocation({ key: 'pickup-point', address: shop, is_pickup_location: true });
    const plain = await createLocation({ key: 'plain', address: shop });
    const other = await registerAccount(t.app);
    const otherStore = await createStore(t.app, other);
    const foreign = (
      await call(t.app, other, {
        method: 'POST',
        url: `/v1/stores/${otherStore}/locations`,
        payload: { key: 'theirs', address: shop, is_pickup_location: true },
      })
    ).body;

    const put = (payload: object) =>
      call(t.app, owner, { method: 'PUT', url: `/v1/stores/${storeId}/markets/us`, payload });
    for (const [id, reason] of [
      [plain.id, 'not_pickup_location'],
      [foreign.id, 'not_found'],
      ['loc_doesnotexist000000000', 'not_found'],
    ] as const) {
      const res = await put(pickupMarket(id));
      expect(res.status).toBe(400);
      expect(res.body.details).toMatchObject({ field: 'zones.0.shipping_methods.0.location_id', reason });
    }
    const okRes = await put(pickupMarket(pickup.id));
    expect(okRes.status).toBe(200);
    expect(okRes.body.zones[0].shipping_methods[0]).toMatchObject({
      type: 'pickup',
      location_id: pickup.id,
      location: null,
    });

    const del = await call(t.app, owner, { method: 'DELETE', url: `${base()}/${pickup.id}` });
    expect(del.status).toBe(409);
    expect(del.body).toMatchObject({ error: 'in_use', details: { reason: 'location_in_use' } });
    expect(del.body.message).toContain('us/collect');
    const unpickup = await call(t.app, owner, {
      method: 'PUT',
      url: `${base()}/${pickup.id}`,
      payload: { is_pickup_location: false },
    });
    expect(unpickup.status).toBe(409);
    expect((await call(t.app, owner, { url: `${base()}/${pickup.id}` })).body.is_pickup_location).toBe(true);

    // Once no method picks up there, it can go; a second delete is a 404.
    expect((await put({ zones: [] })).status).toBe(200);
    expect((await call(t.app, owner, { method: 'DELETE', url: `${base()}/pickup-point` })).body).toEqual({
      deleted: true,
    });
    expect((await call(t.app, owner, { method: 'DELETE', url: `${base()}/pickup-point` })).status).toBe(404);
    // Another store's location is invisible here.
    expect((await call(t.app, owner, { url: `${base()}/${foreign.id}` })).status).toBe(404);
    expect((await call(t.app, owner, { method: 'DELETE', url: `${base()}/${foreign.id}` })).status).toBe(404);
    expect(
      (await call(t.app, other, { url: `/v1/stores/${otherStore}/locations/${foreign.id}` })).status,
    ).toBe(200);
  });

  it('refuses anonymous callers and non-members', async () => {
    const stranger = await registerAccount(t.app);
    expect((await call(t.app, null, { url: base() })).status).toBe(401);
    expect((await call(t.app, stranger, { url: base() })).status).toBe(404);
    expect(
      (await call(t.app, stranger, { method: 'POST', url: base(), payload: { key: 'evil', address: shop } }))
        .status,
    ).toBe(404);
  });
});

describe('locations (storefront)', () => {
  it('are public reads; an unknown store or location is 404', async () => {
    const loc = await createLocation({ key: 'sf-shop', address: shop, is_pickup_location: true });
    const list = await call(t.app, null, { url: `/v1/storefront/${storeId}/locations` });
    expect(list.status).toBe(200);
    expect(list.body).toEqual((await call(t.app, owner, { url: base() })).body);
    expect((await call(t.app, null, { url: `/v1/storefront/${storeId}/locations/sf-shop` })).body).toEqual(
      loc,
    );
    expect((await call(t.app, null, { url: `/v1/storefront/${storeId}/locations/${loc.id}` })).body.key).toBe(
      'sf-shop',
    );
    expect((await call(t.app, null, { url: `/v1/storefront/${storeId}/locations/nope` })).status).toBe(404);
    const unknown = await call(t.app, null, { url: '/v1/storefront/store_doesnotexist00000000/locations' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.details).toMatchObject({ resource: 'store' });
    expect(
      (await call(t.app, null, { url: `/v1/storefront/store_doesnotexist00000000/locations/${loc.id}` }))
        .status,
    ).toBe(404);
  });
});
