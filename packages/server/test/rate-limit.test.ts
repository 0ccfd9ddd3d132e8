import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.ts';
import { createApiKey, registerAccount } from './fixtures.ts';

/** The global flood limit (RATE_LIMIT_MAX): per client IP, or per API key when one is sent. */
// Registering and creating two keys below spends exactly 6 requests from the default inject IP.
const MAX = 6;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { RATE_LIMIT_MAX: '6', RATE_LIMIT_WINDOW_SECONDS: '3600' } });
});
afterAll(async () => t?.close());

const get = (url: string, ip: string, headers: Record<string, string> = {}) =>
  t.app.inject({ url, remoteAddress: ip, headers });

describe('global rate limit', () => {
  it('answers 429 rate_limited with retry_after once an IP has spent its budget, other IPs unaffected', async () => {
    for (let i = 0; i < MAX; i++)
      expect((await get('/v1/platform/currencies', '10.0.0.1')).statusCode).toBe(200);
    const refused = await get('/v1/platform/currencies', '10.0.0.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({
      error: 'rate_limited',
      status_code: 429,
      details: { retry_after: expect.any(Number) },
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['x-request-id']).toBeTruthy();
    expect((await get('/v1/platform/currencies', '10.0.0.2')).statusCode).toBe(200);
    // Health checks are never limited (load balancers probe them constantly).
    expect((await get('/healthz', '10.0.0.1')).statusCode).toBe(200);
  });

  it('counts requests with an API key against the key, not the IP', async () => {
    const owner = await registerAccount(t.app);
    const a = await createApiKey(t.app, owner, 'a');
    const b = await createApiKey(t.app, owner, 'b');
    for (let i = 0; i < MAX; i++)
      expect((await get('/v1/accounts/me', '10.0.0.9', a.headers)).statusCode).toBe(200);
    expect((await get('/v1/accounts/me', '10.0.0.9', a.headers)).statusCode).toBe(429);
    // Same IP, another key: its own budget. Bearer ak_… is the same key as X-API-Key.
    expect((await get('/v1/accounts/me', '10.0.0.9', b.headers)).statusCode).toBe(200);
    expect(
      (await get('/v1/accounts/me', '10.0.0.10', { authorization: `Bearer ${a.value}` })).statusCode,
    ).toBe(429);
  });
});
