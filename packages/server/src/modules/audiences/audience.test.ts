import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import {
  call,
  createApiKey,
  createStore,
  registerAccount,
  uniqueEmail,
  type Caller,
} from '../../../test/fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../../../test/smtp-sink.ts';
import { mailParts } from '../../../test/mail-parts.ts';
import { WebhookReceiver } from '../../../test/webhook-receiver.ts';

let t: TestApp;
let smtp: SmtpSink;
let receiver: WebhookReceiver;
let clock = 1_900_000_000;
let owner: Caller;
let storeId: string;
const secret = 'whsec_' + Buffer.alloc(32, 3).toString('base64');

beforeAll(async () => {
  smtp = await startSmtpSink();
  receiver = await new WebhookReceiver().start();
  t = await createTestApp({
    env: { SMTP_URL: smtp.url, WEBHOOK_RETRY_BASE_SECONDS: '0', PUBLIC_URL: 'https://api.shop.example' },
    build: { now: () => clock },
  });
  const account = await registerAccount(t.app);
  storeId = await createStore(t.app, account, 'shop-audiences');
  owner = await createApiKey(t.app, account);
  const hook = await call(t.app, owner, {
    method: 'POST',
    url: `/v1/stores/${storeId}/webhooks`,
    payload: {
      key: 'audience-hook',
      url: `${receiver.url}/audience`,
      events: ['audience.subscriber_added'],
      secret,
    },
  });
  expect(hook.status).toBe(201);
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await receiver?.stop();
});
beforeEach(() => {
  clock += 3600;
});

const lists = (path = '') => `/v1/stores/${storeId}/profile-lists${path}`;
const sfLists = (path = '') => `/v1/storefront/${storeId}/profile-lists${path}`;
const bearer = (token: string): Caller => ({ headers: { authorization: `Bearer ${token}` } });

async function guest(payload: object = {}): Promise<Caller & { profileId: string }> {
  const res = await call(t.app, null, {
    method: 'POST',
    url: `/v1/storefront/${storeId}/profiles/identify`,
    payload,
  });
  return { ...bearer(res.body.token.token), profileId: res.body.profile.id };
}

async function createList(payload: object) {
  const res = await call(t.app, owner, { method: 'POST', url: lists(), payload });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Audience events the webhook received, verified, for membership ids. */
async function deliveredFor(membershipIds: string[]) {
  await t.app.deps.jobs.tick();
  const verifier = new StandardWebhook(secret);
  return receiver.received
    .filter((r) => r.path === '/audience')
    .map(
      (r) =>
        verifier.verify(
          r.body,
          Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)])),
        ) as { event: string; data: { list: { id: string }; membership: { id: string; status: string } } },
    )
    .filter((b) => membershipIds.includes(b.data.membership.id));
}

describe('profile lists', () => {
  it('creates, reads (id or store:key), finds and updates lists; the storefront sees active ones only', async () => {
    const news = await createList({ key: 'news', name: 'News', type: 'standard' });
    expect(news).toMatchObject({
      key: 'news',
      name: 'News',
      status: 'active',
      type: { type: 'standard' },
      member_count: 0,
    });
    expect(news.id).toMatch(/^plst_/);
    const club = await createList({
      key: 'club',
      type: { type: 'paid', prices: [{ currency: 'usd', amount: 500, interval: 'month' }] },
      status: 'draft',
    });
    expect(club.type).toEqual({
      type: 'paid',
      prices: [{ id: 'usd-month-0', currency: 'USD', amount: 500, interval: 'month' }],
    });

    const noPrices = await call(t.app, owner, {
      method: 'POST',
      url: lists(),
      payload: { key: 'vip', type: 'paid' },
    });
    expect(noPrices.body.details).toMatchObject({ field: 'type.prices', reason: 'required' });
    const badType = await call(t.app, owner, {
      method: 'POST',
      url: lists(),
      payload: { key: 'vip', type: 'weekly' },
    });
    expect(badType.body.details).toMatchObject({ field: 'type', reason: 'invalid_value' });
    expect(
      (await call(t.app, owner, { method: 'POST', url: lists(), payload: { key: 'news' } })).status,
    ).toBe(409);

    expect((await call(t.app, owner, { url: lists(`/${storeId}:club`) })).body.id).toBe(club.id);
    expect(
      (await call(t.app, owner, { url: lists('?query=NEW') })).body.items.map((l: { id: string }) => l.id),
    ).toEqual([news.id]);
    expect((await call(t.app, null, { url: sfLists(`/${club.id}`) })).status).toBe(404);
    const sfPage = await call(t.app, null, { url: sfLists() });
    expect(sfPage.body.items.map((l: { id: string }) => l.id)).not.toContain(club.id);
    expect(sfPage.body.items.map((l: { id: string }) => l.id)).toContain(news.id);

    const updated = await call(t.app, owner, {
      method: 'PUT',
      url: lists(`/${club.id}`),
      payload: { status: 'active', description: 'Members only' },
    });
    expect(updated.body).toMatchObject({ status: 'active', description: 'Members only', key: 'club' });
    expect((await call(t.app, null, { url: sfLists(`/${storeId}:club`) })).status).toBe(200);
  });

  it('standard list: subscribing is active at once, emits audience.subscriber_added and grants access', async () => {
    const list = await createList({ key: 'weekly', name: 'Weekly' });
    const g = await guest();
    const anonymous = await call(t.app, null, {
      method: 'POST',
      url: sfLists(`/${list.id}/subscribe`),
      payload: {},
    });
    expect(anonymous.status).toBe(401);
    const before = await call(t.app, g, { url: sfLists(`/${list.id}/access`) });
    expect(before.body).toEqual({ has_access: false, membership: null });

    const res = await call(t.app, g, { method: 'POST', url: sfLists(`/${list.id}/subscribe`), payload: {} });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      checkout_url: null,
      membership: {
        profile_id: g.profileId,
        profile_list_id: list.id,
        status: 'active',
        source: 'signup',
        start_date: clock,
        end_date: null,
      },
    });
    expect(res.body.membership.token).toMatch(/^plm_\w+\.[\w-]{32}$/);
    const again = await call(t.app, g, {
      method: 'POST',
      url: sfLists(`/${list.id}/subscribe`),
      payload: {},
    });
    expect(again.body.membership.id).toBe(res.body.membership.id);
    const other = await guest();
    const forSomeoneElse = await call(t.app, other, {
      method: 'POST',
      url: sfLists(`/${list.id}/subscribe`),
      payload: { profile_id: g.profileId },
    });
    expect(forSomeoneElse.status).toBe(403);

    expect((await call(t.app, g, { url: sfLists(`/${list.id}/access`) })).body).toMatchObject({
      has_access: true,
      membership: { id: res.body.membership.id },
    });
    expect((await call(t.app, owner, { url: lists(`/${list.id}`) })).body.member_count).toBe(1);

    const events = await deliveredFor([res.body.membership.id]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event: 'audience.subscriber_added',
      data: { list: { id: list.id }, membership: { status: 'active' } },
    });
    expect(events[0]!.data.membership).not.toHaveProperty('token');
  });

  it('confirmation list: double opt-in email with List-Unsubscribe, single-use confirm link, one-click unsubscribe', async () => {
    const list = await createList({ key: 'letters', name: 'Letters', type: 'confirmation' });
    const g = await guest();
    const noEmail = await call(t.app, g, {
      method: 'POST',
      url: sfLists(`/${list.id}/subscribe`),
      payload: {},
    });
    expect(noEmail.body.details).toMatchObject({ field: 'email', reason: 'required' });
    const email = uniqueEmail('reader');
    const res = await call(t.app, g, {
      method: 'POST',
      url: sfLists(`/${list.id}/subscribe`),
      payload: { email, confirm_url: 'https://shop.example/newsletter/confirm?from=footer' },
    });
    expect(res.status).toBe(200);
    expect(res.body.membership).toMatchObject({ status: 'pending', start_date: null });
    expect((await call(t.app, g, { url: sfLists(`/${list.id}/access`) })).body.has_access).toBe(false);

    await t.app.deps.jobs.tick();
    const mail = smtp.messages.filter((m) => m.to.includes(email.toLowerCase())).at(-1)!;
    expect(mail.subject).toBe('Confirm your subscription to Letters');
    const parts = mailParts(mail.raw);
    const unsubscribeUrl = /^<(https:\/\/api\.shop\.example\/v1\/storefront\/[^>]+)>$/.exec(
      parts.header('List-Unsubscribe') ?? '',
    )?.[1];
    expect(unsubscribeUrl).toContain(`/v1/storefront/${storeId}/profile-lists/unsubscribe?token=`);
    expect(parts.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const link = /https:\/\/shop\.example\/newsletter\/confirm\?from=footer&token=(plc_\w+)/.exec(
      parts.text ?? '',
    );
    expect(link, parts.text ?? '').not.toBeNull();
    expect(parts.text).toContain('Please confirm that you want to receive Letters from shop-audiences');
    expect(parts.html).toContain('<!doctype html>');
    expect(parts.html).toContain(
      `href="https://shop.example/newsletter/confirm?from=footer&amp;token=${link![1]}"`,
    );
    expect(parts.html).toContain('Confirm my subscription');
    // Only the token's hash is stored.
    const stored = await t.app.deps.db.db
      .selectFrom('profile_list_members')
      .select('confirm_token_hash')
      .where('id', '=', res.body.membership.id)
      .executeTakeFirstOrThrow();
    expect(stored.confirm_token_hash).toMatch(/^[0-9a-f]{64}$/);

    const confirmed = await call(t.app, null, { url: sfLists(`/confirm?token=${link![1]}`) });
    expect(confirmed.body).toEqual({ confirmed: true });
    const reused = await call(t.app, null, { url: sfLists(`/confirm?token=${link![1]}`) });
    expect(reused.status).toBe(400);
    expect(reused.body.details).toMatchObject({ field: 'token', reason: 'invalid' });
    expect((await call(t.app, g, { url: sfLists(`/${list.id}/access`) })).body).toMatchObject({
      has_access: true,
      membership: { status: 'active', start_date: clock },
    });
    expect(await deliveredFor([res.body.membership.id])).toHaveLength(1);

    // One-click: the mail client POSTs `List-Unsubscribe=One-Click` form-encoded to the header URL.
    const path = unsubscribeUrl!.replace('https://api.shop.example', '');
    const forged = await call(t.app, null, {
      method: 'POST',
      url: path.replace(/.{4}$/, 'AAAA'),
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(forged.status).toBe(400);
    const out = await call(t.app, null, {
      method: 'POST',
      url: path,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ unsubscribed: true });
    expect((await call(t.app, null, { url: path })).body).toEqual({ unsubscribed: true });
    expect((await call(t.app, g, { url: sfLists(`/${list.id}/access`) })).body).toMatchObject({
      has_access: false,
      membership: { status: 'cancelled', end_date: clock },
    });
  });

  it('a paid list without the payments integration is refused with payment_provider_not_configured', async () => {
    const list = await createList({
      key: 'paid-only',
      type: { type: 'paid', prices: [{ currency: 'EUR', amount: 900, interval: 'year' }] },
    });
    const g = await guest({ email: uniqueEmail('payer') });
    const res = await call(t.app, g, {
      method: 'POST',
      url: sfLists(`/${list.id}/subscribe`),
      payload: { success_url: 'https://shop.example/ok', cancel_url: 'https://shop.example/no' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('payment_provider_not_configured');
    expect(
      (
        await call(t.app, owner, {
          url: `/v1/stores/${storeId}/profile-list-members?profile_id=${g.profileId}`,
        })
      ).body.items,
    ).toEqual([]);
  });
});

describe('members (admin)', () => {
  it('adds, lists, updates through the transition table and removes members', async () => {
    const list = await createList({ key: 'vip-members', type: 'confirmation' });
    const profile = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/profiles`,
      payload: { email: uniqueEmail('vip') },
    });
    const member = (p = profile.body.id) => lists(`/${list.id}/members/${p}`);
    const added = await call(t.app, owner, {
      method: 'POST',
      url: member(),
      payload: { fields: { tier: 'gold' }, lead_description: 'met at the fair' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      profile: { id: profile.body.id },
      membership: {
        status: 'active',
        source: 'admin',
        fields: { tier: 'gold' },
        lead_description: 'met at the fair',
      },
    });
    expect((await call(t.app, owner, { method: 'POST', url: member(), payload: {} })).status).toBe(409);
    expect(
      (await call(t.app, owner, { method: 'POST', url: member('prof_missing'), payload: {} })).status,
    ).toBe(404);

    const page = await call(t.app, owner, { url: lists(`/${list.id}/members?status=active`) });
    expect(page.body.items.map((m: { profile: { id: string } }) => m.profile.id)).toEqual([profile.body.id]);
    const across = await call(t.app, owner, {
      url: `/v1/stores/${storeId}/profile-list-members?profile_id=${profile.body.id}`,
    });
    expect(across.body.items).toHaveLength(1);

    const scheduled = await call(t.app, owner, {
      method: 'PATCH',
      url: member(),
      payload: { status: 'cancellation_scheduled', fields: { tier: 'silver' } },
    });
    expect(scheduled.body.membership).toMatchObject({
      status: 'cancellation_scheduled',
      fields: { tier: 'silver' },
    });
    const back = await call(t.app, owner, { method: 'PATCH', url: member(), payload: { status: 'pending' } });
    expect(back.status).toBe(409);
    expect(back.body).toMatchObject({
      error: 'invalid_transition',
      details: { from: 'cancellation_scheduled', to: 'pending' },
    });
    expect(
      (await call(t.app, owner, { method: 'PATCH', url: member(), payload: { status: 'expired' } })).body
        .membership,
    ).toMatchObject({ status: 'expired', end_date: clock });
    // An ended membership may start a new cycle when the admin adds the profile again.
    expect(
      (await call(t.app, owner, { method: 'POST', url: member(), payload: {} })).body.membership.status,
    ).toBe('active');
    expect((await call(t.app, owner, { method: 'DELETE', url: member() })).body).toEqual({ deleted: true });
    expect((await call(t.app, owner, { method: 'DELETE', url: member() })).status).toBe(404);
  });

  it('imports 1,000 CSV rows with 10 bad ones: 990 imported, the 10 reported by row; a second run skips them', async () => {
    const list = await createList({ key: 'imported' });
    const existing = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/profiles`,
      payload: { email: 'row-7@example.com' },
    });
    const lines = ['email,first_name,city'];
    const bad = new Set([3, 50, 101, 250, 333, 480, 512, 777, 901, 1000]);
    for (let i = 1; i <= 1000; i++)
      lines.push(
        bad.has(i)
          ? i % 2
            ? `not-an-email-${i},X,Y`
            : `,Nobody,Nowhere`
          : `Row-${i}@Example.com,Name ${i},"City, ${i}"`,
      );
    const res = await call(t.app, owner, {
      method: 'POST',
      url: lists(`/${list.id}/profiles/import`),
      payload: { csv: lines.join('\n'), field_mappings: { first_name: 'first_name', city: 'town' } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 990, created: 989, skipped: 0 });
    expect(res.body.errors.map((e: { row: number }) => e.row)).toEqual([...bad].sort((a, b) => a - b));
    expect(res.body.errors[0]).toEqual({ row: 3, reason: 'invalid_email', field: 'email' });
    expect(res.body.errors.find((e: { row: number }) => e.row === 50)).toMatchObject({
      reason: 'email_required',
    });

    const member = await call(t.app, owner, {
      url: lists(`/${list.id}/members?profile_id=${existing.body.id}`),
    });
    expect(member.body.items[0].membership).toMatchObject({
      source: 'import',
      status: 'active',
      fields: { first_name: 'Name 7', town: 'City, 7' },
    });
    expect((await call(t.app, owner, { url: lists(`/${list.id}`) })).body.member_count).toBe(990);

    const again = await call(t.app, owner, {
      method: 'POST',
      url: lists(`/${list.id}/profiles/import`),
      payload: {
        rows: [
          { email: 'row-1@example.com' },
          { email: 'ROW-1@example.com' },
          { email: 'fresh@example.com', fields: { a: 1 } },
        ],
      },
    });
    expect(again.body).toEqual({ imported: 1, created: 1, skipped: 2, errors: [] });
    const broken = await call(t.app, owner, {
      method: 'POST',
      url: lists(`/${list.id}/profiles/import`),
      payload: { csv: 'mail,x\na@b.co,1' },
    });
    expect(broken.body.details).toMatchObject({ field: 'email_column', reason: 'not_found' });
    const unclosed = await call(t.app, owner, {
      method: 'POST',
      url: lists(`/${list.id}/profiles/import`),
      payload: { csv: 'email\n"a@b.co' },
    });
    expect(unclosed.body.details).toMatchObject({ field: 'csv', reason: 'invalid_csv' });
  });
});
