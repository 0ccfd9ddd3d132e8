import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import {
  call,
  createApiKey,
  createStore,
  registerAccount,
  uniqueEmail,
  type Caller,
} from '../../../test/fixtures.ts';

let t: TestApp;
const clock = 1_900_000_000;
let owner: Caller;
let storeId: string;
let otherStoreId: string;

beforeAll(async () => {
  t = await createTestApp({ build: { now: () => clock } });
  const account = await registerAccount(t.app);
  storeId = await createStore(t.app, account, 'shop-customers');
  otherStoreId = await createStore(t.app, account, 'shop-elsewhere');
  owner = await createApiKey(t.app, account);
});
afterAll(async () => t?.close());

const profiles = (path = '', store = storeId) => `/v1/stores/${store}/profiles${path}`;
const bearer = (token: string): Caller => ({ headers: { authorization: `Bearer ${token}` } });

async function guest(): Promise<Caller & { profileId: string; tokenId: string }> {
  const res = await call(t.app, null, {
    method: 'POST',
    url: `/v1/storefront/${storeId}/profiles/identify`,
    payload: {},
  });
  return { ...bearer(res.body.token.token), profileId: res.body.profile.id, tokenId: res.body.token.id };
}

describe('admin customer profiles', () => {
  it('creates a profile (an active email only once), finds by email, query and status', async () => {
    const email = uniqueEmail('Phone.Order');
    const created = await call(t.app, owner, {
      method: 'POST',
      url: profiles(),
      payload: { email, taxonomies: [{ id: 'vip' }] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      store_id: storeId,
      email: email.toLowerCase(),
      verified: false,
      status: 'active',
      taxonomies: [{ id: 'vip' }],
      auth_tokens: [],
    });
    expect(created.body.id).toMatch(/^prof_/);
    const dup = await call(t.app, owner, {
      method: 'POST',
      url: profiles(),
      payload: { email: email.toUpperCase() },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.details).toMatchObject({ field: 'email' });
    // Emails are per store.
    expect(
      (await call(t.app, owner, { method: 'POST', url: profiles('', otherStoreId), payload: { email } }))
        .status,
    ).toBe(201);
    expect(
      (await call(t.app, owner, { method: 'POST', url: profiles(), payload: { email: 'nope' } })).body
        .details,
    ).toMatchObject({ field: 'email' });

    expect(
      (
        await call(t.app, owner, { url: profiles(`?email=${encodeURIComponent(email.toUpperCase())}`) })
      ).body.items.map((p: { id: string }) => p.id),
    ).toEqual([created.body.id]);
    expect(
      (await call(t.app, owner, { url: profiles(`?query=phone.order`) })).body.items.map(
        (p: { id: string }) => p.id,
      ),
    ).toEqual([created.body.id]);
    await call(t.app, owner, {
      method: 'PUT',
      url: profiles(`/${created.body.id}`),
      payload: { status: 'archived' },
    });
    expect(
      (await call(t.app, owner, { url: profiles(`?status=archived`) })).body.items.map(
        (p: { id: string }) => p.id,
      ),
    ).toEqual([created.body.id]);
    // Archived, the email is free again.
    expect((await call(t.app, owner, { method: 'POST', url: profiles(), payload: { email } })).status).toBe(
      201,
    );
    expect((await call(t.app, owner, { url: profiles(`/${created.body.id}`, otherStoreId) })).status).toBe(
      404,
    );
  });

  it('merges a guest with a cart, a submission and a membership into a profile; the guest is archived and signed out', async () => {
    const target = (
      await call(t.app, owner, { method: 'POST', url: profiles(), payload: { email: uniqueEmail('target') } })
    ).body;
    const g = await guest();
    const cart = await call(t.app, g, {
      method: 'POST',
      url: `/v1/storefront/${storeId}/carts/current`,
      payload: {},
    });
    expect(cart.status).toBeLessThan(300);
    const form = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/forms`,
      payload: { key: `merge-${clock}`, schema: [{ key: 'note', type: 'text' }] },
    });
    const sub = await call(t.app, g, {
      method: 'POST',
      url: `/v1/storefront/${storeId}/forms/${form.body.id}/submissions`,
      payload: { fields: [{ key: 'note', value: 'hi' }] },
    });
    expect(sub.status).toBe(201);
    const both = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/profile-lists`,
      payload: { key: `both-${clock}` },
    });
    const onlyGuest = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/profile-lists`,
      payload: { key: `guest-${clock}` },
    });
    await call(t.app, g, {
      method: 'POST',
      url: `/v1/storefront/${storeId}/profile-lists/${both.body.id}/subscribe`,
      payload: {},
    });
    await call(t.app, g, {
      method: 'POST',
      url: `/v1/storefront/${storeId}/profile-lists/${onlyGuest.body.id}/subscribe`,
      payload: {},
    });
    await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/profile-lists/${both.body.id}/members/${target.id}`,
      payload: {},
    });
    await call(t.app, owner, {
      method: 'PATCH',
      url: `/v1/stores/${storeId}/profile-lists/${both.body.id}/members/${target.id}`,
      payload: { status: 'cancelled' },
    });

    const before = await call(t.app, owner, { url: profiles(`/${g.profileId}`) });
    expect(before.body).toMatchObject({
      id: g.profileId,
      carts: [{ id: cart.body.id }],
      form_submissions: [{ id: sub.body.id }],
      orders: [],
    });
    expect(before.body.memberships).toHaveLength(2);

    expect(
      (
        await call(t.app, owner, {
          method: 'POST',
          url: profiles(`/${target.id}/merge`),
          payload: { source_id: target.id },
        })
      ).body.details,
    ).toMatchObject({ field: 'source_id', reason: 'same_profile' });
    expect(
      (
        await call(t.app, owner, {
          method: 'POST',
          url: profiles(`/${target.id}/merge`),
          payload: { source_id: 'prof_missing' },
        })
      ).body.details,
    ).toMatchObject({ field: 'source_id', reason: 'not_found' });
    const merged = await call(t.app, owner, {
      method: 'POST',
      url: profiles(`/${target.id}/merge`),
      payload: { source_id: g.profileId },
    });
    expect(merged.status).toBe(200);
    expect(merged.body.carts.map((c: { id: string }) => c.id)).toEqual([cart.body.id]);
    expect(
      merged.body.form_submissions.map((s: { id: string; profile_id: string }) => [s.id, s.profile_id]),
    ).toEqual([[sub.body.id, target.id]]);
    // Both were members of `both`: the guest's active membership beats the target's cancelled one.
    expect(
      merged.body.memberships
        .map((m: { profile_list_id: string; status: string }) => [m.profile_list_id, m.status])
        .sort(),
    ).toEqual(
      [
        [both.body.id, 'active'],
        [onlyGuest.body.id, 'active'],
      ].sort(),
    );
    const source = await call(t.app, owner, { url: profiles(`/${g.profileId}`) });
    expect(source.body).toMatchObject({
      status: 'archived',
      carts: [],
      form_submissions: [],
      memberships: [],
      auth_tokens: [],
    });
    expect((await call(t.app, g, { url: `/v1/storefront/${storeId}/profiles/me` })).status).toBe(401);
  });

  it('updates email (409 when taken, unverified when changed) and revokes one or every session', async () => {
    const taken = uniqueEmail('taken');
    await call(t.app, owner, { method: 'POST', url: profiles(), payload: { email: taken } });
    const g = await guest();
    const clash = await call(t.app, owner, {
      method: 'PUT',
      url: profiles(`/${g.profileId}`),
      payload: { email: taken },
    });
    expect(clash.status).toBe(409);
    const updated = await call(t.app, owner, {
      method: 'PUT',
      url: profiles(`/${g.profileId}`),
      payload: { email: uniqueEmail('new'), taxonomies: ['a'] },
    });
    expect(updated.body).toMatchObject({
      verified: false,
      taxonomies: ['a'],
      auth_tokens: [{ id: g.tokenId }],
    });

    expect(
      (await call(t.app, owner, { method: 'DELETE', url: profiles(`/${g.profileId}/sessions/tok_missing`) }))
        .status,
    ).toBe(404);
    const one = await call(t.app, owner, {
      method: 'DELETE',
      url: profiles(`/${g.profileId}/sessions/${g.tokenId}`),
    });
    expect(one.body).toEqual({ deleted: true, revoked: 1 });
    expect((await call(t.app, g, { url: `/v1/storefront/${storeId}/profiles/me` })).status).toBe(401);
    const all = await call(t.app, owner, { method: 'DELETE', url: profiles(`/${g.profileId}/sessions`) });
    expect(all.body).toEqual({ deleted: true, revoked: 0 });
  });
});
