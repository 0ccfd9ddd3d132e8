import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, createApiKey, createStore, registerAccount, uniqueEmail } from '../../../test/fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('stores', () => {
  it('creates a store with the caller as owner and two default markets', async () => {
    const owner = await registerAccount(t.app);
    const res = await call(t.app, owner, {
      method: 'POST',
      url: '/v1/stores',
      payload: {
        key: 'my-store',
        timezone: 'America/New_York',
        billing_email: 'Billing@Example.com',
        languages: [
          { code: 'fr', isDefault: false },
          { code: 'en', isDefault: true },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      key: 'my-store',
      timezone: 'America/New_York',
      languages: [{ id: 'en' }, { id: 'fr' }],
      emails: { billing: 'billing@example.com', support: 'billing@example.com' },
      status: 'active',
      is_network: false,
      settings: {},
      subscription: null,
    });
    expect(res.body.counts).toMatchObject({ members: 1, products: 0 });
    const markets = await t.app.deps.db.db
      .selectFrom('markets')
      .selectAll()
      .where('store_id', '=', res.body.id)
      .orderBy('position')
      .execute();
    expect(markets.map((m) => [m.key, m.currency, m.tax_mode])).toEqual([
      ['us', 'USD', 'exclusive'],
      ['eu', 'EUR', 'inclusive'],
    ]);
    const me = await call(t.app, owner, { url: '/v1/accounts/me' });
    expect(me.body.memberships).toEqual([
      expect.objectContaining({ store_id: res.body.id, role: 'owner', invitation_token: null }),
    ]);
    expect(me.body.permissions).toEqual([`admin:/stores/${res.body.id}`]); // CONTRACT §1.7 v1.1: <action>:/stores/<id>
  });

  it('rejects bad input with the field', async () => {
    const owner = await registerAccount(t.app);
    const bad = async (payload: object) =>
      (await call(t.app, owner, { method: 'POST', url: '/v1/stores', payload })).body;
    const base = { key: 'valid-key', timezone: 'Europe/Paris', billing_email: 'a@b.co' };
    expect((await bad({ ...base, key: 'ab' })).details).toMatchObject({ field: 'key', reason: 'min_length' });
    expect((await bad({ ...base, key: 'Not A Slug' })).details).toMatchObject({
      field: 'key',
      reason: 'pattern',
    });
    expect((await bad({ ...base, timezone: 'Mars/Olympus' })).details).toMatchObject({ field: 'timezone' });
    expect((await bad({ ...base, billing_email: 'nope' })).details).toMatchObject({
      field: 'billing_email',
      reason: 'format',
    });
    await createStore(t.app, owner, 'taken-key');
    const dup = await call(t.app, owner, {
      method: 'POST',
      url: '/v1/stores',
      payload: { ...base, key: 'taken-key' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ error: 'already_exists', details: { field: 'key' } });
  });

  it('lists only the caller’s stores, with filters and cursor pages', async () => {
    const owner = await registerAccount(t.app);
    const other = await registerAccount(t.app);
    const ids = [];
    for (let i = 0; i < 5; i++)
      ids.push(await createStore(t.app, owner, `list-${i}-${owner.accountId!.slice(-5).toLowerCase()}`));
    await createStore(t.app, other);
    const first = await call(t.app, owner, { url: '/v1/stores?limit=2' });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.has_more).toBe(true);
    const seen = [...first.body.items];
    let cursor = first.body.cursor;
    while (cursor) {
      const page = await call(t.app, owner, {
        url: `/v1/stores?limit=2&cursor=${encodeURIComponent(cursor)}`,
      });
      seen.push(...page.body.items);
      cursor = page.body.cursor;
      expect(cursor === null).toBe(!page.body.has_more);
    }
    expect(seen.map((s) => s.id).sort()).toEqual([...ids].sort());
    const q = await call(t.app, owner, { url: '/v1/stores?query=LIST-3&status=ACTIVE&isNetwork=false' });
    expect(q.body.items).toHaveLength(1);
  });

  it('updates partially and guards status and is_network by role', async () => {
    const owner = await registerAccount(t.app);
    const storeId = await createStore(t.app, owner);
    const res = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { settings: { theme: 'dark' }, emails: { support: 'help@example.com' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.settings).toEqual({ theme: 'dark' });
    expect(res.body.emails).toEqual({ billing: 'billing@example.com', support: 'help@example.com' });
    const net = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { is_network: true },
    });
    expect(net.status).toBe(403);
    const admin = await registerAccount(t.app);
    await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/members`,
      payload: { email: admin.email },
    });
    const status = await call(t.app, admin, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { status: 'archived' },
    });
    expect(status.status).toBe(403);
    const del = await call(t.app, admin, { method: 'DELETE', url: `/v1/stores/${storeId}` });
    expect(del.status).toBe(403);
  });
});

describe('members', () => {
  it('adds at once, creates unknown accounts, enforces grant rules and the last owner', async () => {
    const owner = await registerAccount(t.app);
    const storeId = await createStore(t.app, owner);
    const email = uniqueEmail('New.Member').toUpperCase();
    const add = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/members`,
      payload: { email, role: 'ADMIN' },
    });
    expect(add.status).toBe(200);
    expect(add.body).toBe(true);
    const created = await t.app.deps.db.db
      .selectFrom('accounts')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirstOrThrow();
    const admin = await registerAccount(t.app);
    await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/members`,
      payload: { email: admin.email },
    });
    const grantOwner = await call(t.app, admin, {
      method: 'POST',
      url: `/v1/stores/${storeId}/members`,
      payload: { email: uniqueEmail(), role: 'owner' },
    });
    expect(grantOwner.status).toBe(403);
    const grantSuper = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/members`,
      payload: { email: uniqueEmail(), role: 'super' },
    });
    expect(grantSuper.status).toBe(403);
    const removeOwner = await call(t.app, owner, {
      method: 'DELETE',
      url: `/v1/stores/${storeId}/members/${owner.accountId}`,
    });
    expect(removeOwner.status).toBe(409);
    expect(removeOwner.body).toMatchObject({ error: 'in_use', details: { reason: 'last_owner' } });
    const removed = await call(t.app, owner, {
      method: 'DELETE',
      url: `/v1/stores/${storeId}/members/${created.id}`,
    });
    expect(removed.body).toEqual({ removed: true });
    const members = await call(t.app, owner, { url: `/v1/accounts/search?store_id=${storeId}` });
    expect(members.body.items.map((a: { email: string }) => a.email).sort()).toEqual(
      [admin.email, owner.email].sort(),
    );
    const events = await t.app.deps.db.db
      .selectFrom('outbox_events')
      .select('type')
      .where('store_id', '=', storeId)
      .where('type', '=', 'account.updated')
      .execute();
    expect(events.length).toBe(3);
  });
});

describe('subscriptions', () => {
  it('lists plans, activates the free plan and refuses paid plans without billing', async () => {
    const owner = await registerAccount(t.app);
    const storeId = await createStore(t.app, owner);
    const plans = await call(t.app, owner, { url: '/v1/stores/plans' });
    expect(plans.body.map((p: { id: string }) => p.id)).toEqual(['plan_free', 'plan_pro']);
    expect(plans.body[1]).toMatchObject({ amount: 2900, price: 2900 });
    const urls = { success_url: 'https://example.com/ok', cancel_url: 'https://example.com/cancel' };
    const free = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}/subscribe`,
      payload: { plan_id: 'plan_free', ...urls },
    });
    expect(free.body).toMatchObject({
      url: null,
      checkout_url: null,
      subscription: { plan_id: 'plan_free', status: 'active' },
    });
    const paid = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}/subscribe`,
      payload: { plan_id: 'plan_pro', ...urls },
    });
    expect(paid.status).toBe(400);
    expect(paid.body.error).toBe('billing_disabled');
    const store = await call(t.app, owner, { url: `/v1/stores/${storeId}` });
    expect(store.body.subscription.plan_id).toBe('plan_free');
  });
});

describe('delete', () => {
  it('removes every row of the store in every table', async () => {
    const owner = await registerAccount(t.app);
    const storeId = await createStore(t.app, owner);
    await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/members`,
      payload: { email: uniqueEmail() },
    });
    const key = await createApiKey(t.app, owner);
    expect((await call(t.app, key, { url: `/v1/stores/${storeId}` })).status).toBe(200);
    const db = t.app.deps.db.db;
    const tables = await db.introspection.getTables();
    const storeTables = tables.filter(
      (tb) => tb.columns.some((c) => c.name === 'store_id') && tb.name !== 'outbox_events',
    );
    const count = async () => {
      let n = 0;
      for (const tb of storeTables) {
        const row = await db
          .selectFrom(tb.name as 'stores')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('store_id' as never, '=', storeId as never)
          .executeTakeFirstOrThrow();
        n += Number(row.n);
      }
      const s = await db
        .selectFrom('stores')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('id', '=', storeId)
        .executeTakeFirstOrThrow();
      return n + Number(s.n);
    };
    expect(await count()).toBeGreaterThan(3);
    const res = await call(t.app, owner, { method: 'DELETE', url: `/v1/stores/${storeId}` });
    expect(res.body).toEqual({ deleted: true });
    expect(await count()).toBe(0);
    expect((await call(t.app, owner, { url: `/v1/stores/${storeId}` })).status).toBe(404);
  });
});
