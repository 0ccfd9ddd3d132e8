import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createTestApp, type TestApp } from './helpers.ts';
import { errorResponses } from '../src/lib/http/route-schema.ts';
import { StringEnum } from '@openarky/contract';

let t: TestApp;
let executions = 0;

const Probe = Type.Object({
  key: Type.String({ minLength: 3 }),
  status: Type.Optional(StringEnum(['active', 'archived'] as const)),
  is_network: Type.Optional(Type.Boolean()),
  variants: Type.Array(
    Type.Object({
      prices: Type.Array(Type.Object({ market: Type.String(), amount: Type.Integer({ minimum: 0 }) })),
    }),
  ),
});

beforeAll(async () => {
  t = await createTestApp({
    build: {
      register: async (app) => {
        app.post(
          '/v1/probe',
          { schema: { body: Probe, response: { 200: Probe, ...errorResponses } } },
          async (req) => {
            executions += 1;
            await new Promise((r) => setTimeout(r, 100));
            return { ...(req.body as object), secret_field: 'never leaves' } as never;
          },
        );
        app.get('/v1/probe/boom', async () => {
          throw new Error('database password is hunter2');
        });
      },
    },
  });
});
afterAll(async () => t?.close());

const valid = { key: 'abc', variants: [{ prices: [{ market: 'us', amount: 100 }] }] };

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().migrations.pending).toEqual([]);
  });
});

describe('errors', () => {
  it('answers malformed JSON with 400 bad_request', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/probe',
      headers: { 'content-type': 'application/json' },
      payload: '{"key": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request', status_code: 400 });
  });

  it('lists every failing field with dotted paths', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/probe',
      payload: {
        key: 'ab',
        variants: [
          {
            prices: [
              { market: 'us', amount: 1 },
              { market: 'eu', amount: -5 },
            ],
          },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toBe('validation_error');
    const fields = body.details.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['key', 'variants.0.prices.1.amount']);
    expect(body.details.field).toBeDefined();
    const amount = body.details.errors.find(
      (e: { field: string }) => e.field === 'variants.0.prices.1.amount',
    );
    expect(amount.reason).toBe('min');
  });

  it('reports a missing required field by its path', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/probe',
      payload: { key: 'abc', variants: [{}] },
    });
    expect(res.json().details).toMatchObject({ field: 'variants.0.prices', reason: 'required' });
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await t.app.inject('/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found', status_code: 404 });
  });

  it('hides internals of unexpected errors behind a request id', async () => {
    const res = await t.app.inject({ url: '/v1/probe/boom', headers: { 'x-request-id': 'req-123' } });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body).toMatchObject({ error: 'internal_error', status_code: 500, request_id: 'req-123' });
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain('at ');
  });

  it('answers a body over the limit with 413', async () => {
    const big = JSON.stringify({ ...valid, pad: 'x'.repeat(t.config.bodyLimitBytes + 10) });
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/probe',
      headers: { 'content-type': 'application/json' },
      payload: big,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({
      error: 'payload_too_large',
      details: { limit: t.config.bodyLimitBytes },
    });
  });
});

describe('conventions', () => {
  it('accepts aliases and upper-case enums, and serializes only schema fields', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/probe',
      payload: { ...valid, status: 'ACTIVE', isNetwork: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...valid, status: 'active', is_network: true });
  });

  it('echoes or generates X-Request-Id', async () => {
    expect(
      (await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-1' } })).headers['x-request-id'],
    ).toBe('abc-1');
    expect((await t.app.inject('/healthz')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers CORS preflights for any origin', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/probe',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'idempotency-key,x-api-key',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('idempotency-key');
    const get = await t.app.inject({ url: '/healthz', headers: { origin: 'https://shop.example' } });
    expect(String(get.headers['access-control-expose-headers'])).toContain('X-Request-Id');
  });
});

describe('idempotency', () => {
  it('replays the stored response for the same key and body', async () => {
    const before = executions;
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/v1/probe',
        headers: { 'idempotency-key': 'k-replay' },
        payload: valid,
      });
    const first = await send();
    const second = await send();
    expect(second.statusCode).toBe(first.statusCode);
    expect(second.body).toBe(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(executions - before).toBe(1);
    // Stored responses can hold tokens: never in plain text at rest.
    const rows = await t.app.deps.db.db
      .selectFrom('idempotency_keys')
      .select('response_body')
      .where('key', '=', 'k-replay')
      .execute();
    expect(rows[0]?.response_body).not.toContain('"key"');
  });

  it('rejects the same key with another body', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/v1/probe',
      headers: { 'idempotency-key': 'k-conflict' },
      payload: valid,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/probe',
      headers: { 'idempotency-key': 'k-conflict' },
      payload: { ...valid, key: 'other' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('idempotency_conflict');
  });

  it('executes concurrent requests with one key once', async () => {
    const before = executions;
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        t.app.inject({
          method: 'POST',
          url: '/v1/probe',
          headers: { 'idempotency-key': 'k-concurrent' },
          payload: valid,
        }),
      ),
    );
    expect(executions - before).toBe(1);
    for (const r of results) expect(r.statusCode).toBe(200);
  });
});

describe('openapi', () => {
  it('serves a valid OpenAPI 3.1 document and the docs page', async () => {
    const res = await t.app.inject('/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/v1/platform/currencies']).toBeDefined();
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const docs = await t.app.inject('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });
});
