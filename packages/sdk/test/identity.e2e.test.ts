import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test/helpers.ts';
import { startSmtpSink, type SmtpSink } from '../../server/test/smtp-sink.ts';
import {
  createArkyClient,
  createStorefrontClient,
  type ArkyClientConfig,
  type Result,
  type TokenSet,
} from '../src/index.ts';

let t: TestApp;
let smtp: SmtpSink;
let baseUrl: string;

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await createTestApp({ env: { SMTP_URL: smtp.url } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

/** A client config whose token store is a plain variable, as an app would keep it. */
function tokenStore(extra: Partial<ArkyClientConfig> = {}) {
  const box: { token: string | null; set: TokenSet | undefined } = { token: null, set: undefined };
  const config: ArkyClientConfig = {
    storeId: '',
    baseUrl,
    getToken: () => box.set ?? box.token,
    setToken: (token, set) => {
      box.token = token;
      box.set = set;
    },
    ...extra,
  };
  return { box, config };
}

/** The value of a success; a failure fails the test with the server's error. */
function val<T>(res: Result<T>): T {
  if (!res.ok) throw new Error(`${res.val.error}: ${res.val.message}`);
  return res.val;
}

describe('identity and stores through the SDK', () => {
  it('runs the owner → member → API key → removal → guest story', async () => {
    // The owner registers, logs in again, and creates a store.
    const ownerTokens = tokenStore();
    const sdk = createArkyClient(ownerTokens.config);
    const email = `owner-${Date.now()}@example.com`;
    val(await sdk.auth.register({ email, password: 'correct horse battery' }));
    const first = ownerTokens.box.set!.access_token;
    const login = val(await sdk.auth.login({ email, password: 'correct horse battery' }));
    expect(ownerTokens.box.set).toMatchObject({
      access_token: login.access_token,
      refresh_token: login.refresh_token,
      provider: 'EMAIL',
    });
    expect(login.access_token).not.toBe(first);

    const store = val(
      await sdk.store.createStore({
        key: 'sdk-story',
        timezone: 'Europe/Paris',
        billing_email: 'billing@sdk.example',
        languages: [{ id: 'en' }],
      }),
    );
    sdk.setStoreId(store.id);
    expect(store.counts).toMatchObject({ members: 1 });

    const markets = val(await sdk.market.list());
    expect(markets.map((m) => [m.key, m.currency])).toEqual([
      ['us', 'USD'],
      ['eu', 'EUR'],
    ]);

    // A member is added by a new email and logs in with a code from the mailbox.
    const memberEmail = `member-${Date.now()}@example.com`;
    expect(val(await sdk.store.addMember({ email: memberEmail }))).toBe(true);
    const memberTokens = tokenStore({ storeId: store.id });
    const member = createArkyClient(memberTokens.config);
    expect(val(await member.auth.code({ email: memberEmail }))).toEqual({ sent: true });
    await t.app.deps.jobs.tick();
    const code = smtp.codeFor(memberEmail);
    expect(code).toMatch(/^\d{6}$/);
    const wrong = await member.auth.verify({
      email: memberEmail,
      code: code === '000000' ? '111111' : '000000',
    });
    expect(wrong).toMatchObject({ ok: false, val: { error: 'invalid_code', status_code: 401 } });
    expect(val(await member.auth.verify({ email: memberEmail, code: code! })).is_verified).toBe(true);
    expect(memberTokens.box.set?.access_token).toBeTruthy();
    const me = val(await member.account.getMe());
    expect(me).toMatchObject({
      email: memberEmail,
      confirmed: true,
      memberships: [{ store_id: store.id, role: 'admin' }],
    });
    expect(val(await member.store.getStore()).id).toBe(store.id);

    // The member creates an API key and uses it as `apiKey`.
    const keys = val(await member.account.updateAccount({ api_tokens: [{ id: null, name: 'ci' }] }));
    const apiKey = keys.newly_created_tokens[0]!.value!;
    expect(apiKey).toMatch(/^ak_/);
    const ci = createArkyClient({
      storeId: store.id,
      baseUrl,
      apiKey,
      getToken: () => null,
      setToken: () => {},
    });
    expect(val(await ci.store.getStore()).key).toBe('sdk-story');
    const found = val(await sdk.account.searchAccounts({ query: 'member-' }));
    expect(found.items.map((a) => a.id)).toEqual([me.id]);

    // The owner removes the member: the key (and the member's session) no longer see the store.
    expect(val(await sdk.store.removeMember({ account_id: me.id }))).toEqual({ removed: true });
    const gone = await ci.store.getStore();
    expect(gone).toMatchObject({ ok: false, val: { error: 'not_found', status_code: 404 } });
    expect((await member.store.getStore()).ok).toBe(false);

    // A guest identifies on the storefront and reads the public store.
    const guestTokens = tokenStore({ storeId: store.id, market: 'eu' });
    const sf = createStorefrontClient(guestTokens.config);
    const who = val(await sf.identify());
    expect(who).toMatchObject({
      profile: { email: null, verified: false },
      market: { key: 'eu' },
      code_sent: false,
    });
    expect(guestTokens.box.set).toEqual({ access_token: who.token.token, provider: 'GUEST' });
    const publicStore = val(await sf.store.getStore());
    expect(publicStore).toMatchObject({
      id: store.id,
      key: 'sdk-story',
      emails: { support: 'billing@sdk.example' },
      payment: null,
    });
    expect(publicStore).not.toHaveProperty('subscription');
    expect(JSON.stringify(publicStore)).not.toContain('"billing"');
    expect(val(await sf.me()).profile.id).toBe(who.profile.id);
  });

  it('verifies a shopper by email code and logs them out', async () => {
    const owner = createArkyClient(tokenStore().config);
    val(
      await owner.auth.register({
        email: `shop-${Date.now()}@example.com`,
        password: 'correct horse battery',
      }),
    );
    const store = val(
      await owner.store.createStore({ key: 'sdk-shop', timezone: 'UTC', billing_email: 'b@sdk.example' }),
    );

    const guest = tokenStore({ storeId: store.id, autoGuest: true });
    const sf = createStorefrontClient(guest.config);
    // autoGuest: the first storefront call under a store gets a guest token by itself.
    expect(val(await sf.me()).profile).toMatchObject({ store_id: store.id, email: null });
    expect(guest.box.set?.provider).toBe('GUEST');
    const guestToken = guest.box.set!.access_token;

    const shopper = `shopper-${Date.now()}@example.com`;
    expect(val(await sf.identify({ email: shopper, verify: true })).code_sent).toBe(true);
    await t.app.deps.jobs.tick();
    const code = smtp.codeFor(shopper)!;
    const token = val(await sf.verify({ code }));
    expect(guest.box.set).toEqual({ access_token: token.token, provider: 'GUEST' });
    expect(token.token).not.toBe(guestToken);
    expect(val(await sf.me()).profile).toMatchObject({ email: shopper, verified: true });

    expect(val(await sf.logout())).toEqual({ logged_out: true });
    expect(await sf.me()).toMatchObject({ ok: false, val: { error: 'unauthenticated' } });
  });

  it('uses the store-branded code routes and refresh', async () => {
    const owner = tokenStore();
    const sdk = createArkyClient(owner.config);
    val(
      await sdk.auth.register({
        email: `brand-${Date.now()}@example.com`,
        password: 'correct horse battery',
      }),
    );
    const store = val(
      await sdk.store.createStore({ key: 'sdk-brand', timezone: 'UTC', billing_email: 'b@brand.example' }),
    );
    const before = owner.box.set!;
    const refreshed = val(await sdk.auth.refresh());
    expect(owner.box.set!.refresh_token).toBe(refreshed.refresh_token);
    expect(refreshed.refresh_token).not.toBe(before.refresh_token);

    const who = tokenStore({ storeId: store.id });
    const client = createArkyClient(who.config);
    const email = `brand-user-${Date.now()}@example.com`;
    expect(val(await client.auth.storeCode({ email }))).toEqual({ sent: true });
    await t.app.deps.jobs.tick();
    expect(smtp.messages.at(-1)!.subject).toContain('sdk-brand');
    expect(val(await client.auth.storeVerify({ email, code: smtp.codeFor(email)! })).is_verified).toBe(true);
    expect(val(await client.account.getMe()).email).toBe(email);
    const missing = await client.auth.storeCode({ email, store_id: 'store_missing' });
    expect(missing).toMatchObject({ ok: false, val: { error: 'not_found' } });

    expect(
      val(await sdk.store.updateStore({ id: store.id, emails: { support: 'help@brand.example' } })).emails
        .support,
    ).toBe('help@brand.example');
    expect(val(await sdk.store.getSubscriptionPlans()).map((p) => p.id)).toContain('plan_free');
    expect(val(await sdk.store.deleteStore({ id: store.id }))).toEqual({ deleted: true });
    expect(val(await sdk.auth.logout())).toEqual({ logged_out: true });
    expect((await sdk.account.getMe()).ok).toBe(false);
  });
});
