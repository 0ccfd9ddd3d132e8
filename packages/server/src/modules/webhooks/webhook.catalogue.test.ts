import { Webhook as StandardWebhook } from 'standardwebhooks';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_EVENTS } from '@openarky/contract';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, createStore, registerAccount, uploadFiles, uniqueEmail } from '../../../test/fixtures.ts';
import { WebhookReceiver } from '../../../test/webhook-receiver.ts';
import { sweepReminders } from '../booking/index.ts';

/**
 * Every event the landed modules emit reaches a subscribed webhook, signed, with the outbox
 * entity as `data`: driven through the real routes of each module.
 */
let t: TestApp;
let receiver: WebhookReceiver;
beforeAll(async () => {
  t = await createTestApp();
  receiver = await new WebhookReceiver().start();
});
afterAll(async () => {
  await receiver?.stop();
  await t?.close();
});

const EXPECTED = [
  'store.updated',
  'account.updated',
  'product.created',
  'product.updated',
  'product.deleted',
  'cart.created',
  'cart.updated',
  'cart.converted',
  'order.created',
  'order.confirmed',
  'order.updated',
  'order.paid',
  'order.payment_received',
  'order.refunded',
  'order.cancelled',
  'node.created',
  'node.updated',
  'node.deleted',
  'media.created',
  'media.deleted',
  'service.created',
  'service.updated',
  'service.deleted',
  'provider.created',
  'provider.updated',
  'provider.deleted',
  'order.reminder',
];

describe('event catalogue delivery', () => {
  it('delivers every event of every landed module, signed, with the entity as data', async () => {
    const owner = await registerAccount(t.app);
    const storeId = await createStore(t.app, owner);
    const hook = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/webhooks`,
      payload: { key: 'everything', url: receiver.url, events: [...WEBHOOK_EVENTS] },
    });
    expect(hook.status).toBe(201);
    const admin = (method: string, url: string, payload?: object) =>
      call(t.app, owner, { method: method as 'POST', url: `/v1/stores/${storeId}${url}`, payload });

    // stores and members
    await admin('PUT', '', { timezone: 'UTC' });
    const email = uniqueEmail();
    await admin('POST', '/members', { email });
    const member = await t.app.deps.db.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect((await admin('DELETE', `/members/${member.id}`)).status).toBe(200);

    // catalogue
    const product = (
      await admin('POST', '/products', {
        key: 'mug',
        variants: [{ prices: [{ market: 'us', amount: 1500 }], inventory: 10 }],
      })
    ).body;
    expect((await admin('PUT', `/products/${product.id}`, { status: 'active' })).status).toBe(200);
    const doomed = (await admin('POST', '/products', { key: 'doomed' })).body;
    expect((await admin('DELETE', `/products/${doomed.id}`)).status).toBe(200);
    const line = { product_id: product.id, variant_id: product.variants[0].id, quantity: 1 };

    // carts and orders through the storefront
    const identify = await call(t.app, null, {
      method: 'POST',
      url: `/v1/storefront/${storeId}/profiles/identify`,
      payload: {},
    });
    const shopper = { headers: { authorization: `Bearer ${identify.body.token.token}` } };
    const sf = (url: string, payload: object = {}) =>
      call(t.app, shopper, { method: 'POST', url: `/v1/storefront/${storeId}${url}`, payload });
    const cart = (await sf('/carts/current', { market: 'us' })).body;
    expect((await sf(`/carts/${cart.id}/items`, { item: line })).status).toBe(200);
    const checkout = await sf(`/carts/${cart.id}/checkout`);
    expect(checkout.status).toBe(201);
    const orderId = checkout.body.order_id;
    expect(
      (await admin('PUT', `/orders/${orderId}`, { payment: { paid: checkout.body.payment.total } })).status,
    ).toBe(200);
    expect((await admin('PUT', `/orders/${orderId}`, { workflow_status: 'shipped' })).status).toBe(200);
    expect((await admin('POST', `/orders/${orderId}/refund`, { amount: 100 })).status).toBe(200);
    const second = await admin('POST', '/orders/checkout', {
      market: 'us',
      items: [line],
      payment_method_id: 'cash',
    });
    expect(second.status).toBe(201);
    expect((await admin('PUT', `/orders/${second.body.order_id}`, { cancel: true })).status).toBe(200);

    // content and media
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c33' } })
      .png()
      .toBuffer();
    const media = await uploadFiles(t.app, owner, storeId, [
      { name: 'red.png', type: 'image/png', data: png },
    ]);
    expect(media.status).toBe(201);
    const node = (
      await admin('POST', '/nodes', {
        key: 'about',
        blocks: [{ key: 'title', type: 'text', value: ['About'] }],
      })
    ).body;
    expect(
      (
        await admin('PUT', `/nodes/${node.id}`, {
          blocks: [{ key: 'title', type: 'text', value: ['About us'] }],
        })
      ).status,
    ).toBe(200);
    expect((await admin('DELETE', `/nodes/${node.id}`)).status).toBe(200);
    expect((await admin('DELETE', `/media/${media.body[0].id}`)).status).toBe(200);

    // booking: services, providers, a booked slot and its reminder
    const service = (await admin('POST', '/services', { key: 'massage' })).body;
    const provider = (await admin('POST', '/providers', { key: 'ann' })).body;
    const week = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map(
      (day) => ({ day, working_hours: [{ from: 540, to: 1020 }] }),
    );
    expect(
      (
        await admin('POST', '/service-providers', {
          service_id: service.id,
          provider_id: provider.id,
          working_days: week,
          specific_dates: [],
          prices: [{ market: 'us', amount: 100 }],
          slot_interval: 0,
          reminders: [60],
        })
      ).status,
    ).toBe(201);
    expect((await admin('PUT', `/providers/${provider.id}`, { status: 'active' })).status).toBe(200);
    const slot = {
      from: Date.parse('2030-06-04T10:00:00Z') / 1000,
      to: Date.parse('2030-06-04T11:00:00Z') / 1000,
    };
    expect(
      (
        await admin('POST', '/orders/checkout', {
          market: 'us',
          items: [{ type: 'service', service_id: service.id, slots: [slot] }],
        })
      ).status,
    ).toBe(201);
    await sweepReminders(t.app.deps.db.db, slot.from - 3600);
    const spare = (await admin('POST', '/providers', { key: 'spare' })).body;
    expect((await admin('DELETE', `/providers/${spare.id}`)).status).toBe(200);
    const gone = (await admin('POST', '/services', { key: 'gone' })).body;
    expect((await admin('DELETE', `/services/${gone.id}`)).status).toBe(200);

    for (let i = 0; i < 20; i++) await t.app.deps.jobs.tick();
    const outbox = await t.app.deps.db.db
      .selectFrom('outbox_events')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('type', '!=', 'store.created')
      .orderBy('seq')
      .execute();
    await receiver.waitFor(outbox.length);

    const types = new Set(receiver.received.map((r) => r.json.event as string));
    for (const event of EXPECTED) expect(types, `no ${event} delivered`).toContain(event);
    // Each outbox event delivered once, exactly as written, signed with the webhook's secret, and in
    // outbox order among the events of the same entity (`data.id`): the README's ordering guarantee.
    expect(receiver.received.map((r) => r.json.id).sort()).toEqual(outbox.map((e) => e.id).sort());
    const entityOf = (data: string) => String((JSON.parse(data) as { id?: unknown }).id ?? '');
    const position = new Map(receiver.received.map((r, i) => [r.json.id as string, i]));
    const lastSeen = new Map<string, number>();
    for (const e of outbox) {
      const at = position.get(e.id)!;
      const entity = entityOf(e.data);
      expect(at, `${e.type} of ${entity} delivered before an earlier event of it`).toBeGreaterThan(
        lastSeen.get(entity) ?? -1,
      );
      lastSeen.set(entity, at);
    }
    const verifier = new StandardWebhook(hook.body.secret);
    for (const e of outbox) {
      const r = receiver.received[position.get(e.id)!]!;
      expect(r.json).toEqual({
        id: e.id,
        event: e.type,
        store_id: storeId,
        created_at: e.created_at,
        data: JSON.parse(e.data),
      });
      const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));
      expect(() => verifier.verify(r.body, headers)).not.toThrow();
    }
    const created = receiver.received.find(
      (r) => r.json.event === 'product.created' && (r.json.data as { id?: string }).id === product.id,
    )!;
    expect(created.json.data).toMatchObject({ id: product.id, key: 'mug' });
    const ordered = receiver.received.find(
      (r) => r.json.event === 'order.created' && (r.json.data as { id?: string }).id === orderId,
    )!;
    expect(ordered.json.data).toMatchObject({ id: orderId, number: '1001' });
  });
});
