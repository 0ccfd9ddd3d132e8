import { describe, expect, it } from 'vitest';
import { fakeFetch, json, memoryConfig } from '../test/fake-fetch.ts';
import { Transport } from './transport.ts';
import { path } from './url.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function setup(
  handler: Parameters<typeof fakeFetch>[0],
  token: Parameters<typeof memoryConfig>[0] = 'jwt_1',
  extra = {},
) {
  const f = fakeFetch(handler);
  const { config, store } = memoryConfig(token, { fetch: f.fetch, ...extra });
  return { t: new Transport(config), calls: f.calls, store };
}

describe('requests', () => {
  it('builds the URL, JSON headers, aliased body and an Idempotency-Key on POST', async () => {
    const { t, calls } = setup(() => json(201, { id: 'prod_1' }));
    const res = await t.request({
      method: 'POST',
      path: path`/v1/stores/${'store 1'}/products`,
      query: { isNetwork: true, ids: ['a'] },
      body: { storeId: 'x', key: 'k' },
    });
    expect(res).toEqual({ ok: true, val: { id: 'prod_1' } });
    const call = calls[0]!;
    expect(call.url).toBe('http://api.test/v1/stores/store%201/products?is_network=true&ids=%5B%22a%22%5D');
    expect(call.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json' });
    expect(call.headers['idempotency-key']).toMatch(UUID);
    expect(call.body).toEqual({ store_id: 'x', key: 'k' });
  });

  it('sends no body, Content-Type or Idempotency-Key on GET and DELETE', async () => {
    const { t, calls } = setup(() => json(200, { deleted: true }));
    await t.request({ method: 'GET', path: '/v1/a' });
    await t.request({ method: 'DELETE', path: '/v1/a' });
    for (const call of calls) {
      expect(call.headers['content-type']).toBeUndefined();
      expect(call.headers['idempotency-key']).toBeUndefined();
      expect(call.body).toBeUndefined();
    }
  });

  it('gives each POST its own key', async () => {
    const { t, calls } = setup(() => json(200, {}));
    await t.request({ method: 'POST', path: '/v1/a', body: {} });
    await t.request({ method: 'POST', path: '/v1/a', body: {} });
    expect(calls[0]!.headers['idempotency-key']).not.toBe(calls[1]!.headers['idempotency-key']);
  });

  it('resolves store_id from params, then storeId, then config', () => {
    const { t } = setup(() => json(200, {}));
    expect(t.scope({ store_id: 'a', storeId: 'b', limit: 1 })).toEqual({ storeId: 'a', rest: { limit: 1 } });
    expect(t.scope({ storeId: 'b' }).storeId).toBe('b');
    expect(t.scope({}).storeId).toBe('store_1');
  });

  it('returns a client validation_error instead of calling a path with an empty segment', async () => {
    const { t, calls } = setup(() => json(200, {}));
    const res = await t.request({ method: 'GET', path: path`/v1/platform/countries/${''}` });
    expect(res).toMatchObject({ ok: false, val: { error: 'validation_error', status_code: 0 } });
    expect(calls).toHaveLength(0);
  });
});

describe('auth header', () => {
  it('uses Bearer for a string token or a TokenSet', async () => {
    const a = setup(() => json(200, {}), 'jwt_1');
    await a.t.request({ method: 'GET', path: '/v1/a' });
    expect(a.calls[0]!.headers.authorization).toBe('Bearer jwt_1');
    const b = setup(() => json(200, {}), { access_token: 'pt_1', provider: 'GUEST' });
    await b.t.request({ method: 'GET', path: '/v1/a' });
    expect(b.calls[0]!.headers.authorization).toBe('Bearer pt_1');
    expect(b.calls[0]!.headers['x-api-key']).toBeUndefined();
  });

  it('uses X-API-Key for config.apiKey or a TokenSet with provider API', async () => {
    const a = setup(() => json(200, {}), 'jwt_1', { apiKey: 'ak_cfg' });
    await a.t.request({ method: 'GET', path: '/v1/a' });
    expect(a.calls[0]!.headers).toMatchObject({ 'x-api-key': 'ak_cfg' });
    expect(a.calls[0]!.headers.authorization).toBeUndefined();
    const b = setup(() => json(200, {}), { access_token: 'ak_tok', provider: 'API' });
    await b.t.request({ method: 'GET', path: '/v1/a' });
    expect(b.calls[0]!.headers).toMatchObject({ 'x-api-key': 'ak_tok' });
    expect(b.calls[0]!.headers.authorization).toBeUndefined();
  });

  it('sends no auth header without a token', async () => {
    const { t, calls } = setup(() => json(200, {}), null);
    await t.request({ method: 'GET', path: '/v1/a' });
    expect(calls[0]!.headers.authorization).toBeUndefined();
  });
});

describe('Result, never a rejection', () => {
  it('returns the ApiError of a 4xx as is, with the X-Request-Id when absent', async () => {
    const body = {
      error: 'validation_error',
      message: 'bad key',
      status_code: 400,
      details: { field: 'key' },
    };
    const { t } = setup(() => json(400, body, { 'x-request-id': 'req_1' }));
    expect(await t.request({ method: 'GET', path: '/v1/a' })).toEqual({
      ok: false,
      val: { ...body, request_id: 'req_1' },
    });
  });

  it('fills a non-ApiError body from the status', async () => {
    const { t } = setup(
      () => new Response('<h1>Bad Gateway</h1>', { status: 502, statusText: 'Bad Gateway' }),
    );
    expect(await t.request({ method: 'GET', path: '/v1/a' })).toEqual({
      ok: false,
      val: { error: 'provider_error', message: 'Bad Gateway', status_code: 502 },
    });
    const { t: t2 } = setup(() => json(503, { message: 'down' }));
    expect(await t2.request({ method: 'GET', path: '/v1/a' })).toEqual({
      ok: false,
      val: { error: 'internal_error', message: 'down', status_code: 503 },
    });
  });

  it('maps a thrown fetch to network_error with status 0', async () => {
    const { t } = setup(() => Promise.reject(new TypeError('fetch failed')), 'jwt_1', { maxRetries: 0 });
    expect(await t.request({ method: 'POST', path: '/v1/a', body: {} })).toEqual({
      ok: false,
      val: {
        error: 'network_error',
        message: 'Request to api.test failed: fetch failed',
        status_code: 0,
        details: { host: 'api.test', reason: 'network', cause: 'fetch failed' },
      },
    });
  });

  it('maps an unreadable 2xx body to parse_error', async () => {
    const { t } = setup(
      () => new Response('{"items": [', { status: 200, headers: { 'x-request-id': 'req_2' } }),
    );
    expect(await t.request({ method: 'GET', path: '/v1/a' })).toEqual({
      ok: false,
      val: {
        error: 'parse_error',
        message: 'Response body is not valid JSON',
        status_code: 200,
        request_id: 'req_2',
      },
    });
  });

  it('reads an empty 2xx body as null', async () => {
    const { t } = setup(() => new Response(null, { status: 200 }));
    expect(await t.request({ method: 'GET', path: '/v1/a' })).toEqual({ ok: true, val: null });
  });
});
