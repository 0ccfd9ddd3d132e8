import { describe, expect, it } from 'vitest';
import { fakeFetch, json, memoryConfig, sleep, type Call } from '../test/fake-fetch.ts';
import type { TokenSet } from './config.ts';
import { Transport } from './transport.ts';

const now = () => Math.floor(Date.now() / 1000);
const unauthenticated = { error: 'unauthenticated', message: 'token expired', status_code: 401 };

/** A server where only `valid` is accepted and refresh rotates a1/r1 → a2/r2. */
function server(opts: { refreshOk?: boolean; refreshDelay?: number; valid?: string } = {}) {
  let refreshes = 0;
  const handler = async (call: Call): Promise<Response> => {
    if (call.path === '/v1/auth/refresh') {
      refreshes += 1;
      await sleep(opts.refreshDelay ?? 5);
      if (opts.refreshOk === false)
        return json(401, { error: 'invalid_refresh_token', message: 'revoked', status_code: 401 });
      expect(call.body).toEqual({ refresh_token: 'r1' });
      return json(200, {
        id: 'tok_2',
        access_token: 'a2',
        refresh_token: 'r2',
        access_expires_at: now() + 3600,
      });
    }
    const i = Number(new URL(call.url).searchParams.get('i') ?? 0);
    await sleep(i * 4); // 401s arrive spread out, some after the refresh already finished
    return call.headers.authorization === `Bearer ${opts.valid ?? 'a2'}`
      ? json(200, { i })
      : json(401, unauthenticated);
  };
  return { handler, refreshes: () => refreshes };
}

function client(
  tokens: TokenSet | string | null,
  handler: (c: Call) => Promise<Response> | Response,
  extra = {},
) {
  const f = fakeFetch(handler);
  const { config, store } = memoryConfig(tokens, { fetch: f.fetch, ...extra });
  return { t: new Transport(config), calls: f.calls, store };
}

describe('refresh on 401', () => {
  it('refreshes once for 5 concurrent 401s and retries each with the same Idempotency-Key', async () => {
    const s = server();
    const { t, calls, store } = client(
      { access_token: 'a1', refresh_token: 'r1', provider: 'EMAIL' },
      s.handler,
    );
    const results = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        t.request({ method: 'POST', path: '/v1/stores/store_1/things', query: { i }, body: { i } }),
      ),
    );
    expect(results.map((r) => r.ok && r.val)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }, { i: 4 }]);
    expect(s.refreshes()).toBe(1);
    expect(store.setCalls).toEqual([
      [
        'a2',
        { access_token: 'a2', refresh_token: 'r2', access_expires_at: expect.any(Number), provider: 'EMAIL' },
      ],
    ]);
    for (let i = 0; i < 5; i++) {
      const attempts = calls.filter(
        (c) => c.path !== '/v1/auth/refresh' && (c.body as { i: number }).i === i,
      );
      expect(attempts.map((c) => c.headers.authorization)).toEqual(['Bearer a1', 'Bearer a2']);
      expect(attempts[0]!.headers['idempotency-key']).toBeTruthy();
      expect(attempts[1]!.headers['idempotency-key']).toBe(attempts[0]!.headers['idempotency-key']);
    }
    expect(store.authErrors).toBe(0);
  });

  it('calls onAuthError and returns the 401 when the refresh fails', async () => {
    const s = server({ refreshOk: false });
    const { t, calls, store } = client({ access_token: 'a1', refresh_token: 'r1' }, s.handler);
    const res = await t.request({ method: 'GET', path: '/v1/accounts/me' });
    expect(res).toEqual({ ok: false, val: unauthenticated });
    expect(store.authErrors).toBe(1);
    expect(store.setCalls).toEqual([]);
    expect(calls.map((c) => c.path)).toEqual(['/v1/accounts/me', '/v1/auth/refresh']);
  });

  it('calls onAuthError without a refresh when there is no refresh token', async () => {
    const { t, calls, store } = client('a1', server().handler);
    expect((await t.request({ method: 'GET', path: '/v1/accounts/me' })).ok).toBe(false);
    expect(store.authErrors).toBe(1);
    expect(calls).toHaveLength(1);
  });

  it('calls onAuthError when the retry is refused too', async () => {
    const s = server({ valid: 'never' });
    const { t, calls, store } = client({ access_token: 'a1', refresh_token: 'r1' }, s.handler);
    expect((await t.request({ method: 'GET', path: '/v1/accounts/me' })).ok).toBe(false);
    expect(calls).toHaveLength(3);
    expect(store.authErrors).toBe(1);
  });

  it('does not refresh for /v1/auth/* routes or wrong credentials', async () => {
    const bad = { error: 'invalid_code', message: 'wrong code', status_code: 401 };
    const { t, calls, store } = client({ access_token: 'a1', refresh_token: 'r1' }, () => json(401, bad));
    expect(await t.request({ method: 'POST', path: '/v1/auth/login', body: {} })).toEqual({
      ok: false,
      val: bad,
    });
    expect(await t.request({ method: 'POST', path: '/v1/stores/s/auth/verify', body: {} })).toEqual({
      ok: false,
      val: bad,
    });
    expect(calls).toHaveLength(2);
    expect(store.authErrors).toBe(0);
  });
});

describe('refresh ahead of expiry', () => {
  it('refreshes before the call when the access token expires within 30 s', async () => {
    const s = server();
    const { t, calls } = client(
      { access_token: 'a1', refresh_token: 'r1', access_expires_at: now() + 10 },
      s.handler,
    );
    expect((await t.request({ method: 'GET', path: '/v1/accounts/me' })).ok).toBe(true);
    expect(calls.map((c) => c.path)).toEqual(['/v1/auth/refresh', '/v1/accounts/me']);
  });

  it('does not refresh a token with time left', async () => {
    const { t, calls } = client(
      { access_token: 'a2', refresh_token: 'r1', access_expires_at: now() + 600 },
      server().handler,
    );
    await t.request({ method: 'GET', path: '/v1/accounts/me' });
    expect(calls.map((c) => c.path)).toEqual(['/v1/accounts/me']);
  });
});

describe('autoGuest', () => {
  const identify = (call: Call) =>
    call.path.endsWith('/profiles/identify')
      ? json(200, {
          profile: { id: 'prof_1' },
          token: { id: 'tok_1', token: 'pt_guest', created_at: 1 },
          code_sent: false,
        })
      : json(200, { auth: call.headers.authorization ?? null });

  it('identifies once before storefront calls made without a token', async () => {
    const { t, calls, store } = client(null, identify, { autoGuest: true, market: 'us' });
    const [a, b] = await Promise.all([
      t.request({ method: 'GET', path: '/v1/storefront/store_1/products' }),
      t.request({ method: 'GET', path: '/v1/storefront/store_1/cms/nodes' }),
    ]);
    expect(a).toEqual({ ok: true, val: { auth: 'Bearer pt_guest' } });
    expect(b).toEqual({ ok: true, val: { auth: 'Bearer pt_guest' } });
    const identifies = calls.filter((c) => c.path === '/v1/storefront/store_1/profiles/identify');
    expect(identifies).toHaveLength(1);
    expect(identifies[0]!.body).toEqual({ market: 'us' });
    expect(identifies[0]!.headers.authorization).toBeUndefined();
    expect(store.setCalls).toEqual([['pt_guest', { access_token: 'pt_guest', provider: 'GUEST' }]]);
  });

  it('stays anonymous when off, for admin routes, or when identify fails', async () => {
    const off = client(null, identify);
    await off.t.request({ method: 'GET', path: '/v1/storefront/store_1/products' });
    expect(off.calls).toHaveLength(1);
    const admin = client(null, identify, { autoGuest: true });
    await admin.t.request({ method: 'GET', path: '/v1/platform/currencies' });
    expect(admin.calls).toHaveLength(1);
    const failing = client(null, (c) => (c.path.endsWith('/identify') ? json(404, {}) : json(200, {})), {
      autoGuest: true,
    });
    expect((await failing.t.request({ method: 'GET', path: '/v1/storefront/store_1/products' })).ok).toBe(
      true,
    );
    expect(failing.calls.map((c) => c.headers.authorization)).toEqual([undefined, undefined]);
  });
});
