import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../server/test/helpers.ts';
import { unwrap, type ArkyClient } from '../src/index.ts';
import { liveServer, ownerClient } from './live-server.ts';

let t: TestApp;
let sdk: ArkyClient;
let storeId: string;

beforeAll(async () => {
  const live = await liveServer();
  t = live.t;
  ({ storeId, sdk } = await ownerClient(t, live.baseUrl));
});
afterAll(async () => t?.close());

describe('sdk.store.role against the real server', () => {
  it('lists built-ins, creates, updates, grants and deletes a custom role', async () => {
    const roles = unwrap(await sdk.store.role.list());
    expect(roles.map((r) => r.id).slice(0, 5)).toEqual(['owner', 'admin', 'member', 'viewer', 'super']);
    const role = unwrap(
      await sdk.store.role.create({
        name: 'Editors',
        permissions: [{ action: 'write', resource: '/stores/{storeId}/products' }],
      }),
    );
    expect(role).toMatchObject({ store_id: storeId, built_in: false });
    expect(unwrap(await sdk.store.role.update({ id: role.id, name: 'Product editors' })).name).toBe(
      'Product editors',
    );
    expect(
      unwrap(
        await sdk.store.addMember({
          email: `editor-${Date.now()}@example.com`,
          role: role.id as `role_${string}`,
        }),
      ),
    ).toBe(true);
    const busy = await sdk.store.role.delete({ id: role.id });
    expect(busy.ok ? null : busy.val.error).toBe('in_use');
    const tmp = unwrap(
      await sdk.store.role.create({
        name: 'Tmp',
        permissions: [{ action: 'read', resource: '/stores/{storeId}/*' }],
      }),
    );
    expect(unwrap(await sdk.store.role.delete({ id: tmp.id }))).toEqual({ deleted: true });
    expect(unwrap(await sdk.store.role.get({ id: 'viewer' })).built_in).toBe(true);
  });
});
