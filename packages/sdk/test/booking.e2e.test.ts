import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../server/test/helpers.ts';
import { ENGINE } from '../../server/test/helpers.ts';
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

const WEEK = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
const at = (iso: string) => Date.parse(iso) / 1000;

describe(`booking through the SDK against the real server (${ENGINE})`, () => {
  it('service + two providers → availability over a DST week → book with a product in one cash checkout → 409 → cancel → spots back', async () => {
    unwrap(await sdk.store.updateStore({ timezone: 'Europe/Berlin' }));
    const service = unwrap(
      await sdk.eshop.service.create({
        key: 'massage',
        slug: { en: 'massage', fr: 'massage-fr' },
        blocks: [{ key: 'name', value: 'Massage' }],
      }),
    );
    const ann = unwrap(await sdk.eshop.provider.create({ key: 'ann' }));
    const bob = unwrap(await sdk.eshop.provider.create({ key: 'bob' }));
    for (const p of [ann, bob]) {
      unwrap(
        await sdk.eshop.service.createProvider({
          service_id: service.id,
          provider_id: p.id,
          working_days: WEEK.map((day) => ({ day, working_hours: [{ from: 60, to: 240 }] })),
          outcast_dates: [{ month: 3, day: 28, working_hours: [] }],
          specific_dates: [],
          prices: [{ market: 'us', amount: 8000 }],
          durations: [
            { duration: 50, is_pause: false },
            { duration: 10, is_pause: true },
          ],
          slot_interval: 30,
        }),
      );
    }
    expect(unwrap(await sdk.eshop.service.get({ id: `${storeId}:fr:massage-fr` })).providers).toHaveLength(2);
    expect(
      unwrap(await sdk.eshop.service.findProviders({ service_id: service.id })).map((l) => l.provider_id),
    ).toEqual([ann.id, bob.id]);
    expect(unwrap(await sdk.eshop.service.find({ provider_id: ann.id })).items.map((x) => x.id)).toEqual([
      service.id,
    ]);

    // Berlin springs forward on Sunday 2030-03-31 at 02:00.
    const from = at('2030-03-27T00:00+01:00');
    const to = at('2030-04-03T00:00+02:00');
    const week = unwrap(await sdk.eshop.service.getAvailability({ service_id: service.id, from, to }));
    expect(week.providers.map((p) => p.provider_key)).toEqual(['ann', 'bob']);
    const days = week.providers[0]!.days;
    expect(days.map((d) => d.date)).toEqual([
      '2030-03-27',
      '2030-03-28',
      '2030-03-29',
      '2030-03-30',
      '2030-03-31',
      '2030-04-01',
      '2030-04-02',
    ]);
    expect(days[1]!.slots).toEqual([]); // outcast date
    const sunday = days[4]!.slots.map((s) => s.from);
    // 01:30 CET + 60 real minutes ends 03:30 CEST, inside 01:00–04:00; 02:00–02:59 does not exist.
    expect(sunday).toEqual([
      at('2030-03-31T01:00+01:00'),
      at('2030-03-31T01:30+01:00'),
      at('2030-03-31T03:00+02:00'),
    ]);
    const slot = days[5]!.slots[0]!;
    expect(slot).toMatchObject({
      from: at('2030-04-01T01:00+02:00'),
      to: at('2030-04-01T02:00+02:00'),
      spots: 1,
    });

    const product = unwrap(
      await sdk.eshop.product.create({
        key: 'oil',
        variants: [{ prices: [{ market: 'us', amount: 1500 }], inventory: 5 }],
      }),
    );
    const items = [
      { product_id: product.id, variant_id: product.variants[0]!.id, quantity: 1 },
      {
        type: 'service' as const,
        service_id: service.id,
        provider_id: ann.id,
        slots: [{ from: slot.from, to: slot.to }],
      },
    ];
    const quote = unwrap(await sdk.eshop.order.getQuote({ items }));
    expect(quote.items.map((l) => l.availability)).toEqual([
      { ok: true, available: 5 },
      { ok: true, spots: 1 },
    ]);
    const co = unwrap(await sdk.eshop.order.checkout({ items, payment_method_id: 'cash' }));
    expect(unwrap(await sdk.eshop.order.get({ id: co.order_id })).workflow_status).toBe('confirmed');

    const spots = async () => {
      const a = unwrap(
        await sdk.eshop.service.getAvailability({ service_id: service.id, from: slot.from, to: slot.to }),
      );
      return a.providers.map(
        (p) => p.days.flatMap((d) => d.slots).find((s) => s.from === slot.from)?.spots ?? 0,
      );
    };
    expect(await spots()).toEqual([0, 1]);
    const again = await sdk.eshop.order.checkout({ items: [items[1]!], payment_method_id: 'cash' });
    expect(again.ok).toBe(false);
    expect(again.val).toMatchObject({
      error: 'slot_unavailable',
      status_code: 409,
      details: { field: 'items.0' },
    });

    const reservations = unwrap(
      await sdk.eshop.service.findReservations({ provider_ids: [ann.id], sort_order: 'asc' }),
    );
    expect(reservations.items.map((r) => [r.order_id, r.from, r.status.status])).toEqual([
      [co.order_id, slot.from, 'confirmed'],
    ]);
    const timeline = unwrap(
      await sdk.eshop.provider.get({ id: ann.id, from: slot.from - 3600, to: slot.to + 3600 }),
    ).timeline;
    expect(timeline).toEqual([
      { timestamp: slot.from, booked: 1 },
      { timestamp: slot.to, booked: 0 },
    ]);

    unwrap(await sdk.eshop.order.update({ id: co.order_id, cancel: true }));
    expect(await spots()).toEqual([1, 1]);
    const after = unwrap(
      await sdk.eshop.service.findReservations({ provider_ids: [ann.id], item_statuses: ['cancelled'] }),
    );
    expect(after.items).toHaveLength(1);

    // The storefront reads active records only.
    const sf = createStorefrontClient({ ...config, getToken: () => null });
    expect(unwrap(await sf.eshop.service.find({})).items.map((s) => s.id)).toEqual([service.id]);
    expect(
      unwrap(await sf.eshop.service.getAvailability({ service_id: service.id, from: slot.from, to: slot.to }))
        .providers,
    ).toHaveLength(2);
    unwrap(await sdk.eshop.provider.update({ id: bob.id, status: 'archived' }));
    expect(unwrap(await sf.eshop.provider.find({})).items.map((p) => p.id)).toEqual([ann.id]);
    expect((await sf.eshop.provider.get({ id: bob.id })).val).toMatchObject({ error: 'not_found' });
    expect(
      unwrap(await sf.eshop.service.findProviders({ service_id: service.id })).map((l) => l.provider_id),
    ).toEqual([ann.id]);
    expect(unwrap(await sf.eshop.service.get({ id: service.id })).providers).toHaveLength(1);

    const link = unwrap(await sdk.eshop.service.findProviders({ provider_id: bob.id }))[0]!;
    expect(unwrap(await sdk.eshop.service.updateProvider({ id: link.id, capacity: 4 })).capacity).toBe(4);
    expect(unwrap(await sdk.eshop.service.deleteProvider({ id: link.id }))).toEqual({ deleted: true });
    expect(unwrap(await sdk.eshop.provider.delete({ id: bob.id }))).toEqual({ deleted: true });
    expect(unwrap(await sdk.eshop.service.update({ id: service.id, key: 'massage-60' })).key).toBe(
      'massage-60',
    );
    const other = unwrap(await sdk.eshop.service.create({ key: 'gone' }));
    expect(unwrap(await sdk.eshop.service.delete({ id: other.id }))).toEqual({ deleted: true });
    let seen = 0;
    for await (const p of sdk.eshop.provider.find({ limit: 1 })) seen += p.id ? 1 : 0;
    expect(seen).toBe(1);
  });
});
