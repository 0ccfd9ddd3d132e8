import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, createStore, registerAccount } from '../../../test/fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('storefront store', () => {
  it('shows the public view of a store to anyone, without billing, subscription, counts or settings', async () => {
    const owner = await registerAccount(t.app);
    const storeId = await createStore(t.app, owner, 'public-face');
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { settings: { secret_flag: true }, emails: { support: 'help@example.com' } },
    });
    const res = await call(t.app, null, { url: `/v1/storefront/${storeId}` });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: storeId,
      key: 'public-face',
      timezone: 'Europe/Paris',
      languages: [{ id: 'en' }, { id: 'fr' }],
      emails: { support: 'help@example.com' },
      status: 'active',
      is_network: false,
      payment: null,
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
    });
    expect(JSON.stringify(res.body)).not.toContain('billing@example.com');
    // A guest token (no body at all on identify) reads the same view.
    const guest = await t.app.inject({ method: 'POST', url: `/v1/storefront/${storeId}/profiles/identify` });
    expect(guest.statusCode).toBe(200);
    const token = guest.json().token.token as string;
    expect(
      (
        await call(
          t.app,
          { headers: { authorization: `Bearer ${token}` } },
          { url: `/v1/storefront/${storeId}` },
        )
      ).body.key,
    ).toBe('public-face');
  });

  it('answers 404 for unknown and archived stores', async () => {
    expect((await call(t.app, null, { url: '/v1/storefront/store_nope' })).body).toMatchObject({
      error: 'not_found',
      details: { resource: 'store' },
    });
    const owner = await registerAccount(t.app);
    const storeId = await createStore(t.app, owner);
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { status: 'archived' },
    });
    expect((await call(t.app, null, { url: `/v1/storefront/${storeId}` })).status).toBe(404);
  });
});
