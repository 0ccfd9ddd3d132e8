/**
 * Roles and permissions (CONTRACT §1.7 v1.1): every admin route under `/v1/stores/:storeId` has
 * an entry in `ROUTE_PERMISSIONS` (collected from the app itself, so a new route without one
 * fails here), and the built-in and custom roles are held to those entries on every route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_PERMISSIONS } from '../src/modules/tenancy/index.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { call, createStore, registerAccount, type Caller } from './fixtures.ts';

let t: TestApp;
const routes = new Set<string>();
let owner: Caller;
let storeId: string;

beforeAll(async () => {
  t = await createTestApp({
    build: {
      onRoute: (r) => {
        for (const m of Array.isArray(r.method) ? r.method : [r.method]) {
          if (m !== 'HEAD' && r.url.startsWith('/v1/stores/:storeId')) routes.add(`${m} ${r.url}`);
        }
      },
    },
  });
  owner = await registerAccount(t.app);
  storeId = await createStore(t.app, owner);
});
afterAll(async () => t?.close());

async function memberWith(role: string): Promise<Caller> {
  const account = await registerAccount(t.app);
  const res = await call(t.app, owner, {
    method: 'POST',
    url: `/v1/stores/${storeId}/members`,
    payload: { email: account.email, role },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return account;
}

function urlOf(route: string): { method: string; url: string } {
  const [method, path] = route.split(' ') as [string, string];
  return { method, url: path.replace(':storeId', storeId).replace(/:[A-Za-z]+/g, 'x_missing') };
}

/** Calls every admin route as `caller`; returns the routes answered 403 (checking `details.required`). */
async function refusedRoutes(caller: Caller): Promise<string[]> {
  const refused: string[] = [];
  for (const [route, needed] of Object.entries(ROUTE_PERMISSIONS)) {
    if (needed === 'public') continue;
    const { method, url } = urlOf(route);
    // Quote and checkout also serve profile tokens, so they check the role after body validation.
    const payload =
      route.endsWith('/orders/quote') || route.endsWith('/orders/checkout')
        ? { items: [{ variant_id: 'var_x', quantity: 1 }] }
        : {};
    const res = await call(t.app, caller, {
      method: method as 'GET',
      url,
      ...(method === 'GET' || method === 'DELETE' ? {} : { payload }),
    });
    if (res.status === 403) {
      expect(res.body.details?.required, route).toBe(`${needed[1]}:/stores/${storeId}/${needed[0]}`);
      refused.push(route);
    }
  }
  return refused.sort();
}

const entries = () =>
  Object.entries(ROUTE_PERMISSIONS).filter(([, p]) => p !== 'public') as [
    string,
    readonly [string, string],
  ][];

describe('route permission table', () => {
  it('has exactly one entry for every route under /v1/stores/:storeId', () => {
    const missing = [...routes].filter((r) => !(r in ROUTE_PERMISSIONS));
    expect(missing).toEqual([]);
    const stale = Object.keys(ROUTE_PERMISSIONS).filter((r) => !routes.has(r));
    expect(stale).toEqual([]);
  });

  it('viewer reads everything and is refused every write', async () => {
    const viewer = await memberWith('viewer');
    const writes = entries()
      .filter(([, [, action]]) => action !== 'read')
      .map(([r]) => r)
      .sort();
    expect(await refusedRoutes(viewer)).toEqual(writes);
  });

  it('member may write orders, carts and reservations, but not products or anything else', async () => {
    const member = await memberWith('MEMBER');
    const expected = entries()
      .filter(
        ([, [collection, action]]) =>
          action !== 'read' && !['orders', 'carts', 'reservations'].includes(collection),
      )
      .map(([r]) => r)
      .sort();
    const refused = await refusedRoutes(member);
    expect(refused).toEqual(expected);
    expect(refused).toContain('POST /v1/stores/:storeId/products');
    expect(refused).not.toContain('POST /v1/stores/:storeId/orders/checkout');
  });

  it('a custom role with write:/stores/{id}/products creates a product and nothing else', async () => {
    const created = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/roles`,
      payload: {
        name: 'Catalogue editor',
        permissions: [{ action: 'write', resource: `/stores/${storeId}/products` }],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^role_/),
      built_in: false,
      permissions: [{ action: 'write', resource: '/stores/{storeId}/products' }],
    });
    const editor = await memberWith(created.body.id);
    const product = await call(t.app, editor, {
      method: 'POST',
      url: `/v1/stores/${storeId}/products`,
      payload: { key: 'made-by-editor', variants: [{ prices: [{ market: 'us', amount: 100 }] }] },
    });
    expect(product.status, JSON.stringify(product.body)).toBe(201);
    const expected = entries()
      .filter(([, [collection]]) => collection !== 'products')
      .map(([r]) => r)
      .sort();
    expect(await refusedRoutes(editor)).toEqual(expected);
    // User.permissions lists the role's strings.
    const me = await call(t.app, editor, { url: '/v1/accounts/me' });
    expect(me.body.permissions).toEqual([`write:/stores/${storeId}/products`]);
    expect(me.body.memberships).toMatchObject([{ store_id: storeId, role: created.body.id }]);
  });
});

describe('roles CRUD', () => {
  it('lists built-in and custom roles; built-ins are read-only; a role in use cannot be deleted', async () => {
    const list = await call(t.app, owner, { url: `/v1/stores/${storeId}/roles` });
    expect(list.status).toBe(200);
    expect(list.body.slice(0, 5).map((r: { id: string }) => r.id)).toEqual([
      'owner',
      'admin',
      'member',
      'viewer',
      'super',
    ]);
    expect(
      (
        await call(t.app, owner, {
          method: 'PUT',
          url: `/v1/stores/${storeId}/roles/admin`,
          payload: { name: 'x' },
        })
      ).body,
    ).toMatchObject({ error: 'in_use' });
    expect(
      (await call(t.app, owner, { method: 'DELETE', url: `/v1/stores/${storeId}/roles/viewer` })).body,
    ).toMatchObject({ error: 'in_use' });
    const bad = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/roles`,
      payload: { name: 'bad', permissions: [{ action: 'read', resource: '/stores/store_other/products' }] },
    });
    expect(bad.body).toMatchObject({
      error: 'validation_error',
      details: { field: 'permissions.0.resource' },
    });
    const role = (
      await call(t.app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/roles`,
        payload: { name: 'Readers', permissions: [{ action: 'read', resource: '/stores/{storeId}/*' }] },
      })
    ).body;
    const renamed = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}/roles/${role.id}`,
      payload: { name: 'All readers' },
    });
    expect(renamed.body).toMatchObject({ id: role.id, name: 'All readers' });
    await memberWith(role.id);
    expect(
      (await call(t.app, owner, { method: 'DELETE', url: `/v1/stores/${storeId}/roles/${role.id}` })).body,
    ).toMatchObject({ error: 'in_use' });
    const unused = (
      await call(t.app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/roles`,
        payload: { name: 'Tmp', permissions: [{ action: 'read', resource: `/stores/${storeId}/orders` }] },
      })
    ).body;
    expect(
      (await call(t.app, owner, { method: 'DELETE', url: `/v1/stores/${storeId}/roles/${unused.id}` })).body,
    ).toEqual({ deleted: true });
    expect((await call(t.app, owner, { url: `/v1/stores/${storeId}/roles/${unused.id}` })).status).toBe(404);
  });

  it('a caller grants only what it holds: an admin cannot create a role with admin actions or grant owner', async () => {
    const admin = await memberWith('admin');
    const res = await call(t.app, admin, {
      method: 'POST',
      url: `/v1/stores/${storeId}/roles`,
      payload: { name: 'Boss', permissions: [{ action: 'admin', resource: '/stores/{storeId}' }] },
    });
    expect(res.status).toBe(403);
    const other = await registerAccount(t.app);
    const grant = await call(t.app, admin, {
      method: 'POST',
      url: `/v1/stores/${storeId}/members`,
      payload: { email: other.email, role: 'owner' },
    });
    expect(grant.status).toBe(403);
    const unknown = await call(t.app, admin, {
      method: 'POST',
      url: `/v1/stores/${storeId}/members`,
      payload: { email: other.email, role: 'role_nope' },
    });
    expect(unknown.body).toMatchObject({ error: 'validation_error', details: { field: 'role' } });
  });
});
