import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, createApiKey, registerAccount, uniqueEmail } from '../../../test/fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('register and login', () => {
  it('registers, logs in, and answers wrong passwords and duplicates', async () => {
    const email = uniqueEmail('Reg');
    const reg = await call(t.app, null, {
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email: `  ${email.toUpperCase()} `.trim(), password: 'long enough pw' },
    });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      is_verified: false,
    });
    const dup = await call(t.app, null, {
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email, password: 'long enough pw' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.details.field).toBe('email');
    const login = await call(t.app, null, {
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password: 'long enough pw', provider: 'EMAIL' },
    });
    expect(login.status).toBe(200);
    const wrong = await call(t.app, null, {
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password: 'nope nope' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_credentials');
    const me = await call(
      t.app,
      { headers: { authorization: `Bearer ${login.body.access_token}` } },
      { url: '/v1/accounts/me' },
    );
    expect(me.body).toMatchObject({ email: email.toLowerCase(), provider: 'EMAIL', confirmed: false });
    expect(JSON.stringify(me.body)).not.toContain('password');
  });

  it('validates email and password length', async () => {
    const short = await call(t.app, null, {
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email: uniqueEmail(), password: 'short' },
    });
    expect(short.body.details).toMatchObject({ field: 'password', reason: 'min_length' });
    const bad = await call(t.app, null, {
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email: 'not-an-email', password: 'long enough pw' },
    });
    expect(bad.body.details).toMatchObject({ field: 'email', reason: 'format' });
  });

  it('rate-limits login attempts per email', async () => {
    const email = uniqueEmail();
    let last = 0;
    for (let i = 0; i < 11; i++) {
      last = (
        await call(t.app, null, {
          method: 'POST',
          url: '/v1/auth/login',
          payload: { email, password: 'whatever1' },
        })
      ).status;
    }
    expect(last).toBe(429);
    const res = await call(t.app, null, {
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password: 'whatever1' },
    });
    expect(res.body).toMatchObject({ error: 'rate_limited', details: { retry_after: expect.any(Number) } });
  });
});

describe('sessions', () => {
  it('rotates refresh tokens and revokes the family on reuse', async () => {
    const acc = await registerAccount(t.app);
    const r1 = await call(t.app, null, {
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refresh_token: acc.refresh },
    });
    expect(r1.status).toBe(200);
    const r2 = await call(t.app, null, {
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refresh_token: r1.body.refresh_token },
    });
    expect(r2.status).toBe(200);
    const reuse = await call(t.app, null, {
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refresh_token: acc.refresh },
    });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error).toBe('invalid_refresh_token');
    // The whole family is gone, including the newest pair.
    const after = await call(t.app, null, {
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refresh_token: r2.body.refresh_token },
    });
    expect(after.status).toBe(401);
    const me = await call(
      t.app,
      { headers: { authorization: `Bearer ${r2.body.access_token}` } },
      { url: '/v1/accounts/me' },
    );
    expect(me.status).toBe(401);
  });

  it('logout revokes the session', async () => {
    const acc = await registerAccount(t.app);
    const out = await call(t.app, acc, { method: 'POST', url: '/v1/auth/logout', payload: {} });
    expect(out.body).toEqual({ logged_out: true });
    expect((await call(t.app, acc, { url: '/v1/accounts/me' })).status).toBe(401);
    expect(
      (
        await call(t.app, null, {
          method: 'POST',
          url: '/v1/auth/refresh',
          payload: { refresh_token: acc.refresh },
        })
      ).status,
    ).toBe(401);
  });

  it('rejects missing and forged tokens', async () => {
    expect((await call(t.app, null, { url: '/v1/accounts/me' })).body.error).toBe('unauthenticated');
    expect(
      (
        await call(
          t.app,
          { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x' } },
          { url: '/v1/accounts/me' },
        )
      ).status,
    ).toBe(401);
  });
});

describe('API keys', () => {
  it('creates keys shown once, accepts both headers, revokes at once and records last use', async () => {
    const acc = await registerAccount(t.app);
    const key = await createApiKey(t.app, acc, 'ci');
    expect(key.value).toMatch(/^ak_/);
    expect((await call(t.app, key, { url: '/v1/accounts/me' })).status).toBe(200);
    expect(
      (await call(t.app, { headers: { authorization: `Bearer ${key.value}` } }, { url: '/v1/accounts/me' }))
        .status,
    ).toBe(200);
    const me = await call(t.app, acc, { url: '/v1/accounts/me' });
    expect(me.body.api_tokens).toEqual([
      expect.objectContaining({ id: key.keyId, name: 'ci', type: 'api', last_used_at: expect.any(Number) }),
    ]);
    expect(JSON.stringify(me.body)).not.toContain(key.value);
    const stored = await t.app.deps.db.db
      .selectFrom('api_keys')
      .select('key_hash')
      .where('id', '=', key.keyId)
      .executeTakeFirstOrThrow();
    expect(stored.key_hash).not.toContain(key.value);
    await call(t.app, acc, { method: 'PUT', url: '/v1/accounts', payload: { api_tokens: [] } });
    expect((await call(t.app, key, { url: '/v1/accounts/me' })).status).toBe(401);
  });
});
