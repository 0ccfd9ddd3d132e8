import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, createStore, registerAccount, uniqueEmail, type Caller } from '../../../test/fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../../../test/smtp-sink.ts';

let t: TestApp;
let smtp: SmtpSink;
let clock = 1_900_000_000;
let owner: Caller;
let storeId: string;
let otherStoreId: string;

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await createTestApp({ env: { SMTP_URL: smtp.url }, build: { now: () => clock } });
  owner = await registerAccount(t.app);
  storeId = await createStore(t.app, owner, 'shop-profiles');
  otherStoreId = await createStore(t.app, owner, 'shop-other');
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});
beforeEach(() => {
  clock += 3600;
});

const bearer = (token: string): Caller => ({ headers: { authorization: `Bearer ${token}` } });
const sf = (store = storeId) => `/v1/storefront/${store}/profiles`;

async function identify(caller: Caller | null, payload: object = {}, store = storeId) {
  return call(t.app, caller, { method: 'POST', url: `${sf(store)}/identify`, payload });
}

async function mailedCode(email: string): Promise<string> {
  await t.app.deps.jobs.tick();
  const code = smtp.codeFor(email);
  if (!code) throw new Error(`no code for ${email}`);
  return code;
}

describe('identify', () => {
  it('creates a guest profile and token, then returns the same ones for that token', async () => {
    const res = await identify(null);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      profile: {
        store_id: storeId,
        email: null,
        verified: false,
        status: 'active',
        promo_usage: [],
        taxonomies: [],
        verification_codes: [],
      },
      token: { id: expect.any(String), token: expect.stringMatching(/^pt_/), created_at: clock },
      store: { id: storeId, key: 'shop-profiles', emails: { support: 'billing@example.com' }, payment: null },
      market: null,
      code_sent: false,
    });
    expect(res.body.profile.auth_tokens).toEqual([{ id: res.body.token.id, created_at: clock }]);
    expect(res.body.store).not.toHaveProperty('subscription');
    expect(res.body.store).not.toHaveProperty('settings');
    expect(res.body.store.emails).not.toHaveProperty('billing');
    const stored = await t.app.deps.db.db
      .selectFrom('profile_tokens')
      .select('token_hash')
      .where('id', '=', res.body.token.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toBe(res.body.token.token);
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);

    const again = await identify(bearer(res.body.token.token), { market: 'EU' });
    expect(again.body.profile.id).toBe(res.body.profile.id);
    expect(again.body.token).toEqual(res.body.token);
    expect(again.body.market).toMatchObject({ key: 'eu', currency: 'EUR' });
    // The chosen market is remembered.
    expect((await identify(bearer(res.body.token.token))).body.market).toMatchObject({ key: 'eu' });
  });

  it('treats a token of another store as no token and rejects unknown markets and stores', async () => {
    const elsewhere = await identify(null, {}, otherStoreId);
    const here = await identify(bearer(elsewhere.body.token.token));
    expect(here.body.profile.id).not.toBe(elsewhere.body.profile.id);
    expect(here.body.profile.store_id).toBe(storeId);
    const me = await call(t.app, bearer(elsewhere.body.token.token), { url: `${sf()}/me` });
    expect(me.status).toBe(401);

    const bad = await identify(null, { market: 'mars' });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toMatchObject({ field: 'market', reason: 'not_found' });
    expect((await identify(null, { email: 'not-an-email' })).body.details).toMatchObject({
      field: 'email',
      reason: 'format',
    });
    expect((await identify(null, { verify: true })).body.details).toMatchObject({
      field: 'email',
      reason: 'required',
    });
    expect((await identify(null, {}, 'store_missing')).status).toBe(404);
  });

  it('records an email without verification', async () => {
    const guest = await identify(null);
    const email = uniqueEmail('Guest');
    const res = await identify(bearer(guest.body.token.token), { email, verify: false });
    expect(res.body).toMatchObject({
      profile: { email: email.toLowerCase(), verified: false },
      code_sent: false,
    });
    const me = await call(t.app, bearer(guest.body.token.token), { url: `${sf()}/me` });
    expect(me.body).toEqual({
      profile: expect.objectContaining({ id: guest.body.profile.id, email: email.toLowerCase() }),
      carts: [],
      orders: [],
      form_submissions: [],
    });
  });
});

describe('verify', () => {
  it('sends a store-branded code, verifies the profile and replaces its tokens', async () => {
    const guest = await identify(null);
    const email = uniqueEmail('shopper');
    const sent = await identify(bearer(guest.body.token.token), { email, verify: true });
    expect(sent.body.code_sent).toBe(true);
    const code = await mailedCode(email);
    expect(smtp.messages.at(-1)!.subject).toContain('shop-profiles');

    const wrong = await call(t.app, bearer(guest.body.token.token), {
      method: 'POST',
      url: `${sf()}/verify`,
      payload: { code: code === '000000' ? '111111' : '000000' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_code');

    const res = await call(t.app, bearer(guest.body.token.token), {
      method: 'POST',
      url: `${sf()}/verify`,
      payload: { code },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      token: expect.stringMatching(/^pt_/),
      created_at: clock,
    });
    expect(res.body.token).not.toBe(guest.body.token.token);
    const me = await call(t.app, bearer(res.body.token), { url: `${sf()}/me` });
    expect(me.body.profile).toMatchObject({
      id: guest.body.profile.id,
      email,
      verified: true,
      auth_tokens: [{ id: res.body.id, created_at: clock }],
    });
    // The guest token of the unverified profile is gone (a token planted before verification gains nothing).
    expect((await call(t.app, bearer(guest.body.token.token), { url: `${sf()}/me` })).status).toBe(401);
    // The code is single use.
    const reuse = await call(t.app, bearer(res.body.token), {
      method: 'POST',
      url: `${sf()}/verify`,
      payload: { code },
    });
    expect(reuse.body.error).toBe('invalid_code');
  });

  it('merges a new device into the verified profile holding the email', async () => {
    const email = uniqueEmail('returning');
    const first = await identify(null, { email, verify: true });
    const v1 = await call(t.app, bearer(first.body.token.token), {
      method: 'POST',
      url: `${sf()}/verify`,
      payload: { code: await mailedCode(email) },
    });
    expect(v1.status).toBe(200);

    const device = await identify(null, { market: 'us' });
    await identify(bearer(device.body.token.token), { email: email.toUpperCase(), verify: true });
    const v2 = await call(t.app, bearer(device.body.token.token), {
      method: 'POST',
      url: `${sf()}/verify`,
      payload: { code: await mailedCode(email) },
    });
    expect(v2.status).toBe(200);
    const me = await call(t.app, bearer(v2.body.token), { url: `${sf()}/me` });
    expect(me.body.profile).toMatchObject({ id: first.body.profile.id, verified: true, email });
    // The first device stays logged in; the merged guest profile is archived with its token.
    expect((await call(t.app, bearer(v1.body.token), { url: `${sf()}/me` })).status).toBe(200);
    expect((await call(t.app, bearer(device.body.token.token), { url: `${sf()}/me` })).status).toBe(401);
    const merged = await t.app.deps.db.db
      .selectFrom('profiles')
      .select('status')
      .where('id', '=', device.body.profile.id)
      .executeTakeFirstOrThrow();
    expect(merged.status).toBe('archived');
  });

  it('needs an email and the code of this store', async () => {
    const guest = await identify(null);
    const none = await call(t.app, bearer(guest.body.token.token), {
      method: 'POST',
      url: `${sf()}/verify`,
      payload: { code: '123456' },
    });
    expect(none.body.details).toMatchObject({ field: 'email', reason: 'required' });
    // A code sent for another store does not verify here.
    const email = uniqueEmail('cross');
    await identify(null, { email, verify: true }, otherStoreId);
    const code = await mailedCode(email);
    const cross = await call(t.app, null, {
      method: 'POST',
      url: `${sf()}/verify`,
      payload: { code, email },
    });
    expect(cross.body.error).toBe('invalid_code');
    // Without a token, the email in the body names the profile (created verified when new).
    const direct = await call(t.app, null, {
      method: 'POST',
      url: `${sf(otherStoreId)}/verify`,
      payload: { code, email },
    });
    expect(direct.status).toBe(200);
    const me = await call(t.app, bearer(direct.body.token), { url: `${sf(otherStoreId)}/me` });
    expect(me.body.profile).toMatchObject({ email, verified: true, store_id: otherStoreId });
  });
});

describe('logout and me', () => {
  it('revokes the token; me needs a token of this store', async () => {
    const guest = await identify(null);
    const tok = bearer(guest.body.token.token);
    expect((await call(t.app, tok, { url: `${sf()}/me` })).status).toBe(200);
    const out = await call(t.app, tok, { method: 'POST', url: `${sf()}/logout` });
    expect(out.body).toEqual({ logged_out: true });
    const me = await call(t.app, tok, { url: `${sf()}/me` });
    expect(me.status).toBe(401);
    expect(me.body.error).toBe('unauthenticated');
    expect((await call(t.app, null, { url: `${sf()}/me` })).status).toBe(401);
    // An account token is not a profile.
    const account = await registerAccount(t.app);
    expect((await call(t.app, account, { url: '/v1/accounts/me' })).status).toBe(200);
    expect((await call(t.app, account, { url: `${sf()}/me` })).status).toBe(401);
    expect((await call(t.app, null, { url: `${sf('store_missing')}/me` })).status).toBe(404);
  });
});

describe('store deletion', () => {
  it("removes the store's profiles, tokens and profile codes", async () => {
    // A fresh owner: the suite's clock has run past the first owner's access token.
    const boss = await registerAccount(t.app);
    const doomed = await createStore(t.app, boss, `doomed-${clock}`);
    const guest = await identify(null, { email: uniqueEmail('doomed'), verify: true }, doomed);
    expect(guest.body.code_sent).toBe(true);
    const db = t.app.deps.db.db;
    expect(
      await db.selectFrom('email_codes').select('id').where('store_id', '=', doomed).execute(),
    ).toHaveLength(1);
    expect((await call(t.app, boss, { method: 'DELETE', url: `/v1/stores/${doomed}` })).body).toEqual({
      deleted: true,
    });
    expect(await db.selectFrom('email_codes').select('id').where('store_id', '=', doomed).execute()).toEqual(
      [],
    );
    expect(await db.selectFrom('profiles').select('id').where('store_id', '=', doomed).execute()).toEqual([]);
    expect(
      await db.selectFrom('profile_tokens').select('id').where('store_id', '=', doomed).execute(),
    ).toEqual([]);
    expect((await call(t.app, bearer(guest.body.token.token), { url: `${sf(doomed)}/me` })).status).toBe(404);
  });
});
