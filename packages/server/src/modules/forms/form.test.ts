import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, createApiKey, createStore, registerAccount, type Caller } from '../../../test/fixtures.ts';
import { WebhookReceiver } from '../../../test/webhook-receiver.ts';
import { SUBMISSIONS_PER_IP, SUBMISSIONS_PER_PROFILE } from './form.service.ts';

let t: TestApp;
let receiver: WebhookReceiver;
let clock = 1_900_000_000;
let owner: Caller;
let storeId: string;

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  t = await createTestApp({ env: { WEBHOOK_RETRY_BASE_SECONDS: '0' }, build: { now: () => clock } });
  const account = await registerAccount(t.app);
  storeId = await createStore(t.app, account, 'shop-forms');
  // An API key does not expire while the test clock moves on by hours.
  owner = await createApiKey(t.app, account);
});
afterAll(async () => {
  await t?.close();
  await receiver?.stop();
});
beforeEach(() => {
  // A fresh rate-limit window for every test.
  clock += 3600;
});

const admin = (path = '') => `/v1/stores/${storeId}/forms${path}`;
const sf = (path = '') => `/v1/storefront/${storeId}/forms${path}`;
const bearer = (token: string): Caller => ({ headers: { authorization: `Bearer ${token}` } });

const CONTACT_SCHEMA = [
  { key: 'email', type: 'text', variant: 'email', required: true },
  {
    key: 'topic',
    type: 'select',
    required: true,
    options: ['sales', { value: 'support', label: { en: 'Support' } }],
  },
  { key: 'message', type: 'text', min: 2, max: 20 },
  { key: 'seats', type: 'number', min: 1, max: 10 },
  { key: 'newsletter', type: 'boolean' },
  { key: 'visit', type: 'date', min: 1_700_000_000 },
  { key: 'place', type: 'geo_location' },
];

async function createForm(key: string, extra: object = {}) {
  const res = await call(t.app, owner, {
    method: 'POST',
    url: admin(),
    payload: { key, schema: CONTACT_SCHEMA, ...extra },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function guest(): Promise<Caller & { profileId: string }> {
  const res = await call(t.app, null, {
    method: 'POST',
    url: `/v1/storefront/${storeId}/profiles/identify`,
    payload: {},
  });
  return { ...bearer(res.body.token.token), profileId: res.body.profile.id };
}

describe('admin form CRUD', () => {
  it('creates a form with a normalized schema, reads it by id and store:key, finds, updates and deletes it', async () => {
    const form = await createForm('contact');
    expect(form).toMatchObject({ key: 'contact', store_id: storeId, status: 'active', created_at: clock });
    expect(form.id).toMatch(/^form_/);
    expect(form.schema).toHaveLength(7);
    expect(form.schema[0]).toEqual({
      id: expect.stringMatching(/^fld_/),
      key: 'email',
      type: 'text',
      variant: 'email',
      required: true,
    });
    expect(form.schema[3]).toMatchObject({ key: 'seats', type: 'number', min: 1, max: 10 });

    expect((await call(t.app, owner, { url: admin(`/${form.id}`) })).body).toEqual(form);
    expect((await call(t.app, owner, { url: admin(`/${storeId}:contact`) })).body.id).toBe(form.id);
    expect((await call(t.app, owner, { url: admin(`/store_other:contact`) })).status).toBe(404);

    const dup = await call(t.app, owner, { method: 'POST', url: admin(), payload: { key: 'contact' } });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ error: 'already_exists', details: { field: 'key' } });

    const found = await call(t.app, owner, { url: admin('?key=contact') });
    expect(found.body.items.map((f: { id: string }) => f.id)).toEqual([form.id]);

    const updated = await call(t.app, owner, {
      method: 'PUT',
      url: admin(`/${form.id}`),
      payload: { status: 'draft' },
    });
    expect(updated.body).toMatchObject({ status: 'draft', schema: form.schema });
    expect((await call(t.app, owner, { url: admin('?status=draft') })).body.items).toHaveLength(1);

    expect((await call(t.app, owner, { method: 'DELETE', url: admin(`/${form.id}`) })).body).toEqual({
      deleted: true,
    });
    expect((await call(t.app, owner, { url: admin(`/${form.id}`) })).status).toBe(404);
  });

  it('refuses a bad schema with the path of every problem', async () => {
    const res = await call(t.app, owner, {
      method: 'POST',
      url: admin(),
      payload: {
        key: 'bad',
        schema: [
          { key: 'a', type: 'color' },
          { key: 'b', type: 'select' },
          { key: 'b', type: 'text', min: 5, max: 2 },
          { key: 'c', type: 'boolean', min: 1 },
          { key: 'Bad Key', type: 'number' },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation_error');
    expect(
      res.body.details.errors.map((e: { field: string; reason: string }) => `${e.field}:${e.reason}`),
    ).toEqual([
      'schema.0.type:invalid_value',
      'schema.1.options:required',
      'schema.2.key:duplicate',
      'schema.2.max:min_greater_than_max',
      'schema.3.min:not_allowed',
      'schema.4.key:pattern',
    ]);
    expect((await call(t.app, owner, { url: admin('?key=bad') })).body.items).toEqual([]);
  });
});

describe('storefront submissions', () => {
  it('serves only active forms', async () => {
    const form = await createForm('draft-form', { status: 'draft' });
    expect((await call(t.app, null, { url: sf(`/${form.id}`) })).status).toBe(404);
    const g = await guest();
    const res = await call(t.app, g, {
      method: 'POST',
      url: sf(`/${form.id}/submissions`),
      payload: { fields: [] },
    });
    expect(res.status).toBe(404);
    await call(t.app, owner, { method: 'PUT', url: admin(`/${form.id}`), payload: { status: 'active' } });
    const read = await call(t.app, null, { url: sf(`/${storeId}:draft-form`) });
    expect(read.status).toBe(200);
    expect(read.body.schema).toHaveLength(7);
  });

  it('validates every field with its path and stores nothing on failure', async () => {
    const form = await createForm('validated');
    const profilesBefore = (
      await t.app.deps.db.db.selectFrom('profiles').select('id').where('store_id', '=', storeId).execute()
    ).length;
    let n = 0;
    // Anonymous callers from distinct addresses: the per-IP limit is not what this test is about.
    const submit = (fields: object[]) =>
      call(t.app, null, {
        method: 'POST',
        url: sf(`/${form.id}/submissions`),
        payload: { fields },
        remoteAddress: `10.1.0.${n++}`,
      });
    const cases: [object[], string[]][] = [
      [
        [
          { key: 'email', value: 'a@b.co' },
          { key: 'topic', value: 'billing' },
        ],
        ['fields.1.value:invalid_option'],
      ],
      [[{ key: 'topic', value: 'sales' }], ['fields:required']],
      [
        [
          { key: 'email', value: 'not-an-email' },
          { key: 'topic', value: 'sales' },
        ],
        ['fields.0.value:format'],
      ],
      [
        [
          { key: 'email', value: 'a@b.co' },
          { key: 'topic', value: 'sales' },
          { key: 'seats', value: 11 },
        ],
        ['fields.2.value:max'],
      ],
      [
        [
          { key: 'email', value: 'a@b.co' },
          { key: 'topic', value: 'sales' },
          { key: 'seats', value: '3' },
        ],
        ['fields.2.value:type'],
      ],
      [
        [
          { key: 'email', value: 'a@b.co' },
          { key: 'topic', value: 'sales' },
          { key: 'message', value: 'x' },
        ],
        ['fields.2.value:min_length'],
      ],
      [
        [
          { key: 'email', value: 'a@b.co' },
          { key: 'topic', value: 'sales' },
          { key: 'newsletter', value: 'yes' },
        ],
        ['fields.2.value:type'],
      ],
      [
        [
          { key: 'email', value: 'a@b.co' },
          { key: 'topic', value: 'sales' },
          { key: 'visit', value: 1_600_000_000 },
        ],
        ['fields.2.value:min'],
      ],
      [
        [
          { key: 'email', value: 'a@b.co' },
          { key: 'topic', value: 'sales' },
          { key: 'place', value: { coordinates: { lat: 91, lon: 0 } } },
        ],
        ['fields.2.value:out_of_range'],
      ],
      [
        [
          { key: 'email', value: 'a@b.co' },
          { key: 'topic', value: 'sales' },
          { key: 'colour', value: 'red' },
        ],
        ['fields.2.value:unknown_field'],
      ],
      [
        [
          { key: 'email', value: 'a@b.co' },
          { key: 'email', value: 'c@d.co' },
          { key: 'topic', value: 'sales' },
        ],
        ['fields.1.value:duplicate'],
      ],
      [
        [
          { key: 'email', value: '' },
          { key: 'topic', value: null },
        ],
        ['fields.0.value:required', 'fields.1.value:required'],
      ],
    ];
    for (const [fields, expected] of cases) {
      const res = await submit(fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.body.error).toBe('validation_error');
      expect(
        res.body.details.errors.map((e: { field: string; reason: string }) => `${e.field}:${e.reason}`),
        JSON.stringify(fields),
      ).toEqual(expected);
      expect(res.body.details.field).toBe(expected[0]!.split(':')[0]);
    }
    const page = await call(t.app, owner, { url: admin(`/submissions?form_ids=${form.id}`) });
    expect(page.body.items).toEqual([]);
    // No guest profile was created for a refused submission.
    const profiles = await t.app.deps.db.db
      .selectFrom('profiles')
      .select('id')
      .where('store_id', '=', storeId)
      .execute();
    expect(profiles).toHaveLength(profilesBefore);
  });

  it('stores a good submission for the caller’s profile (or a new guest) and delivers a signed form_submission.created', async () => {
    const secret = 'whsec_' + Buffer.alloc(32, 9).toString('base64');
    const hook = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/webhooks`,
      payload: {
        key: 'forms-hook',
        url: `${receiver.url}/forms`,
        events: ['form_submission.created'],
        secret,
      },
    });
    expect(hook.status).toBe(201);
    const form = await createForm('contact-us');
    const g = await guest();
    const fields = [
      { key: 'topic', value: 'support' },
      { key: 'email', value: ' Ann@Example.COM ' },
      { key: 'place', value: { address: 'Bern', coordinates: { lat: 46.95, lon: 7.45 }, extra: 'dropped' } },
      { key: 'newsletter', value: false },
      { key: 'message', value: null },
    ];
    const res = await call(t.app, g, {
      method: 'POST',
      url: sf(`/${form.id}/submissions`),
      payload: { fields },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      form_id: form.id,
      store_id: storeId,
      profile_id: g.profileId,
      created_at: clock,
    });
    expect(res.body.id).toMatch(/^fsub_/);
    // Schema order, ids and types from the schema, email normalized, geo location cleaned.
    expect(res.body.fields).toEqual([
      { id: form.schema[0].id, key: 'email', type: 'text', value: 'ann@example.com' },
      { id: form.schema[1].id, key: 'topic', type: 'select', value: 'support' },
      { id: form.schema[2].id, key: 'message', type: 'text', value: null },
      { id: form.schema[4].id, key: 'newsletter', type: 'boolean', value: false },
      {
        id: form.schema[6].id,
        key: 'place',
        type: 'geo_location',
        value: { address: 'Bern', coordinates: { lat: 46.95, lon: 7.45 } },
      },
    ]);

    const anonymous = await call(t.app, null, {
      method: 'POST',
      url: sf(`/${storeId}:contact-us/submissions`),
      payload: { fields: fields.slice(0, 2) },
    });
    expect(anonymous.status).toBe(201);
    expect(anonymous.body.profile_id).toMatch(/^prof_/);
    expect(anonymous.body.profile_id).not.toBe(g.profileId);

    await t.app.deps.jobs.tick();
    await receiver.waitFor(2);
    const verifier = new StandardWebhook(secret);
    const bodies = receiver.received
      .filter((r) => r.path === '/forms')
      .map(
        (r) =>
          verifier.verify(
            r.body,
            Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)])),
          ) as { event: string; data: { id: string } },
      );
    expect(bodies.map((b) => [b.event, b.data.id])).toEqual([
      ['form_submission.created', res.body.id],
      ['form_submission.created', anonymous.body.id],
    ]);
    expect(bodies[0]!.data).toEqual(res.body);
  });

  it('lets admins list, read and correct submissions (re-validated)', async () => {
    const form = await createForm('corrections');
    const other = await createForm('other');
    const g = await guest();
    const first = await call(t.app, g, {
      method: 'POST',
      url: sf(`/${form.id}/submissions`),
      payload: {
        fields: [
          { key: 'email', value: 'zed@example.com' },
          { key: 'topic', value: 'sales' },
        ],
      },
    });
    clock += 1;
    const viaAdmin = await call(t.app, owner, {
      method: 'POST',
      url: admin(`/${other.id}/submissions`),
      payload: {
        profile_id: g.profileId,
        fields: [
          { key: 'email', value: 'amy@example.com' },
          { key: 'topic', value: 'sales' },
        ],
      },
    });
    expect(viaAdmin.status).toBe(201);
    expect(viaAdmin.body.profile_id).toBe(g.profileId);
    const unknownProfile = await call(t.app, owner, {
      method: 'POST',
      url: admin(`/${other.id}/submissions`),
      payload: {
        profile_id: 'prof_nope',
        fields: [
          { key: 'email', value: 'amy@example.com' },
          { key: 'topic', value: 'sales' },
        ],
      },
    });
    expect(unknownProfile.body.details).toMatchObject({ field: 'profile_id', reason: 'not_found' });

    const byForm = await call(t.app, owner, { url: admin(`/submissions?form_ids=${form.id}`) });
    expect(byForm.body.items.map((s: { id: string }) => s.id)).toEqual([first.body.id]);
    const byProfile = await call(t.app, owner, {
      url: admin(`/submissions?profile_id=${g.profileId}&sort_direction=asc`),
    });
    expect(byProfile.body.items.map((s: { id: string }) => s.id)).toEqual([first.body.id, viaAdmin.body.id]);
    const byQuery = await call(t.app, owner, { url: admin(`/submissions?query=AMY@`) });
    expect(byQuery.body.items.map((s: { id: string }) => s.id)).toEqual([viaAdmin.body.id]);

    expect(
      (await call(t.app, owner, { url: admin(`/${form.id}/submissions/${first.body.id}`) })).body,
    ).toEqual(first.body);
    expect(
      (await call(t.app, owner, { url: admin(`/${other.id}/submissions/${first.body.id}`) })).status,
    ).toBe(404);

    clock += 5;
    const bad = await call(t.app, owner, {
      method: 'PUT',
      url: admin(`/${form.id}/submissions/${first.body.id}`),
      payload: {
        fields: [
          { key: 'email', value: 'zed@example.com' },
          { key: 'topic', value: 'nope' },
        ],
      },
    });
    expect(bad.body.details.field).toBe('fields.1.value');
    const fixed = await call(t.app, owner, {
      method: 'PUT',
      url: admin(`/${form.id}/submissions/${first.body.id}`),
      payload: {
        fields: [
          { key: 'email', value: 'zoe@example.com' },
          { key: 'topic', value: 'support' },
        ],
      },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({
      id: first.body.id,
      profile_id: g.profileId,
      created_at: first.body.created_at,
      updated_at: clock,
    });
    expect(fixed.body.fields.map((f: { value: unknown }) => f.value)).toEqual(['zoe@example.com', 'support']);
  });

  it('rate limits per profile and per IP (429 with retry_after), counting in the database', async () => {
    const form = await createForm('limited');
    const ok = {
      fields: [
        { key: 'email', value: 'a@b.co' },
        { key: 'topic', value: 'sales' },
      ],
    };
    const g = await guest();
    for (let i = 0; i < SUBMISSIONS_PER_PROFILE; i++) {
      expect(
        (
          await call(t.app, g, {
            method: 'POST',
            url: sf(`/${form.id}/submissions`),
            payload: ok,
            remoteAddress: `10.0.0.${i}`,
          })
        ).status,
      ).toBe(201);
    }
    const over = await call(t.app, g, {
      method: 'POST',
      url: sf(`/${form.id}/submissions`),
      payload: ok,
      remoteAddress: '10.0.1.1',
    });
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ error: 'rate_limited', details: { retry_after: expect.any(Number) } });
    expect(over.headers['retry-after']).toBeDefined();

    clock += 3600;
    for (let i = 0; i < SUBMISSIONS_PER_IP; i++) {
      const res = await call(t.app, null, {
        method: 'POST',
        url: sf(`/${form.id}/submissions`),
        payload: i % 2 ? ok : { fields: [] },
        remoteAddress: '10.9.9.9',
      });
      expect(res.status).toBe(i % 2 ? 201 : 400);
    }
    const ipOver = await call(t.app, null, {
      method: 'POST',
      url: sf(`/${form.id}/submissions`),
      payload: ok,
      remoteAddress: '10.9.9.9',
    });
    expect(ipOver.status).toBe(429);
    const buckets = await t.app.deps.db.db
      .selectFrom('rate_limits')
      .select('bucket')
      .where('bucket', 'like', 'form:%')
      .execute();
    expect(buckets.map((b) => b.bucket)).toContain(`form:ip:${storeId}:10.9.9.9`);
  });
});
