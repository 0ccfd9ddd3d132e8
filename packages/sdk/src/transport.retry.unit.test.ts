import { describe, expect, it } from 'vitest';
import { fakeFetch, json, memoryConfig } from '../test/fake-fetch.ts';
import { Transport } from './transport.ts';

function setup(handler: Parameters<typeof fakeFetch>[0], extra = {}) {
  const f = fakeFetch(handler);
  const { config } = memoryConfig('jwt_1', { fetch: f.fetch, retryBaseMs: 1, ...extra });
  return { t: new Transport(config), calls: f.calls };
}

/** Answers with `script` in order, then 200. */
const scripted = (script: (() => Response | Promise<Response>)[]) => {
  let i = 0;
  return () => (script[i] ? script[i++]!() : json(201, { id: 'ord_1' }));
};
const refused = () =>
  Promise.reject(
    new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    }),
  );

describe('transport retries (CONTRACT §2.4, issue 10 defect 12)', () => {
  it.each([
    ['a network error', refused],
    [
      '409 idempotency in progress',
      () =>
        json(409, {
          error: 'idempotency_conflict',
          message: 'A request with this Idempotency-Key is still in progress',
          status_code: 409,
          details: { reason: 'in_progress' },
        }),
    ],
    [
      '429',
      () =>
        json(429, { error: 'rate_limited', message: 'slow down', status_code: 429 }, { 'retry-after': '0' }),
    ],
    ['500', () => json(500, { error: 'internal_error', message: 'x', status_code: 500 })],
    ['503 without a JSON body', () => new Response('Service Unavailable', { status: 503 })],
  ])('retries after %s with the same Idempotency-Key', async (_name, failure) => {
    const { t, calls } = setup(scripted([failure, failure]));
    const res = await t.request({ method: 'POST', path: '/v1/a', body: { x: 1 } });
    expect(res).toEqual({ ok: true, val: { id: 'ord_1' } });
    expect(calls).toHaveLength(3);
    const keys = new Set(calls.map((c) => c.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toBeTruthy();
  });

  it.each([
    ['400', () => json(400, { error: 'validation_error', message: 'x', status_code: 400 })],
    ['404', () => json(404, { error: 'not_found', message: 'x', status_code: 404 })],
    [
      '409 with a different body',
      () =>
        json(409, {
          error: 'idempotency_conflict',
          message: 'already used with a different request body',
          status_code: 409,
          details: { reason: 'body_mismatch' },
        }),
    ],
    ['409 already_exists', () => json(409, { error: 'already_exists', message: 'x', status_code: 409 })],
  ])('does not retry %s', async (_name, failure) => {
    const { t, calls } = setup(scripted([failure]));
    const res = await t.request({ method: 'POST', path: '/v1/a', body: {} });
    expect(res.ok).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it('gives up after maxRetries and returns the last error', async () => {
    const { t, calls } = setup(() => json(502, { error: 'provider_error', message: 'x', status_code: 502 }), {
      maxRetries: 2,
    });
    const res = await t.request({ method: 'GET', path: '/v1/a' });
    expect(res).toMatchObject({ ok: false, val: { status_code: 502 } });
    expect(calls).toHaveLength(3);
  });

  it('honours Retry-After over a shorter backoff', async () => {
    const { t, calls } = setup(
      scripted([
        () => json(429, { error: 'rate_limited', message: 'x', status_code: 429 }, { 'retry-after': '1' }),
      ]),
    );
    const started = Date.now();
    await t.request({ method: 'GET', path: '/v1/a' });
    expect(calls).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('names the host and the cause of a network failure', async () => {
    const { t } = setup(refused, { maxRetries: 0 });
    const res = await t.request({ method: 'GET', path: '/v1/a' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.val).toMatchObject({
      error: 'network_error',
      status_code: 0,
      details: { host: 'api.test', reason: 'network' },
    });
    expect(res.val.message).toContain('api.test');
    expect(res.val.message).toContain('ECONNREFUSED');
  });

  it('per-call idempotencyKey, signal and timeoutMs (also accepted among params)', async () => {
    const { t, calls } = setup(() => json(201, {}));
    await t.request({ method: 'POST', path: '/v1/a', body: { x: 1 }, idempotencyKey: 'my-key' });
    await t.request({ method: 'POST', path: '/v1/a', body: { x: 1, idempotencyKey: 'from-params' } });
    expect(calls.map((c) => c.headers['idempotency-key'])).toEqual(['my-key', 'from-params']);
    expect(calls[1]!.body).toEqual({ x: 1 });

    const hanging = setup((c) => new Promise<Response>(() => void c), { maxRetries: 1 });
    const timedOut = await hanging.t.request({ method: 'GET', path: '/v1/slow', timeoutMs: 20 });
    expect(timedOut).toMatchObject({
      ok: false,
      val: { error: 'network_error', details: { reason: 'timeout' } },
    });
  });

  it('an aborted call is not retried', async () => {
    const controller = new AbortController();
    const { t, calls } = setup(() => {
      controller.abort();
      return Promise.reject(new DOMException('aborted', 'AbortError'));
    });
    const res = await t.request({ method: 'GET', path: '/v1/a', signal: controller.signal });
    expect(res).toMatchObject({ ok: false, val: { details: { reason: 'aborted' } } });
    expect(calls).toHaveLength(1);
  });
});

describe('long pauses', () => {
  it('returns a 429 whose Retry-After is longer than 10 s instead of waiting', async () => {
    const { t, calls } = setup(() =>
      json(429, { error: 'rate_limited', message: 'x', status_code: 429 }, { 'retry-after': '900' }),
    );
    const res = await t.request({ method: 'POST', path: '/v1/auth/login', body: {} });
    expect(res).toMatchObject({ ok: false, val: { status_code: 429 } });
    expect(calls).toHaveLength(1);
  });
});
