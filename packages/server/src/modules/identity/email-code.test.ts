import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, createStore, registerAccount, uniqueEmail } from '../../../test/fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../../../test/smtp-sink.ts';
import { pruneEmailCodes } from './email-code.service.ts';

let t: TestApp;
let smtp: SmtpSink;
let clock = 1_900_000_000;

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await createTestApp({ env: { SMTP_URL: smtp.url }, build: { now: () => clock } });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});
// Each test starts in fresh rate-limit windows.
beforeEach(() => {
  clock += 3600;
});

const post = (url: string, payload: object, ip = '127.0.0.1') =>
  call(t.app, null, { method: 'POST', url, payload, remoteAddress: ip });

/** Requests a code, lets the job runner send it, and reads it from the SMTP server. */
async function codeFor(email: string, url = '/v1/auth/code', payload: object = { email }): Promise<string> {
  const res = await post(url, payload);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ sent: true });
  await t.app.deps.jobs.tick();
  const code = smtp.codeFor(email);
  if (!code) throw new Error(`no code arrived for ${email}`);
  return code;
}

describe('email code login', () => {
  it('creates the account on first use, confirmed and verified, then logs it in again', async () => {
    const email = uniqueEmail('Code');
    const code = await codeFor(email);
    expect(code).toMatch(/^\d{6}$/);
    const mail = smtp.messages.at(-1)!;
    expect(mail.to).toEqual([email.toLowerCase()]);
    expect(mail.subject).toContain('OpenArky');

    const res = await post('/v1/auth/verify', { email: email.toUpperCase(), code });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      is_verified: true,
    });
    const me = await call(
      t.app,
      { headers: { authorization: `Bearer ${res.body.access_token}` } },
      { url: '/v1/accounts/me' },
    );
    expect(me.body).toMatchObject({ email: email.toLowerCase(), provider: 'EMAIL', confirmed: true });

    const again = await post('/v1/auth/verify', { email, code: await codeFor(email) });
    expect(again.status).toBe(200);
    const me2 = await call(
      t.app,
      { headers: { authorization: `Bearer ${again.body.access_token}` } },
      { url: '/v1/accounts/me' },
    );
    expect(me2.body.id).toBe(me.body.id);
  });

  it('confirms an existing password account', async () => {
    const acc = await registerAccount(t.app);
    expect((await call(t.app, acc, { url: '/v1/accounts/me' })).body.confirmed).toBe(false);
    const res = await post('/v1/auth/verify', { email: acc.email!, code: await codeFor(acc.email!) });
    expect(res.body.is_verified).toBe(true);
    const me = await call(t.app, acc, { url: '/v1/accounts/me' });
    expect(me.body).toMatchObject({ id: acc.accountId, confirmed: true });
  });

  it('refuses wrong, reused and expired codes with invalid_code', async () => {
    const email = uniqueEmail();
    const code = await codeFor(email);
    const wrong = code === '000000' ? '111111' : '000000';
    const bad = await post('/v1/auth/verify', { email, code: wrong });
    expect(bad.status).toBe(401);
    expect(bad.body.error).toBe('invalid_code');
    expect((await post('/v1/auth/verify', { email, code })).status).toBe(200);
    const reused = await post('/v1/auth/verify', { email, code });
    expect(reused.body.error).toBe('invalid_code');

    const late = await codeFor(email);
    clock += 601;
    expect((await post('/v1/auth/verify', { email, code: late })).body.error).toBe('invalid_code');
    // Malformed codes are a validation error, not a guess.
    expect((await post('/v1/auth/verify', { email, code: '12ab' })).body.details).toMatchObject({
      field: 'code',
      reason: 'pattern',
    });
  });

  it('kills a code after 5 wrong attempts', async () => {
    const email = uniqueEmail();
    const code = await codeFor(email);
    const wrong = code === '999999' ? '888888' : '999999';
    for (let i = 0; i < 5; i++)
      expect((await post('/v1/auth/verify', { email, code: wrong })).body.error).toBe('invalid_code');
    const right = await post('/v1/auth/verify', { email, code });
    expect(right.status).toBe(401);
    expect(right.body.error).toBe('invalid_code');
  });

  it('keeps only the newest code alive', async () => {
    const email = uniqueEmail();
    const first = await codeFor(email);
    const second = await codeFor(email);
    if (first !== second)
      expect((await post('/v1/auth/verify', { email, code: first })).body.error).toBe('invalid_code');
    expect((await post('/v1/auth/verify', { email, code: second })).status).toBe(200);
  });

  it('stores only a hash of the code and never puts it in clear in the job queue', async () => {
    const email = uniqueEmail();
    const code = await codeFor(email);
    const db = t.app.deps.db.db;
    const row = await db
      .selectFrom('email_codes')
      .selectAll()
      .where('email', '=', email)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.code_hash).not.toContain(code);
    const jobs = await db.selectFrom('jobs').select('payload').where('kind', '=', 'email.send').execute();
    const mine = jobs.filter((j) => j.payload.includes(email));
    expect(mine.length).toBeGreaterThan(0);
    for (const j of mine) expect(j.payload).not.toContain(`code is ${code}`);
    // The maintenance job drops codes a day after they expired.
    await pruneEmailCodes(db, row.expires_at + 86400);
    expect(await db.selectFrom('email_codes').select('id').where('id', '=', row.id).execute()).toHaveLength(
      1,
    );
    await pruneEmailCodes(db, row.expires_at + 86401);
    expect(await db.selectFrom('email_codes').select('id').where('id', '=', row.id).execute()).toEqual([]);
  });

  it('answers unknown emails the same and limits requests per email and per IP', async () => {
    const email = uniqueEmail('nobody');
    for (let i = 0; i < 5; i++) expect((await post('/v1/auth/code', { email })).body).toEqual({ sent: true });
    const limited = await post('/v1/auth/code', { email });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({
      error: 'rate_limited',
      details: { retry_after: expect.any(Number) },
    });
    expect(limited.body.details.retry_after).toBeGreaterThan(0);
    expect(limited.headers['retry-after']).toBe(String(limited.body.details.retry_after));
    expect(
      await t.app.deps.db.db
        .selectFrom('accounts')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirst(),
    ).toBeUndefined();

    let last = 0;
    for (let i = 0; i < 31; i++)
      last = (await post('/v1/auth/code', { email: uniqueEmail('ip') }, '10.9.8.7')).status;
    expect(last).toBe(429);
    // Another address is not affected.
    expect((await post('/v1/auth/code', { email: uniqueEmail('ip') }, '10.9.8.8')).status).toBe(200);
  });

  it('retries a failed delivery and drops a message that outlived its code', async () => {
    const email = uniqueEmail('retry');
    smtp.failNext(1);
    expect((await post('/v1/auth/code', { email })).body).toEqual({ sent: true });
    await t.app.deps.jobs.tick();
    expect(smtp.codeFor(email)).toBeUndefined();
    const job = await t.app.deps.db.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'email.send')
      .where('payload', 'like', `%${email}%`)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ state: 'pending', attempts: 1 });
    expect(job.last_error).toContain('451');
    clock += 60;
    await t.app.deps.jobs.tick();
    const code = smtp.codeFor(email);
    expect(code).toMatch(/^\d{6}$/);
    expect((await post('/v1/auth/verify', { email, code: code! })).status).toBe(200);

    const late = uniqueEmail('late');
    await post('/v1/auth/code', { email: late });
    clock += 601;
    await t.app.deps.jobs.tick();
    expect(smtp.codeFor(late)).toBeUndefined();
  });
});

describe('store-branded codes', () => {
  it('brands the email with the store, logs in, and 404s for unknown stores', async () => {
    const owner = await registerAccount(t.app);
    const storeId = await createStore(t.app, owner, `brand-${clock}`);
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { emails: { support: 'help@brand.example' } },
    });
    const email = uniqueEmail('shopper');
    const code = await codeFor(email, `/v1/stores/${storeId}/auth/code`, { email });
    const mail = smtp.messages.at(-1)!;
    expect(mail.subject).toContain(`brand-${clock}`);
    expect(mail.replyTo).toContain('help@brand.example');
    const res = await post(`/v1/stores/${storeId}/auth/verify`, { email, code });
    expect(res.status).toBe(200);
    expect(res.body.is_verified).toBe(true);

    expect((await post('/v1/stores/store_missing/auth/code', { email })).status).toBe(404);
    expect((await post('/v1/stores/store_missing/auth/verify', { email, code: '123456' })).body.error).toBe(
      'not_found',
    );
    // An unknown store_id on the generic route only loses the branding.
    expect((await post('/v1/auth/code', { email: uniqueEmail(), store_id: 'store_missing' })).status).toBe(
      200,
    );
  });
});
