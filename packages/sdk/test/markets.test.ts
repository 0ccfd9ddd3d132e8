import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../server/test/helpers.ts';
import { createStore, registerAccount } from '../../server/test/fixtures.ts';
import {
  createArkyClient,
  createStorefrontClient,
  unwrap,
  type ArkyClient,
  type ArkyClientConfig,
} from '../src/index.ts';
import { liveServer, ownerClient } from './live-server.ts';

let t: TestApp;
let sdk: ArkyClient;
let config: ArkyClientConfig;
let storeId: string;
let otherStore: string;

beforeAll(async () => {
  const live = await liveServer();
  t = live.t;
  ({ storeId, config, sdk } = await ownerClient(t, live.baseUrl));
  otherStore = await createStore(t.app, await registerAccount(t.app));
});
afterAll(async () => t?.close());

/** A storefront client without a token. */
const storefront = () => createStorefrontClient({ ...config, getToken: () => null });

describe('sdk.market (= sdk.store.market) and sf.store.market against the real server', () => {
  it('is one object under two names', () => {
    expect(sdk.store.market).toBe(sdk.market);
  });

  it('lists, creates from seed 002 shapes, gets by key, updates and deletes', async () => {
    const list = unwrap(await sdk.market.list());
    expect(list.map((m) => m.key)).toEqual(['us', 'eu']);

    // Seed 002 spelling, as a 0.9.x-era caller would write it; the SDK and server both normalize it.
    const seed002 = {
      key: 'ca',
      currency: 'CAD',
      taxMode: 'EXCLUSIVE',
      taxBps: 500,
      paymentMethods: [{ method: 'CREDIT_CARD' }],
      zones: [
        {
          id: 'canada',
          countries: ['CA'],
          shippingMethods: [
            { id: 'std', prices: [{ market: 'CA', amount: 700, freeThreshold: 9000 }], etaText: '2 days' },
          ],
        },
      ],
    };
    const created = unwrap(await sdk.market.create(seed002 as never));
    expect(created).toMatchObject({
      key: 'ca',
      currency: 'CAD',
      tax_mode: 'exclusive',
      tax_bps: 500,
      payment_methods: [{ id: 'credit_card' }],
    });
    expect(created.zones[0]).toMatchObject({ id: 'canada', market_id: created.id, store_id: storeId });
    expect(created.zones[0]!.shipping_methods[0]).toMatchObject({
      id: 'std',
      amount: 700,
      free_above: 9000,
      eta_text: '2 days',
    });

    expect(unwrap(await sdk.market.get({ id: 'ca' })).id).toBe(created.id);
    const updated = unwrap(await sdk.market.update({ id: created.id, tax_bps: 1300, zones: [] }));
    expect(updated).toMatchObject({ id: created.id, tax_bps: 1300, zones: [], currency: 'CAD' });
    expect(unwrap(await sdk.market.delete({ id: 'ca' }))).toEqual({ deleted: true });
    const gone = await sdk.market.get({ id: 'ca' });
    expect(gone).toMatchObject({ ok: false, val: { error: 'not_found', status_code: 404 } });
  });

  it('returns API errors as Results with the field, and honours store_id overrides', async () => {
    const bad = await sdk.market.create({ key: 'zz', currency: 'ZZZ', tax_mode: 'exclusive' });
    expect(bad).toMatchObject({
      ok: false,
      val: { error: 'validation_error', status_code: 400, details: { field: 'currency' } },
    });
    const other = await sdk.market.list({ storeId: otherStore });
    expect(other).toMatchObject({ ok: false, val: { error: 'not_found', status_code: 404 } });

    const owner2 = await registerAccount(t.app);
    const store2 = await createStore(t.app, owner2);
    const sdk2 = createArkyClient({
      ...config,
      storeId: store2,
      getToken: () => owner2.headers.authorization!.replace('Bearer ', ''),
    });
    expect(unwrap(await sdk2.market.delete({ id: 'us' }))).toEqual({ deleted: true });
    const last = await sdk2.market.delete({ id: 'eu' });
    expect(last).toMatchObject({
      ok: false,
      val: { error: 'in_use', status_code: 409, details: { reason: 'last_market' } },
    });
  });

  it('reads markets on the storefront without a token', async () => {
    const sf = storefront().store.market;
    const list = unwrap(await sf.list());
    expect(list.map((m) => m.key)).toEqual(['us', 'eu']);
    expect(unwrap(await sf.get({ id: 'eu' })).currency).toBe('EUR');
    expect(await sf.list({ store_id: 'store_unknown000000000000' })).toMatchObject({
      ok: false,
      val: { status_code: 404 },
    });
  });
});

describe('sdk.store.location and sf.store.location against the real server', () => {
  it('creates, reads, updates and deletes locations; refuses to delete one in use', async () => {
    const loc = sdk.store.location;
    const created = unwrap(
      await loc.create({
        key: 'depot',
        address: { city: 'Lyon', country: 'fr', postal_code: '69001' },
        is_pickup_location: true,
        coordinates: { lat: 45.76, lon: 4.83 },
      }),
    );
    expect(created).toMatchObject({
      key: 'depot',
      store_id: storeId,
      address: { country: 'FR' },
      is_pickup_location: true,
    });
    expect(unwrap(await loc.list()).map((l) => l.id)).toContain(created.id);
    expect(unwrap(await loc.get({ id: 'depot' })).id).toBe(created.id);
    expect(unwrap(await loc.update({ id: created.id, key: 'lyon-depot' })).key).toBe('lyon-depot');

    unwrap(
      await sdk.store.market.update({
        id: 'us',
        zones: [
          { shipping_methods: [{ id: 'collect', type: 'pickup', amount: 0, location_id: created.id }] },
        ],
      }),
    );
    const inUse = await loc.delete({ id: created.id });
    expect(inUse).toMatchObject({ ok: false, val: { error: 'in_use', status_code: 409 } });
    unwrap(await sdk.market.update({ id: 'us', zones: [] }));
    expect(unwrap(await loc.delete({ id: created.id }))).toEqual({ deleted: true });
  });

  it('reads locations and countries on the storefront', async () => {
    const admin = sdk.store.location;
    const shop = unwrap(await admin.create({ key: 'shop', address: { city: 'Nice', country: 'FR' } }));
    const sf = storefront().store.location;
    expect(unwrap(await sf.list()).map((l) => l.key)).toContain('shop');
    expect(unwrap(await sf.get({ id: shop.id })).key).toBe('shop');
    const countries = unwrap(await sf.getCountries());
    expect(countries.items.find((c) => c.code === 'FR')?.name).toBe('France');
    expect(unwrap(await sf.getCountry({ code: 'us' })).states.map((s) => s.code)).toContain('CA');
    expect(unwrap(await admin.getCountry({ code: 'DE' })).code).toBe('DE');
  });
});
