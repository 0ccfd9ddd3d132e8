import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_EVENTS } from '@openarky/contract';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import {
  call,
  createApiKey,
  createStore,
  registerAccount,
  uniqueEmail,
  type Caller,
} from '../../../test/fixtures.ts';
import { WebhookReceiver, type Received } from '../../../test/webhook-receiver.ts';
import { MAX_ATTEMPTS } from './index.ts';

let t: TestApp;
let clock = Math.floor(Date.now() / 1000);
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  t = await createTestApp({ build: { now: () => clock } });
});
afterAll(async () => {
  for (const r of receivers) await r.stop();
  await t?.close();
});

async function receiver(): Promise<WebhookReceiver> {
  const r = await new WebhookReceiver().start();
  receivers.push(r);
  return r;
}

async function setup(): Promise<{ owner: Caller; storeId: string }> {
  const owner = await registerAccount(t.app);
  return { owner, storeId: await createStore(t.app, owner) };
}

async function tick(): Promise<void> {
  await t.app.deps.jobs.tick();
}

function headersOf(r: Received): Record<string, string> {
  return Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));
}

function verify(secret: string, r: Received): unknown {
  return new StandardWebhook(secret).verify(r.body, headersOf(r));
}

describe('webhook CRUD', () => {
  it('lists the whole event catalogue publicly', async () => {
    const res = await call(t.app, null, { url: '/v1/platform/events' });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([...WEBHOOK_EVENTS]);
    expect(res.body.data).toEqual(
      expect.arrayContaining([
        'product.created',
        'order.paid',
        'store.deleted',
        'account.updated',
        'audience.subscriber_added',
      ]),
    );
  });

  it('creates with defaults, normalizes plain event names, lists, gets, replaces and deletes', async () => {
    const { owner, storeId } = await setup();
    const created = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/webhooks`,
      payload: {
        key: 'orders',
        url: 'http://127.0.0.1:9/hook',
        events: ['order.created', { event: 'node.created', parent_id: 'node_1' }],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^wh_/),
      store_id: storeId,
      key: 'orders',
      url: 'http://127.0.0.1:9/hook',
      events: [{ event: 'order.created' }, { event: 'node.created', parent_id: 'node_1' }],
      headers: {},
      enabled: true,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
    });
    const id = created.body.id;
    const list = await call(t.app, owner, { url: `/v1/stores/${storeId}/webhooks` });
    expect(list.body).toEqual([created.body]);
    const updated = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}/webhooks/${id}`,
      payload: {
        events: [{ event: 'order.cancelled' }],
        headers: { 'X-Custom': 'v' },
        secret: 'whsec_my_secret',
        enabled: false,
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      key: 'orders',
      events: [{ event: 'order.cancelled' }],
      headers: { 'X-Custom': 'v' },
      secret: 'whsec_my_secret',
      enabled: false,
    });
    expect((await call(t.app, owner, { url: `/v1/stores/${storeId}/webhooks/${id}` })).body.secret).toBe(
      'whsec_my_secret',
    );
    // The secret is sealed at rest.
    const row = await t.app.deps.db.db
      .selectFrom('webhooks')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.secret_sealed).not.toContain('my_secret');
    expect(
      await call(t.app, owner, { method: 'DELETE', url: `/v1/stores/${storeId}/webhooks/${id}` }),
    ).toMatchObject({ status: 200, body: { deleted: true } });
    expect((await call(t.app, owner, { url: `/v1/stores/${storeId}/webhooks/${id}` })).status).toBe(404);
  });

  it('refuses unknown events, taken keys, bad headers and URLs that are not public http(s)', async () => {
    const { owner, storeId } = await setup();
    const post = (payload: object) =>
      call(t.app, owner, { method: 'POST', url: `/v1/stores/${storeId}/webhooks`, payload });
    const base = { key: 'k1', url: 'http://127.0.0.1:9/x', events: ['store.updated'] };
    expect((await post({ ...base, events: ['store.updated', 'order.exploded'] })).body).toMatchObject({
      error: 'validation_error',
      details: { field: 'events.1', reason: 'invalid_value' },
    });
    expect((await post({ ...base, events: [{ event: 'nope' }] })).body.details).toMatchObject({
      field: 'events.0.event',
    });
    expect((await post({ ...base, events: [] })).body.details).toMatchObject({
      field: 'events',
      reason: 'min_items',
    });
    expect((await post({ ...base, url: 'ftp://example.com/x' })).body.details).toMatchObject({
      field: 'url',
      reason: 'scheme',
    });
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.5/',
      'http://[::1]:8080/',
      'http://[fd00::1]/',
      'http://0.0.0.0/',
      'http://100.64.0.1/',
      'http://[::ffff:169.254.169.254]/',
    ]) {
      const res = await post({ ...base, url });
      expect(res.status, url).toBe(400);
      expect(res.body.details, url).toMatchObject({ field: 'url', reason: 'private_address' });
    }
    expect((await post({ ...base, url: 'not a url' })).body.details).toMatchObject({
      field: 'url',
      reason: 'invalid_url',
    });
    expect((await post({ ...base, headers: { 'webhook-signature': 'x' } })).body.details).toMatchObject({
      field: 'headers.webhook-signature',
      reason: 'reserved_header',
    });
    expect((await post({ ...base, headers: { 'bad name': 'x' } })).body.details).toMatchObject({
      reason: 'invalid_header_name',
    });
    expect((await post(base)).status).toBe(201);
    expect(await post(base)).toMatchObject({
      status: 409,
      body: { error: 'already_exists', details: { field: 'key' } },
    });
    const stranger = await registerAccount(t.app);
    expect((await call(t.app, stranger, { url: `/v1/stores/${storeId}/webhooks` })).status).toBe(404);
    expect((await call(t.app, null, { url: `/v1/stores/${storeId}/webhooks` })).status).toBe(401);
    expect(
      await t.app.deps.db.db.selectFrom('webhooks').select('key').where('store_id', '=', storeId).execute(),
    ).toEqual([{ key: 'k1' }]);
  });
});

describe('testWebhook', () => {
  it('sends one signed test delivery of the first event and reports the receiver’s answer', async () => {
    const { owner, storeId } = await setup();
    const r = await receiver();
    const secret = 'whsec_' + Buffer.alloc(24, 3).toString('base64');
    const res = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/webhooks/test`,
      payload: {
        webhook: {
          url: `${r.url}/t`,
          events: ['order.created', 'order.paid'],
          secret,
          headers: { 'X-Token': 'abc' },
        },
      },
    });
    expect(res.body).toEqual({ tested: true, status_code: 200 });
    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    expect(verify(secret, got)).toMatchObject({
      event: 'order.created',
      store_id: storeId,
      test: true,
      data: {},
    });
    expect(got.headers['x-token']).toBe('abc');
    expect(got.headers['content-type']).toBe('application/json');

    r.script = [503];
    const failed = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/webhooks/test`,
      payload: { webhook: { url: r.url, events: [{ event: 'order.paid' }] } },
    });
    expect(failed.body).toMatchObject({ tested: false, status_code: 503 });
    expect(r.received[1]!.headers['webhook-signature']).toBeUndefined();
    expect(r.received[1]!.json.event).toBe('order.paid');

    await r.stop();
    const down = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/webhooks/test`,
      payload: { webhook: { url: r.url, events: ['order.paid'] } },
    });
    expect(down.body).toMatchObject({ tested: false, error: expect.stringContaining('ECONNREFUSED') });
    const refused = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/webhooks/test`,
      payload: { webhook: { url: 'http://169.254.169.254/', events: ['order.paid'] } },
    });
    expect(refused.body.details).toMatchObject({ field: 'webhook.url', reason: 'private_address' });
  });
});

async function hook(owner: Caller, storeId: string, url: string, events: unknown[], extra: object = {}) {
  const res = await call(t.app, owner, {
    method: 'POST',
    url: `/v1/stores/${storeId}/webhooks`,
    payload: { key: `h-${Math.random().toString(36).slice(2, 8)}`, url, events, ...extra },
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body as { id: string; secret: string };
}

describe('delivery', () => {
  it('delivers store.updated and account.updated signed, with the entity as data and the webhook’s headers', async () => {
    const { owner, storeId } = await setup();
    const r = await receiver();
    const wh = await hook(owner, storeId, `${r.url}/in`, ['store.updated', 'account.updated'], {
      headers: { Authorization: 'Bearer receiver-token' },
    });
    const updated = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { settings: { theme: 'dark' } },
    });
    const email = uniqueEmail();
    await call(t.app, owner, { method: 'POST', url: `/v1/stores/${storeId}/members`, payload: { email } });
    expect(r.received).toHaveLength(0);
    await tick();
    expect(r.events()).toEqual(['store.updated', 'account.updated']);
    const [store, account] = r.received as [Received, Received];
    const body = verify(wh.secret, store) as any;
    expect(Object.keys(body).sort()).toEqual(['created_at', 'data', 'event', 'id', 'store_id']);
    expect(body).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      event: 'store.updated',
      store_id: storeId,
      created_at: clock,
    });
    expect(body.data).toEqual(updated.body);
    expect(store.headers['webhook-id']).toBe(body.id);
    expect(store.headers['x-arky-event']).toBe('store.updated');
    expect(store.headers.authorization).toBe('Bearer receiver-token');
    expect(verify(wh.secret, account)).toMatchObject({
      event: 'account.updated',
      data: { email, store_id: storeId, role: 'admin', action: 'added' },
    });
  });

  it('retries a failing receiver with backoff, same webhook-id, visible in the delivery log', async () => {
    const { owner, storeId } = await setup();
    const r = await receiver();
    r.script = [500, 502];
    const wh = await hook(owner, storeId, r.url, ['store.updated']);
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { settings: { n: 1 } },
    });
    await tick();
    expect(r.received).toHaveLength(1);
    let log = (await call(t.app, owner, { url: `/v1/stores/${storeId}/webhooks/${wh.id}/deliveries` })).body;
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status_code: 500,
      last_error: 'receiver answered HTTP 500',
      event: 'store.updated',
    });
    const wait = log.items[0].next_attempt_at - clock;
    expect(wait).toBeGreaterThanOrEqual(24); // 30 s base ± 20 %
    expect(wait).toBeLessThanOrEqual(36);
    await tick();
    expect(r.received).toHaveLength(1); // not due yet
    clock += wait;
    await tick();
    expect(r.received).toHaveLength(2);
    log = (await call(t.app, owner, { url: `/v1/stores/${storeId}/webhooks/${wh.id}/deliveries` })).body;
    const second = log.items[0].next_attempt_at - clock;
    expect(second).toBeGreaterThanOrEqual(96); // 2 min ± 20 %
    expect(second).toBeLessThanOrEqual(144);
    clock += second;
    await tick();
    expect(r.received).toHaveLength(3);
    const ids = r.received.map((x) => x.headers['webhook-id']);
    expect(new Set(ids).size).toBe(1);
    expect(r.received.map((x) => x.headers['x-arky-attempt'])).toEqual(['1', '2', '3']);
    for (const x of r.received) verify(wh.secret, x);
    log = (await call(t.app, owner, { url: `/v1/stores/${storeId}/webhooks/${wh.id}/deliveries` })).body;
    expect(log.items[0]).toMatchObject({
      status: 'delivered',
      attempts: 3,
      last_status_code: 200,
      last_error: null,
      next_attempt_at: null,
      event_id: ids[0],
    });
  });

  it(`marks a delivery failed after ${MAX_ATTEMPTS} attempts and redelivers it on request`, async () => {
    const setupResult = await setup();
    const storeId = setupResult.storeId;
    // An API key: the access token would expire while the clock runs through a day of retries.
    const owner = await createApiKey(t.app, setupResult.owner);
    const r = await receiver();
    r.fallback = 500;
    const wh = await hook(owner, storeId, r.url, ['store.updated']);
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { settings: { n: 2 } },
    });
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      await tick();
      clock += 86_400;
    }
    expect(r.received).toHaveLength(MAX_ATTEMPTS);
    const log = (
      await call(t.app, owner, { url: `/v1/stores/${storeId}/webhooks/${wh.id}/deliveries?status=failed` })
    ).body;
    expect(log.items[0]).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, next_attempt_at: null });
    r.fallback = 200;
    const again = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/webhooks/${wh.id}/deliveries/${log.items[0].id}/redeliver`,
    });
    expect(again.body).toMatchObject({ status: 'pending', next_attempt_at: clock });
    await tick();
    expect(r.received).toHaveLength(MAX_ATTEMPTS + 1);
    expect(r.received.at(-1)!.headers['webhook-id']).toBe(log.items[0].event_id);
    const after = (await call(t.app, owner, { url: `/v1/stores/${storeId}/webhooks/${wh.id}/deliveries` }))
      .body;
    expect(after.items[0]).toMatchObject({ status: 'delivered', attempts: MAX_ATTEMPTS + 1 });
    expect(
      (
        await call(t.app, owner, {
          method: 'POST',
          url: `/v1/stores/${storeId}/webhooks/${wh.id}/deliveries/whd_nope/redeliver`,
        })
      ).status,
    ).toBe(404);
  });

  it('keeps order per entity: a later event of the same entity waits for the earlier one’s retries', async () => {
    const { owner, storeId } = await setup();
    const r = await receiver();
    r.script = [500];
    await hook(owner, storeId, r.url, ['store.updated']);
    for (let n = 1; n <= 4; n++)
      await call(t.app, owner, { method: 'PUT', url: `/v1/stores/${storeId}`, payload: { settings: { n } } });
    await tick();
    expect(r.received.map((x) => x.json.data.settings.n)).toEqual([1]);
    clock += 60;
    await tick();
    expect(r.received.map((x) => x.json.data.settings.n)).toEqual([1, 1, 2, 3, 4]);
  });

  it('a failing delivery holds back only later events of its own entity, not the webhook (no head-of-line blocking)', async () => {
    const { owner, storeId } = await setup();
    const r = await receiver();
    // The first store.updated fails, whichever entity's event the poller sends first.
    let failed = false;
    r.statusFor = (json) => (json?.event === 'store.updated' && !failed ? ((failed = true), 500) : undefined);
    await hook(owner, storeId, r.url, ['store.updated', 'account.updated']);
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { settings: { n: 1 } },
    });
    await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/members`,
      payload: { email: uniqueEmail() },
    });
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { settings: { n: 2 } },
    });
    await tick();
    // store.updated #1 failed; account.updated (another entity) went through at once; store.updated #2 waits behind #1.
    expect(r.events().sort()).toEqual(['account.updated', 'store.updated']);
    clock += 60;
    await tick();
    expect(
      r.received.filter((x) => x.json.event === 'store.updated').map((x) => x.json.data.settings.n),
    ).toEqual([1, 1, 2]);
  });

  it('pages the delivery log with a cursor', async () => {
    const { owner, storeId } = await setup();
    const r = await receiver();
    const wh = await hook(owner, storeId, r.url, ['store.updated']);
    for (let n = 1; n <= 5; n++)
      await call(t.app, owner, { method: 'PUT', url: `/v1/stores/${storeId}`, payload: { settings: { n } } });
    await tick();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (
        await call(t.app, owner, {
          url: `/v1/stores/${storeId}/webhooks/${wh.id}/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        })
      ).body;
      seen.push(...page.items.map((d: { event_id: string }) => d.event_id));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(r.received.map((x) => x.headers['webhook-id']).reverse());
  });

  it('honours filters and sends nothing to disabled webhooks', async () => {
    const { owner, storeId } = await setup();
    const only = await receiver();
    const off = await receiver();
    await hook(owner, storeId, only.url, [{ event: 'store.updated' }]);
    await hook(owner, storeId, off.url, ['store.updated', 'account.updated'], { enabled: false });
    await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/members`,
      payload: { email: uniqueEmail() },
    });
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { settings: { x: 1 } },
    });
    await tick();
    expect(only.events()).toEqual(['store.updated']);
    expect(off.received).toHaveLength(0);
  });

  it('delivers store.deleted after the store and its webhooks are gone', async () => {
    const { owner, storeId } = await setup();
    const r = await receiver();
    r.script = [500];
    const wh = await hook(owner, storeId, r.url, ['store.updated', 'store.deleted']);
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { settings: { last: true } },
    });
    expect((await call(t.app, owner, { method: 'DELETE', url: `/v1/stores/${storeId}` })).body).toEqual({
      deleted: true,
    });
    expect(
      await t.app.deps.db.db.selectFrom('webhooks').select('id').where('id', '=', wh.id).execute(),
    ).toEqual([]);
    await tick();
    clock += 60;
    await tick();
    expect(r.events()).toEqual(['store.updated', 'store.updated', 'store.deleted']);
    expect(verify(wh.secret, r.received[2]!)).toMatchObject({
      event: 'store.deleted',
      store_id: storeId,
      data: { id: storeId, key: expect.any(String) },
    });
  });

  it('emits every event the landed routes produce, with the outbox entity as data', async () => {
    const { owner, storeId } = await setup();
    const r = await receiver();
    await hook(owner, storeId, r.url, [...WEBHOOK_EVENTS]);
    // Store and member routes; webhook.catalogue.test.ts drives every other module's events.
    await call(t.app, owner, { method: 'PUT', url: `/v1/stores/${storeId}`, payload: { timezone: 'UTC' } });
    const email = uniqueEmail();
    await call(t.app, owner, { method: 'POST', url: `/v1/stores/${storeId}/members`, payload: { email } });
    const member = await t.app.deps.db.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(
      (await call(t.app, owner, { method: 'DELETE', url: `/v1/stores/${storeId}/members/${member.id}` }))
        .status,
    ).toBe(200);
    await tick();
    const outbox = await t.app.deps.db.db
      .selectFrom('outbox_events')
      .selectAll()
      .where('store_id', '=', storeId)
      .orderBy('seq')
      .execute();
    const after = outbox.filter((e) => e.type !== 'store.created'); // written before the webhook existed
    expect(after.map((e) => e.type)).toEqual(['store.updated', 'account.updated', 'account.updated']);
    // Ordered per entity (README): the store's event and the member account's two may interleave.
    expect(r.received.map((x) => x.json.id).sort()).toEqual(after.map((e) => e.id).sort());
    expect(r.received.filter((x) => x.json.event === 'account.updated').map((x) => x.json.id)).toEqual(
      after.filter((e) => e.type === 'account.updated').map((e) => e.id),
    );
    for (const e of after) {
      expect(r.received.find((x) => x.json.id === e.id)!.json).toEqual({
        id: e.id,
        event: e.type,
        store_id: storeId,
        created_at: e.created_at,
        data: JSON.parse(e.data),
      });
    }
  });
});
