import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, type Caller } from '../../../test/fixtures.ts';
import { commerceStore, guest, stockedProduct } from '../../../test/commerce-fixtures.ts';
import {
  at,
  bookableService,
  link,
  NY_DST_SUNDAY,
  setTimeZone,
  WEEK,
} from '../../../test/booking-fixtures.ts';
import { sweepReminders } from './index.ts';

let t: TestApp;
let owner: Caller;
let storeId: string;

beforeAll(async () => {
  t = await createTestApp();
  ({ owner, storeId } = await commerceStore(t.app));
  await setTimeZone(t.app, owner, storeId, 'America/New_York');
});
afterAll(async () => t?.close());

const url = (p: string) => `/v1/stores/${storeId}${p}`;
const events = async (type: string) =>
  (
    await t.app.deps.db.db
      .selectFrom('outbox_events')
      .select(['type', 'data'])
      .where('store_id', '=', storeId)
      .where('type', '=', type)
      .execute()
  ).map((e) => JSON.parse(e.data));
const availability = async (serviceId: string, from: number, to: number, extra = '') =>
  call(t.app, owner, {
    url: url(`/services/availability?service_id=${serviceId}&from=${from}&to=${to}${extra}`),
  });

describe(`services, providers and links (${ENGINE})`, () => {
  it('CRUD with slugs, store:locale:slug lookups, filters, counts and events', async () => {
    const created = await call(t.app, owner, {
      method: 'POST',
      url: url('/services'),
      payload: {
        key: 'haircut',
        slug: { en: 'haircut', fr: 'coupe' },
        blocks: [{ key: 'name', value: 'Haircut' }],
        filters: ['hair'],
        location: { country: 'US', city: 'Boston' },
        status: 'ACTIVE',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      key: 'haircut',
      slug: { en: 'haircut', fr: 'coupe' },
      taxonomies: ['hair'],
      status: 'active',
      location: { country: 'US', city: 'Boston' },
    });
    expect(created.body.id).toMatch(/^svc_/);
    expect(
      (await call(t.app, owner, { method: 'POST', url: url('/services'), payload: { key: 'haircut' } })).body,
    ).toMatchObject({ error: 'already_exists', details: { field: 'key' } });
    expect(
      (await call(t.app, owner, { method: 'POST', url: url('/services'), payload: { key: 'Bad Key' } })).body,
    ).toMatchObject({ error: 'validation_error', details: { field: 'key' } });
    const bySlug = await call(t.app, owner, { url: url(`/services/${storeId}:fr:coupe`) });
    expect(bySlug.body).toMatchObject({ id: created.body.id, providers: [] });
    const provider = await call(t.app, owner, {
      method: 'POST',
      url: url('/providers'),
      payload: { key: 'stylist-ann', blocks: [{ key: 'name', value: 'Ann' }] },
    });
    expect(provider.status).toBe(201);
    expect(provider.body).toMatchObject({
      id: expect.stringMatching(/^prv_/),
      key: 'stylist-ann',
      slug: { en: 'stylist-ann' },
      timeline: [],
    });
    const sp = await link(t.app, owner, storeId, created.body.id, provider.body.id, {
      reminders: [60, 60, 1440],
    });
    expect(sp).toMatchObject({
      id: expect.stringMatching(/^sp_/),
      capacity: 1,
      durations: [{ duration: 60, is_pause: false }],
      reminders: [1440, 60],
      max_advance: 0,
      outcast_dates: [],
    });
    const again = await call(t.app, owner, {
      method: 'POST',
      url: url('/service-providers'),
      payload: {
        service_id: created.body.id,
        provider_id: provider.body.id,
        working_days: [],
        specific_dates: [],
        slot_interval: 0,
      },
    });
    expect(again.body).toMatchObject({ error: 'already_exists' });
    const got = await call(t.app, owner, { url: url(`/services/${created.body.id}`) });
    expect(got.body.providers.map((p: { id: string }) => p.id)).toEqual([sp.id]);
    const find = await call(t.app, owner, { url: url(`/services?provider_id=${provider.body.id}`) });
    expect(find.body.items.map((s: { id: string }) => s.id)).toEqual([created.body.id]);
    expect(
      (await call(t.app, owner, { url: url(`/providers?service_id=${created.body.id}`) })).body.items.map(
        (p: { id: string }) => p.id,
      ),
    ).toEqual([provider.body.id]);
    expect((await call(t.app, owner, { url: url(`/providers?query=ann`) })).body.items).toHaveLength(1);
    expect(
      (await call(t.app, owner, { url: url(`/service-providers?service_id=${created.body.id}`) })).body,
    ).toHaveLength(1);
    const updated = await call(t.app, owner, {
      method: 'PUT',
      url: url(`/service-providers/${sp.id}`),
      payload: { capacity: 2, min_advance: 30 },
    });
    expect(updated.body).toMatchObject({ capacity: 2, min_advance: 30, reminders: [1440, 60] });
    const renamed = await call(t.app, owner, {
      method: 'PUT',
      url: url(`/providers/${provider.body.id}`),
      payload: { key: 'stylist-anne' },
    });
    expect(renamed.body.key).toBe('stylist-anne');
    const store = await call(t.app, owner, { url: `/v1/stores/${storeId}` });
    expect(store.body.counts).toMatchObject({ services: 1, providers: 1 });

    const other = await call(t.app, owner, {
      method: 'POST',
      url: url('/services'),
      payload: { key: 'to-delete' },
    });
    expect(
      (await call(t.app, owner, { method: 'DELETE', url: url(`/services/${other.body.id}`) })).body,
    ).toEqual({ deleted: true });
    expect((await call(t.app, owner, { url: url(`/services/${other.body.id}`) })).status).toBe(404);
    expect(
      (await call(t.app, owner, { method: 'DELETE', url: url(`/service-providers/${sp.id}`) })).body,
    ).toEqual({ deleted: true });
    expect(
      (await call(t.app, owner, { method: 'DELETE', url: url(`/providers/${provider.body.id}`) })).body,
    ).toEqual({ deleted: true });

    expect((await events('service.created')).map((e) => e.key)).toEqual(['haircut', 'to-delete']);
    expect((await events('service.deleted'))[0]).toMatchObject({ id: other.body.id, key: 'to-delete' });
    expect((await events('service.updated')).length).toBeGreaterThanOrEqual(3); // link created, updated, deleted
    expect((await events('provider.created')).map((e) => e.key)).toEqual(['stylist-ann']);
    expect((await events('provider.updated')).map((e) => e.key)).toEqual(['stylist-anne']);
    expect(await events('provider.deleted')).toHaveLength(1);
  });

  it('rejects bad working time with every field named, and links across stores', async () => {
    const { service, providers } = await bookableService(t.app, owner, storeId);
    const other = await call(t.app, owner, {
      method: 'POST',
      url: url('/providers'),
      payload: { key: 'second-prov' },
    });
    const res = await call(t.app, owner, {
      method: 'POST',
      url: url('/service-providers'),
      payload: {
        service_id: service.id,
        provider_id: other.body.id,
        working_days: [
          { day: 'Monday', working_hours: [{ from: 600, to: 540 }] },
          {
            day: 'tuesday',
            working_hours: [
              { from: 540, to: 700 },
              { from: 600, to: 800 },
            ],
          },
          { day: 'monday', working_hours: [] },
        ],
        outcast_dates: [{ month: 2, day: 30, working_hours: [] }],
        specific_dates: [{ date: 1698796801, working_hours: [] }],
        prices: [{ market: 'mars', amount: 1 }],
        slot_interval: 0,
      },
    });
    expect(res.status).toBe(400);
    expect(
      res.body.details.errors.map((e: { field: string; reason: string }) => `${e.field}:${e.reason}`).sort(),
    ).toEqual(
      [
        'outcast_dates.0.day:max',
        'prices.0.market:not_found',
        'specific_dates.0.date:invalid_value',
        'working_days.0.working_hours.0.to:min',
        'working_days.1.working_hours.1.from:overlap',
        'working_days.2.day:duplicate',
      ].sort(),
    );
    const hours = await call(t.app, owner, {
      method: 'POST',
      url: url('/service-providers'),
      payload: {
        service_id: service.id,
        provider_id: other.body.id,
        working_days: [{ day: 'monday', working_hours: [{ from: 0, to: 1441 }] }],
        specific_dates: [],
        slot_interval: 0,
      },
    });
    expect(hours.body).toMatchObject({
      error: 'validation_error',
      details: { field: 'working_days.0.working_hours.0.to' },
    });
    const foreign = await call(t.app, owner, {
      method: 'POST',
      url: url('/service-providers'),
      payload: {
        service_id: 'svc_elsewhere',
        provider_id: providers[0].id,
        working_days: [],
        specific_dates: [],
        slot_interval: 0,
      },
    });
    expect(foreign.body).toMatchObject({
      error: 'validation_error',
      details: { field: 'service_id', reason: 'not_found' },
    });
  });

  it('storefront sees active records only', async () => {
    const { service, providers } = await bookableService(t.app, owner, storeId, {
      providers: ['kim', 'lee'],
    });
    await call(t.app, owner, {
      method: 'PUT',
      url: url(`/providers/${providers[1].id}`),
      payload: { status: 'archived' },
    });
    const sf = await call(t.app, null, { url: `/v1/storefront/${storeId}/services/${service.id}` });
    expect(sf.body.providers.map((p: { provider_id: string }) => p.provider_id)).toEqual([providers[0].id]);
    expect(
      (await call(t.app, null, { url: `/v1/storefront/${storeId}/providers/${providers[1].id}` })).status,
    ).toBe(404);
    const avail = await call(t.app, null, {
      url: `/v1/storefront/${storeId}/services/availability?service_id=${service.id}&from=${NY_DST_SUNDAY}&to=${NY_DST_SUNDAY + 86400}`,
    });
    expect(avail.body.providers.map((p: { provider_id: string }) => p.provider_id)).toEqual([
      providers[0].id,
    ]);
    await call(t.app, owner, {
      method: 'PUT',
      url: url(`/services/${service.id}`),
      payload: { status: 'archived' },
    });
    expect(
      (await call(t.app, null, { url: `/v1/storefront/${storeId}/services/${service.id}` })).status,
    ).toBe(404);
    expect(
      (await call(t.app, null, { url: `/v1/storefront/${storeId}/services?ids=${service.id}` })).body.items,
    ).toEqual([]);
    expect(
      (
        await call(t.app, null, {
          url: `/v1/storefront/${storeId}/services/availability?service_id=${service.id}&from=${NY_DST_SUNDAY}&to=${NY_DST_SUNDAY + 86400}`,
        })
      ).status,
    ).toBe(404);
  });
});

describe(`availability over HTTP (${ENGINE})`, () => {
  it('a week with the spring-forward change: every local date, no slot in the gap, 60 real minutes', async () => {
    const { service, providers } = await bookableService(t.app, owner, storeId, {
      hours: [{ from: 0, to: 240 }],
      interval: 30,
    });
    const from = NY_DST_SUNDAY - 3 * 86400;
    const res = await availability(service.id, from, from + 7 * 86400);
    expect(res.status).toBe(200);
    const days = res.body.providers[0].days;
    expect(res.body.providers[0]).toMatchObject({
      provider_id: providers[0].id,
      provider_key: providers[0].key,
    });
    // 7 × 86400 s from Thursday 00:00 EST ends Thursday 01:00 EDT: the 23-hour Sunday makes the
    // range touch an eighth local date, which is listed too.
    expect(days.map((d: { date: string }) => d.date)).toEqual([
      '2030-03-07',
      '2030-03-08',
      '2030-03-09',
      '2030-03-10',
      '2030-03-11',
      '2030-03-12',
      '2030-03-13',
      '2030-03-14',
    ]);
    expect(days[7].slots.map((s: { from: number }) => s.from)).toEqual([at('2030-03-14T00:00-04:00')]);
    const sunday = days[3].slots;
    // 00:00, 00:30, 01:00, 01:30 EST then 03:00 EDT: no start in 02:00–02:59.
    expect(sunday.map((s: { from: number }) => s.from)).toEqual([
      at('2030-03-10T00:00-05:00'),
      at('2030-03-10T00:30-05:00'),
      at('2030-03-10T01:00-05:00'),
      at('2030-03-10T01:30-05:00'),
      at('2030-03-10T03:00-04:00'),
    ]);
    for (const s of sunday) expect(s.to - s.from).toBe(3600);
    expect(days[0].slots).toHaveLength(7);
  });

  it('bad ranges and unknown services', async () => {
    const { service } = await bookableService(t.app, owner, storeId);
    expect((await availability(service.id, 1000, 1000)).body).toMatchObject({
      error: 'validation_error',
      details: { field: 'to' },
    });
    expect((await availability(service.id, 0, 63 * 86400)).body).toMatchObject({
      error: 'validation_error',
      details: { field: 'to', reason: 'max' },
    });
    expect((await availability('svc_nope', 0, 86400)).status).toBe(404);
    expect(
      (await call(t.app, owner, { url: url(`/services/availability?from=0&to=10`) })).body,
    ).toMatchObject({ error: 'validation_error', details: { field: 'service_id' } });
  });
});

describe(`booking in quotes and checkout (${ENGINE})`, () => {
  const slot = { from: at('2030-03-12T10:00-04:00'), to: at('2030-03-12T11:00-04:00') };
  const day = { from: at('2030-03-12T00:00-04:00'), to: at('2030-03-13T00:00-04:00') };
  const spotsAt = async (serviceId: string, when: number) => {
    const res = await availability(serviceId, day.from, day.to);
    return res.body.providers.map(
      (p: { days: { slots: { from: number; spots: number }[] }[] }) =>
        p.days[0]!.slots.find((s) => s.from === when)?.spots ?? 0,
    );
  };

  it('quote: one line per slot, reasons, prices per market, any-provider choice consuming spots in order', async () => {
    const { service, providers } = await bookableService(t.app, owner, storeId, {
      providers: ['p1', 'p2'],
      eu: null,
      min_advance: 0,
    });
    const { variantId } = await stockedProduct(t.app, owner, storeId);
    const quote = await call(t.app, owner, {
      method: 'POST',
      url: url('/orders/quote'),
      payload: {
        market: 'us',
        items: [
          { variant_id: variantId, quantity: 1 },
          {
            type: 'SERVICE',
            serviceId: service.id,
            slots: [slot, slot, slot, { from: slot.from + 60, to: slot.to + 60 }],
          },
        ],
      },
    });
    expect(quote.status).toBe(200);
    const lines = quote.body.items.filter((l: { type: string }) => l.type === 'service');
    expect(lines.map((l: any) => [l.provider_id, l.availability])).toEqual([
      [providers[0].id, { ok: true, spots: 1 }],
      [providers[1].id, { ok: true, spots: 1 }],
      [providers[0].id, { ok: false, reason: 'slot_unavailable' }],
      [providers[0].id, { ok: false, reason: 'outside_working_time' }],
    ]);
    expect(lines[0]).toMatchObject({
      quantity: 1,
      unit_price: 5000,
      from: slot.from,
      to: slot.to,
      snapshot: {
        service_key: service.key,
        provider_key: providers[0].key,
        price: { amount: 5000, currency: 'USD' },
      },
    });
    expect(quote.body.subtotal).toBe(1000 + 4 * 5000);
    const eu = await call(t.app, owner, {
      method: 'POST',
      url: url('/orders/quote'),
      payload: { market: 'eu', items: [{ type: 'service', service_id: service.id, slots: [slot] }] },
    });
    expect(eu.body).toMatchObject({ error: 'price_not_found', details: { field: 'items.0' } });
    const past = await call(t.app, owner, {
      method: 'POST',
      url: url('/orders/quote'),
      payload: {
        items: [
          {
            type: 'service',
            service_id: service.id,
            provider_id: providers[1].id,
            slots: [{ from: at('2020-03-12T10:00-04:00'), to: at('2020-03-12T11:00-04:00') }],
          },
        ],
      },
    });
    expect(past.body.items[0]).toMatchObject({
      provider_id: providers[1].id,
      availability: { ok: false, reason: 'too_early' },
    });
    const noSlots = await call(t.app, owner, {
      method: 'POST',
      url: url('/orders/quote'),
      payload: { items: [{ type: 'service', service_id: service.id }] },
    });
    expect(noSlots.body).toMatchObject({ error: 'validation_error', details: { field: 'items.0.slots' } });
    const wrongProvider = await call(t.app, owner, {
      method: 'POST',
      url: url('/orders/quote'),
      payload: {
        items: [{ type: 'service', service_id: service.id, provider_id: 'prv_other', slots: [slot] }],
      },
    });
    expect(wrongProvider.body).toMatchObject({
      error: 'validation_error',
      details: { field: 'items.0.provider_id' },
    });
  });

  it('cash checkout books the slot; the same slot again → 409 slot_unavailable; cancel frees it', async () => {
    const { service, providers } = await bookableService(t.app, owner, storeId);
    const { variantId } = await stockedProduct(t.app, owner, storeId);
    expect(await spotsAt(service.id, slot.from)).toEqual([1]);
    const items = [
      { variant_id: variantId, quantity: 1 },
      {
        type: 'service',
        service_id: service.id,
        provider_id: providers[0].id,
        slots: [slot],
        forms: [{ form_id: 'f', fields: [{ key: 'note', value: 'short' }] }],
      },
    ];
    const co = await call(t.app, owner, {
      method: 'POST',
      url: url('/orders/checkout'),
      payload: { items, payment_method_id: 'cash' },
    });
    expect(co.status).toBe(201);
    const order = await call(t.app, owner, { url: url(`/orders/${co.body.order_id}`) });
    expect(order.body.workflow_status).toBe('confirmed');
    expect(order.body.items[1]).toMatchObject({
      type: 'service',
      service_id: service.id,
      provider_id: providers[0].id,
      from: slot.from,
      to: slot.to,
      status: { status: 'confirmed' },
      forms: [{ form_id: 'f' }],
    });
    expect(await spotsAt(service.id, slot.from)).toEqual([0]);
    const again = await call(t.app, owner, {
      method: 'POST',
      url: url('/orders/checkout'),
      payload: { items: [{ type: 'service', service_id: service.id, slots: [slot] }] },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'slot_unavailable', details: { field: 'items.0' } });
    const cancel = await call(t.app, owner, {
      method: 'PUT',
      url: url(`/orders/${co.body.order_id}`),
      payload: { cancel: true },
    });
    expect(cancel.body.items[1].status).toEqual({ status: 'cancelled', reason: 'admin_rejected' });
    expect(await spotsAt(service.id, slot.from)).toEqual([1]);
    expect(
      (
        await call(t.app, owner, {
          method: 'POST',
          url: url('/orders/checkout'),
          payload: { items: [{ type: 'service', service_id: service.id, slots: [slot] }] },
        })
      ).status,
    ).toBe(201);
  });

  it('bookings of one provider count across its services: an overlapping 30-minute booking is refused', async () => {
    const long = await bookableService(t.app, owner, storeId);
    const provider = long.providers[0];
    const short = await call(t.app, owner, {
      method: 'POST',
      url: url('/services'),
      payload: { key: `short-${Date.now()}` },
    });
    await link(t.app, owner, storeId, short.body.id, provider.id, { duration: 30, interval: 30 });
    expect(
      (
        await call(t.app, owner, {
          method: 'POST',
          url: url('/orders/checkout'),
          payload: { items: [{ type: 'service', service_id: long.service.id, slots: [slot] }] },
        })
      ).status,
    ).toBe(201);
    const overlap = await call(t.app, owner, {
      method: 'POST',
      url: url('/orders/checkout'),
      payload: {
        items: [
          { type: 'service', service_id: short.body.id, slots: [{ from: slot.from + 1800, to: slot.to }] },
        ],
      },
    });
    expect(overlap.body).toMatchObject({ error: 'slot_unavailable', details: { field: 'items.0' } });
    const after = await call(t.app, owner, {
      method: 'POST',
      url: url('/orders/checkout'),
      payload: {
        items: [
          { type: 'service', service_id: short.body.id, slots: [{ from: slot.to, to: slot.to + 1800 }] },
        ],
      },
    });
    expect(after.status).toBe(201);
    const tl = await call(t.app, owner, {
      url: url(`/providers/${provider.id}?from=${day.from}&to=${day.to}`),
    });
    expect(tl.body.timeline).toEqual([
      { timestamp: slot.from, booked: 1 },
      { timestamp: slot.to + 1800, booked: 0 },
    ]);
  });

  it('carts carry service items; the storefront guest checks out its own cart', async () => {
    const { service } = await bookableService(t.app, owner, storeId);
    const shopper = await guest(t.app, storeId);
    const cart = await call(t.app, shopper, {
      method: 'POST',
      url: `/v1/storefront/${storeId}/carts/current`,
      payload: { market: 'us' },
    });
    const added = await call(t.app, shopper, {
      method: 'POST',
      url: `/v1/storefront/${storeId}/carts/${cart.body.id}/items`,
      payload: {
        item: {
          type: 'service',
          service_id: service.id,
          slots: [slot, { from: slot.to, to: slot.to + 3600 }],
          price: { amount: 1 },
        },
      },
    });
    expect(added.body.item_count).toBe(2);
    expect(added.body.items[0].price).toBeUndefined();
    const quote = await call(t.app, shopper, {
      method: 'POST',
      url: `/v1/storefront/${storeId}/carts/${cart.body.id}/quote`,
      payload: {},
    });
    expect(
      quote.body.items.map((l: { unit_price: number; availability: { ok: boolean } }) => [
        l.unit_price,
        l.availability.ok,
      ]),
    ).toEqual([
      [5000, true],
      [5000, true],
    ]);
    const co = await call(t.app, shopper, {
      method: 'POST',
      url: `/v1/storefront/${storeId}/carts/${cart.body.id}/checkout`,
      payload: { payment_method_id: 'cash' },
    });
    expect(co.status).toBe(201);
    const mine = await call(t.app, shopper, { url: `/v1/storefront/${storeId}/orders/${co.body.order_id}` });
    expect(mine.body.items).toHaveLength(2);
  });

  it('seed 002 POST /v1/reservations/checkout with businessId and parts', async () => {
    const { service, providers } = await bookableService(t.app, owner, storeId);
    const res = await call(t.app, owner, {
      method: 'POST',
      url: '/v1/reservations/checkout',
      payload: {
        businessId: storeId,
        market: 'us',
        paymentMethod: 'CASH',
        parts: [
          {
            type: 'SERVICE',
            serviceId: service.id,
            providerId: providers[0].id,
            from: slot.from,
            to: slot.to,
          },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ client_secret: null, payment: { total: 5350 } });
    const dup = await call(t.app, owner, {
      method: 'POST',
      url: '/v1/reservations/checkout',
      payload: { businessId: storeId, parts: [{ serviceId: service.id, from: slot.from, to: slot.to }] },
    });
    expect(dup.body).toMatchObject({ error: 'slot_unavailable' });
  });
});

describe(`reservations and reminders (${ENGINE})`, () => {
  it('lists reservations with the §7 filters', async () => {
    const a = await bookableService(t.app, owner, storeId, { providers: ['r1', 'r2'] });
    const shopper = await guest(t.app, storeId);
    const s1 = { from: at('2030-04-02T09:00-04:00'), to: at('2030-04-02T10:00-04:00') };
    const s2 = { from: at('2030-04-03T09:00-04:00'), to: at('2030-04-03T10:00-04:00') };
    const one = await call(t.app, shopper, {
      method: 'POST',
      url: url('/orders/checkout'),
      payload: {
        items: [
          { type: 'service', service_id: a.service.id, provider_id: a.providers[0].id, slots: [s1, s2] },
        ],
      },
    });
    expect(one.status).toBe(201);
    const two = await call(t.app, owner, {
      method: 'POST',
      url: url('/orders/checkout'),
      payload: {
        items: [{ type: 'service', service_id: a.service.id, provider_id: a.providers[1].id, slots: [s1] }],
      },
    });
    await call(t.app, owner, {
      method: 'PUT',
      url: url(`/orders/${two.body.order_id}`),
      payload: { cancel: true },
    });
    const list = async (q: string) =>
      (await call(t.app, owner, { url: url(`/reservations?service_ids=${a.service.id}${q}`) })).body;
    const all = await list('&sort_field=from&sort_order=asc');
    // Ascending by slot start (ties in id order).
    expect(all.items.map((r: any) => r.from)).toEqual([s1.from, s1.from, s2.from]);
    const key = (x: unknown[]) => x.join('|');
    expect(all.items.map((r: any) => key([r.from, r.provider_id, r.status.status])).sort()).toEqual(
      [
        [s1.from, a.providers[0].id, 'confirmed'],
        [s1.from, a.providers[1].id, 'cancelled'],
        [s2.from, a.providers[0].id, 'confirmed'],
      ]
        .map(key)
        .sort(),
    );
    expect(all.items[0]).toMatchObject({
      order_number: expect.any(String),
      store_id: storeId,
      workflow_status: expect.any(String),
      snapshot: { service_key: a.service.key },
    });
    expect((await list(`&provider_ids=${a.providers[1].id}`)).items.map((r: any) => r.order_id)).toEqual([
      two.body.order_id,
    ]);
    expect((await list('&item_statuses=confirmed')).items).toHaveLength(2);
    expect((await list(`&profile_id=${shopper.profileId}`)).items).toHaveLength(2);
    expect((await list(`&from=${s2.from}&to=${s2.to}`)).items.map((r: any) => r.from)).toEqual([s2.from]);
    const paged = await list('&limit=2');
    expect(paged).toMatchObject({ has_more: true });
    const rest = await list(`&limit=2&cursor=${paged.cursor}`);
    expect(rest.items).toHaveLength(1);
    // Descending (sort_direction, or sdk's sort_order), by slot start or by order creation.
    expect((await list('&sort_field=from&sort_direction=desc')).items.map((r: any) => r.from)).toEqual([
      s2.from,
      s1.from,
      s1.from,
    ]);
    const byCreation = (await list('&sort_field=created_at&sort_order=desc')).items;
    expect(byCreation.map((r: any) => r.created_at)).toEqual(
      byCreation.map((r: any) => r.created_at).sort((x: number, y: number) => y - x),
    );
    // `query` matches the order number; `verified` the order's verified flag.
    const byNumber = await list(`&query=${one.body.number}`);
    expect(byNumber.items.map((r: any) => r.order_id)).toEqual([one.body.order_id, one.body.order_id]);
    await t.app.deps.db.db
      .updateTable('orders')
      .set({ verified: 1 })
      .where('id', '=', one.body.order_id)
      .execute();
    expect((await list('&verified=true')).items.every((r: any) => r.order_id === one.body.order_id)).toBe(
      true,
    );
    expect((await list('&verified=true')).items).toHaveLength(2);
    expect((await list('&verified=false')).items.map((r: any) => r.order_id)).toEqual([two.body.order_id]);
  });

  it('order.reminder fires once per reminder value, once across concurrent sweeps; cancelled items are skipped', async () => {
    const { service } = await bookableService(t.app, owner, storeId, { reminders: [60, 1440] });
    const s = { from: at('2030-05-07T09:00-04:00'), to: at('2030-05-07T10:00-04:00') };
    const kept = await call(t.app, owner, {
      method: 'POST',
      url: url('/orders/checkout'),
      payload: { items: [{ type: 'service', service_id: service.id, slots: [s] }] },
    });
    const dropped = await call(t.app, owner, {
      method: 'POST',
      url: url('/orders/checkout'),
      payload: {
        items: [{ type: 'service', service_id: service.id, slots: [{ from: s.to, to: s.to + 3600 }] }],
      },
    });
    await call(t.app, owner, {
      method: 'PUT',
      url: url(`/orders/${dropped.body.order_id}`),
      payload: { cancel: true },
    });
    const db = t.app.deps.db.db;
    const fired = async () =>
      (await events('order.reminder'))
        .filter((e) => e.id === kept.body.order_id)
        .map((e) => e.reminder.minutes);
    await sweepReminders(db, s.from - 1441 * 60);
    expect(await fired()).toEqual([]);
    await Promise.all([
      sweepReminders(db, s.from - 1440 * 60),
      sweepReminders(db, s.from - 1440 * 60),
      sweepReminders(db, s.from - 1000 * 60),
    ]);
    expect(await fired()).toEqual([1440]);
    await Promise.all([sweepReminders(db, s.from - 30 * 60), sweepReminders(db, s.from - 30 * 60)]);
    expect(await fired()).toEqual([1440, 60]);
    await sweepReminders(db, s.from);
    expect(await fired()).toEqual([1440, 60]);
    const order = await call(t.app, owner, { url: url(`/orders/${kept.body.order_id}`) });
    expect(order.body.fired_reminders).toEqual([s.from - 1440 * 60, s.from - 3600]);
    expect((await events('order.reminder')).filter((e) => e.id === dropped.body.order_id)).toEqual([]);
    const outcomes = await db
      .selectFrom('booking_reminders')
      .select('outcome')
      .where('order_id', '=', dropped.body.order_id)
      .execute();
    expect(outcomes.map((o) => o.outcome)).toEqual(['skipped', 'skipped']);
  });
});

describe(`tenant isolation (${ENGINE})`, () => {
  it('store A can neither book, link, list nor read the booking records of store B', async () => {
    const b = await commerceStore(t.app);
    const inB = await bookableService(t.app, b.owner, b.storeId);
    const slot = { from: at('2030-06-04T10:00+02:00'), to: at('2030-06-04T11:00+02:00') };
    await call(t.app, b.owner, {
      method: 'POST',
      url: `/v1/stores/${b.storeId}/orders/checkout`,
      payload: { items: [{ type: 'service', service_id: inB.service.id, slots: [slot] }] },
    });
    const quote = await call(t.app, owner, {
      method: 'POST',
      url: url('/orders/quote'),
      payload: { items: [{ type: 'service', service_id: inB.service.id, slots: [slot] }] },
    });
    expect(quote.body).toMatchObject({
      error: 'validation_error',
      details: { field: 'items.0.service_id', reason: 'not_found' },
    });
    const mine = await bookableService(t.app, owner, storeId);
    const foreignProvider = await call(t.app, owner, {
      method: 'POST',
      url: url('/orders/quote'),
      payload: {
        items: [
          { type: 'service', service_id: mine.service.id, provider_id: inB.providers[0].id, slots: [slot] },
        ],
      },
    });
    expect(foreignProvider.body).toMatchObject({
      error: 'validation_error',
      details: { field: 'items.0.provider_id' },
    });
    const linkB = await call(t.app, owner, {
      method: 'POST',
      url: url('/service-providers'),
      payload: {
        service_id: mine.service.id,
        provider_id: inB.providers[0].id,
        working_days: [],
        specific_dates: [],
        slot_interval: 0,
      },
    });
    expect(linkB.body).toMatchObject({
      error: 'validation_error',
      details: { field: 'provider_id', reason: 'not_found' },
    });
    expect((await call(t.app, owner, { url: url(`/services/${inB.service.id}`) })).status).toBe(404);
    expect(
      (await call(t.app, owner, { url: url(`/services/${b.storeId}:en:${inB.service.key}`) })).status,
    ).toBe(404);
    expect(
      (
        await call(t.app, owner, {
          method: 'PUT',
          url: url(`/service-providers/${inB.links[0].id}`),
          payload: { capacity: 9 },
        })
      ).status,
    ).toBe(404);
    expect(
      (await call(t.app, owner, { url: url(`/reservations?service_ids=${inB.service.id}`) })).body.items,
    ).toEqual([]);
    expect((await availability(inB.service.id, slot.from, slot.to)).status).toBe(404);
    expect((await call(t.app, owner, { url: `/v1/stores/${b.storeId}/reservations` })).status).toBe(404);
  });
});

describe('week constants', () => {
  it('the fixture week names every day', () => expect(WEEK).toHaveLength(7));
});
