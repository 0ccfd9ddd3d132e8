import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers.ts';
import { call } from '../../test/fixtures.ts';
import { DEMO_EMAIL, demoSteps, seedDemo, type DemoStep } from './demo.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { SEED_DEMO: 'true' } });
});
afterAll(async () => t?.close());

describe('demo seed', () => {
  it('rolls back every step when one fails', async () => {
    const failing: DemoStep = {
      name: 'broken',
      run: async () => {
        throw new Error('step failed');
      },
    };
    demoSteps.push(failing);
    try {
      await expect(seedDemo(t.app)).rejects.toThrow('step failed');
    } finally {
      demoSteps.splice(demoSteps.indexOf(failing), 1);
    }
    expect(await t.app.deps.db.db.selectFrom('stores').select('id').execute()).toEqual([]);
    expect(
      await t.app.deps.db.db.selectFrom('accounts').select('id').where('email', '=', DEMO_EMAIL).execute(),
    ).toEqual([]);
  });

  it('creates an owner, a store and an API key on an empty database, once', async () => {
    const ran: string[] = [];
    const step: DemoStep = {
      name: 'probe',
      run: async ({ store }) => void ran.push(`${store.store.role}:${store.store.id}`),
    };
    demoSteps.push(step);
    const info = await seedDemo(t.app).finally(() => demoSteps.splice(demoSteps.indexOf(step), 1));
    expect(info).toMatchObject({
      storeKey: 'demo',
      email: DEMO_EMAIL,
      password: expect.any(String),
      apiKey: expect.stringMatching(/^ak_/),
    });
    expect(ran).toEqual([`owner:${info!.storeId}`]);

    const login = await call(t.app, null, {
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: DEMO_EMAIL, password: info!.password },
    });
    expect(login.status).toBe(200);
    const store = await call(
      t.app,
      { headers: { 'x-api-key': info!.apiKey } },
      { url: `/v1/stores/${info!.storeId}` },
    );
    expect(store.body).toMatchObject({
      key: 'demo',
      timezone: 'UTC',
      languages: [{ id: 'en' }, { id: 'fr' }],
      counts: { members: 1, products: 3, nodes: 3, services: 1, providers: 2 },
    });
    const products = await call(t.app, null, { url: `/v1/storefront/${info!.storeId}/products` });
    expect(products.body.items).toHaveLength(3);
    const entry = await call(t.app, null, {
      url: `/v1/storefront/${info!.storeId}/nodes/${info!.storeId}:fr:bonjour-le-monde`,
    });
    expect(entry.status).toBe(200);
    expect(entry.body.key).toBe('hello-world');
    const haircut = await call(t.app, null, {
      url: `/v1/storefront/${info!.storeId}/services/${info!.storeId}:en:haircut`,
    });
    const now = Math.floor(Date.now() / 1000);
    const week = await call(t.app, null, {
      url: `/v1/storefront/${info!.storeId}/services/availability?service_id=${haircut.body.id}&from=${now}&to=${now + 7 * 86400}`,
    });
    expect(week.body.providers.map((p: { provider_key: string }) => p.provider_key)).toEqual(['alex', 'sam']);
    expect(week.body.providers[0].days.flatMap((d: { slots: unknown[] }) => d.slots).length).toBeGreaterThan(
      50,
    );
    const me = await call(t.app, { headers: { 'x-api-key': info!.apiKey } }, { url: '/v1/accounts/me' });
    expect(me.body.memberships).toEqual([
      expect.objectContaining({ store_id: info!.storeId, role: 'owner' }),
    ]);

    expect(await seedDemo(t.app)).toBeNull();
    expect(await t.app.deps.db.db.selectFrom('stores').select('id').execute()).toHaveLength(1);
  });

  it('never runs when SEED_DEMO is off', async () => {
    const off = await createTestApp();
    try {
      expect(off.config.seedDemo).toBe(false);
      expect(await seedDemo(off.app)).toBeNull();
      expect(await off.app.deps.db.db.selectFrom('stores').select('id').execute()).toEqual([]);
    } finally {
      await off.close();
    }
  });
});
