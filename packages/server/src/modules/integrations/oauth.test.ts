import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, createStore, registerAccount, type Caller } from '../../../test/fixtures.ts';
import { OAuthStandIn } from '../../../test/oauth-standin.ts';
import { unseal } from '../../lib/sealed.ts';

let t: TestApp;
let google: OAuthStandIn;
const REDIRECT = 'https://shop.example.com/oauth/callback';

beforeAll(async () => {
  google = await new OAuthStandIn().start();
  google.clients.set('client-123.apps.googleusercontent.com', 'GOCSPX-store-secret');
  google.clients.set('server-client', 'GOCSPX-server-secret');
  t = await createTestApp({
    env: {
      GOOGLE_OAUTH_TOKEN_URL: `${google.url}/token`,
      GOOGLE_OAUTH_REVOKE_URL: `${google.url}/revoke`,
      GOOGLE_CLIENT_ID: 'server-client',
      GOOGLE_CLIENT_SECRET: 'GOCSPX-server-secret',
    },
  });
});
afterAll(async () => {
  await t?.close();
  await google?.stop();
});

async function setup(): Promise<{ owner: Caller; storeId: string }> {
  const owner = await registerAccount(t.app);
  return { owner, storeId: await createStore(t.app, owner) };
}

async function secretsOf(id: string): Promise<Record<string, string>> {
  const row = await t.app.deps.db.db
    .selectFrom('integrations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.secrets_sealed ? JSON.parse(unseal(t.config, row.secrets_sealed)) : {};
}

describe('oauth', () => {
  it('exchanges the code with the store’s client credentials and stores the tokens sealed', async () => {
    const { owner, storeId } = await setup();
    const created = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/integrations`,
      payload: {
        key: 'google-workspace',
        provider: {
          type: 'google',
          client_id: 'client-123.apps.googleusercontent.com',
          client_secret: 'GOCSPX-store-secret',
          scopes: ['openid', 'email'],
        },
      },
    });
    expect(created.status).toBe(201);
    const code = google.issueCode('client-123.apps.googleusercontent.com', REDIRECT, 'shop@example.com');
    const res = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/oauth/connect`,
      payload: { store_id: storeId, provider: 'google', code, redirect_uri: REDIRECT },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.body.id,
      key: 'google-workspace',
      category: 'oauth',
      provider: {
        type: 'google',
        client_id: 'client-123.apps.googleusercontent.com',
        scopes: ['openid', 'email', 'https://www.googleapis.com/auth/calendar'],
        account_email: 'shop@example.com',
        connected_at: expect.any(Number),
        token_expires_at: expect.any(Number),
      },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/ya29|1\/\/|GOCSPX/);
    const secrets = await secretsOf(created.body.id);
    expect(secrets).toMatchObject({
      client_secret: 'GOCSPX-store-secret',
      access_token: expect.stringMatching(/^ya29\./),
      refresh_token: expect.stringMatching(/^1\/\//),
    });
    const row = await t.app.deps.db.db
      .selectFrom('integrations')
      .selectAll()
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secrets.access_token!);

    // Codes are single-use: Google answers invalid_grant → 502 provider_error, tokens untouched.
    const again = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/oauth/connect`,
      payload: { provider: 'google', code, redirect_uri: REDIRECT },
    });
    expect(again.status).toBe(502);
    expect(again.body).toMatchObject({
      error: 'provider_error',
      details: { provider: 'google', reason: 'invalid_grant' },
    });
    expect((await secretsOf(created.body.id)).access_token).toBe(secrets.access_token);

    const out = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/oauth/disconnect`,
      payload: { storeId, provider: 'GOOGLE' },
    });
    expect(out.body).toEqual({ disconnected: true });
    expect(google.revoked).toContain(secrets.refresh_token);
    expect(await secretsOf(created.body.id)).toEqual({ client_secret: 'GOCSPX-store-secret' });
    const after = (await call(t.app, owner, { url: `/v1/stores/${storeId}/integrations/${created.body.id}` }))
      .body;
    expect(after.provider).toEqual({
      type: 'google',
      client_id: 'client-123.apps.googleusercontent.com',
      scopes: ['openid', 'email', 'https://www.googleapis.com/auth/calendar'],
    });
  });

  it('creates the google integration from server credentials when the store has none', async () => {
    const { owner, storeId } = await setup();
    const code = google.issueCode('server-client', REDIRECT);
    const res = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/oauth/connect`,
      payload: { provider: 'google', code, redirect_uri: REDIRECT },
    });
    expect(res.body).toMatchObject({
      key: 'google',
      category: 'oauth',
      provider: { type: 'google', account_email: 'owner@example.com' },
    });
    const secrets = await secretsOf(res.body.id);
    expect(Object.keys(secrets).sort()).toEqual(['access_token', 'refresh_token']); // the server's client secret is not copied
  });

  it('refuses other providers, a missing code and a wrong redirect URI', async () => {
    const { owner, storeId } = await setup();
    const post = (payload: object) =>
      call(t.app, owner, { method: 'POST', url: `/v1/stores/${storeId}/oauth/connect`, payload });
    expect((await post({ provider: 'github', code: 'c', redirect_uri: REDIRECT })).body).toMatchObject({
      error: 'validation_error',
      details: { field: 'provider' },
    });
    expect((await post({ provider: 'google', redirect_uri: REDIRECT })).body.details).toMatchObject({
      field: 'code',
      reason: 'required',
    });
    const code = google.issueCode('server-client', REDIRECT);
    const wrong = await post({ provider: 'google', code, redirect_uri: 'https://evil.example.com/cb' });
    expect(wrong).toMatchObject({ status: 502, body: { error: 'provider_error' } });
    expect((await call(t.app, owner, { url: `/v1/stores/${storeId}/integrations` })).body).toEqual([]);
    expect(
      (
        await call(t.app, null, {
          method: 'POST',
          url: `/v1/stores/${storeId}/oauth/disconnect`,
          payload: { provider: 'google' },
        })
      ).status,
    ).toBe(401);
  });
});
