import { readFileSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINE, type TestApp } from '../../../test/helpers.ts';
import { call, createStore, registerAccount, type Caller } from '../../../test/fixtures.ts';
import { WebhookReceiver } from '../../../test/webhook-receiver.ts';
import { emit } from '../../lib/events.ts';
import { stripeCredentials } from './index.ts';

let t: TestApp;
let clock = Math.floor(Date.now() / 1000);
const SECRET = 'sk_live_TOPSECRET_4f9a8b7c6d5e';
const WH_SECRET = 'whsec_stripe_SIGNING_91ab';

beforeAll(async () => {
  t = await createTestApp({ build: { now: () => clock } });
});
afterAll(async () => t?.close());

async function setup(): Promise<{ owner: Caller; storeId: string }> {
  const owner = await registerAccount(t.app);
  return { owner, storeId: await createStore(t.app, owner) };
}

const stripe = {
  type: 'stripe',
  secret_key: SECRET,
  publishable_key: 'pk_live_abc',
  webhook_secret: WH_SECRET,
  currency: 'usd',
  activeForCardPayments: true,
};

describe('integrations', () => {
  it('serves the registry of every provider type with fields and category', async () => {
    const res = await call(t.app, null, { url: '/v1/platform/integration-services' });
    expect(res.status).toBe(200);
    const ids = res.body.map((s: { id: string }) => s.id);
    for (const type of [
      'stripe',
      'shippo',
      'google',
      'telegram_bot',
      'open_ai',
      'deep_seek',
      'resend',
      'send_grid',
      'slack',
      'discord',
      'whats_app',
      'vercel_deploy_hook',
      'netlify_deploy_hook',
      'cloudflare_deploy_hook',
      'custom_deploy_hook',
      'notion',
      'arky',
      'twilio',
      'jira',
      'woo_commerce',
      'zendesk',
      'salesforce',
      'shopify',
    ]) {
      expect(ids, type).toContain(type);
    }
    const s = res.body.find((x: { id: string }) => x.id === 'stripe');
    expect(s).toMatchObject({
      name: 'Stripe',
      category: 'payments',
      integration_category: 'payment',
      configuration_required: true,
      configurationRequired: true,
      url_patterns: [],
      urlPatterns: [],
      resources: [],
    });
    expect(s.fields).toEqual(
      expect.arrayContaining([
        { name: 'secret_key', required: true, write_only: true, type: 'string' },
        { name: 'currency', required: true, write_only: false, type: 'currency' },
      ]),
    );
  });

  it('creates a Stripe integration whose secrets are never readable back', async () => {
    const { owner, storeId } = await setup();
    const res = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/integrations`,
      payload: { key: 'stripe-payments', provider: stripe },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^int_/),
      store_id: storeId,
      key: 'stripe-payments',
      category: 'payment',
      provider: {
        type: 'stripe',
        publishable_key: 'pk_live_abc',
        currency: 'USD',
        active_for_card_payments: true,
      },
      created_at: clock,
      updated_at: clock,
    });
    const reads = [
      await call(t.app, owner, { url: `/v1/stores/${storeId}/integrations` }),
      await call(t.app, owner, { url: `/v1/stores/${storeId}/integrations/${res.body.id}` }),
      await call(t.app, owner, { url: `/v1/stores/${storeId}/integrations/config/payment` }),
      await call(t.app, null, { url: `/v1/storefront/${storeId}` }),
    ];
    for (const r of reads) {
      expect(JSON.stringify(r.body)).not.toContain('TOPSECRET');
      expect(JSON.stringify(r.body)).not.toContain('SIGNING');
    }
    expect(reads[2]!.body).toEqual({
      integration_id: res.body.id,
      key: 'stripe-payments',
      category: 'payment',
      provider: res.body.provider,
    });
    expect(reads[3]!.body.payment).toEqual({
      integration_id: res.body.id,
      type: 'stripe',
      publishable_key: 'pk_live_abc',
      currency: 'USD',
    });
    // Sealed at rest with the key id; the payments module can open it.
    const row = await t.app.deps.db.db
      .selectFrom('integrations')
      .selectAll()
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('TOPSECRET');
    expect(row.key_id).toBe(t.config.encryptionKeyId);
    expect(row.secrets_sealed).toMatch(new RegExp(`^v1\\.${t.config.encryptionKeyId}\\.`));
    expect(await stripeCredentials(t.app.deps.db.db, t.config, storeId)).toEqual({
      integration_id: res.body.id,
      secret_key: SECRET,
      webhook_secret: WH_SECRET,
      publishable_key: 'pk_live_abc',
      currency: 'USD',
    });
    if (ENGINE === 'sqlite') {
      await t.app.deps.db.db.selectFrom('integrations').selectAll().execute();
      const file = t.db.url!;
      for (const f of [file, `${file}-wal`])
        if (existsSync(f)) expect(readFileSync(f).includes(Buffer.from('TOPSECRET'))).toBe(false);
    }
  });

  it('merges same-type updates (secrets kept) and replaces the provider on a type change', async () => {
    const { owner, storeId } = await setup();
    const created = (
      await call(t.app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/integrations`,
        payload: { key: 'pay', provider: stripe },
      })
    ).body;
    const upd = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}/integrations/${created.id}`,
      payload: { provider: { type: 'stripe', publishable_key: 'pk_live_new', currency: 'EUR' } },
    });
    expect(upd.body.provider).toEqual({
      type: 'stripe',
      publishable_key: 'pk_live_new',
      currency: 'EUR',
      active_for_card_payments: true,
    });
    expect((await stripeCredentials(t.app.deps.db.db, t.config, storeId))?.secret_key).toBe(SECRET);
    const rotated = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}/integrations/${created.id}`,
      payload: { provider: { type: 'stripe', secret_key: 'sk_live_ROTATED' } },
    });
    expect(rotated.status).toBe(200);
    expect((await stripeCredentials(t.app.deps.db.db, t.config, storeId))?.secret_key).toBe(
      'sk_live_ROTATED',
    );
    const missing = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}/integrations/${created.id}`,
      payload: { provider: { type: 'shippo' } },
    });
    expect(missing.body).toMatchObject({
      error: 'validation_error',
      details: { field: 'provider.api_token', reason: 'required' },
    });
    const replaced = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}/integrations/${created.id}`,
      payload: {
        key: 'ship',
        provider: { type: 'shippo', api_token: 'shippo_live_x', active_for_fulfillment: true },
      },
    });
    expect(replaced.body).toMatchObject({
      key: 'ship',
      category: 'shipping',
      provider: { type: 'shippo', active_for_fulfillment: true },
    });
    expect(replaced.body.provider.api_token).toBeUndefined();
    expect(await stripeCredentials(t.app.deps.db.db, t.config, storeId)).toBeNull();
    expect(
      (await call(t.app, owner, { url: `/v1/stores/${storeId}/integrations/config/shipping` })).body,
    ).toMatchObject({ integration_id: created.id, category: 'shipping' });
    expect(
      (await call(t.app, owner, { url: `/v1/stores/${storeId}/integrations/config/payment` })).status,
    ).toBe(404);
    expect(
      (await call(t.app, owner, { url: `/v1/stores/${storeId}/integrations/config/analytics` })).body,
    ).toMatchObject({ error: 'not_found' });
    expect(
      (await call(t.app, owner, { url: `/v1/stores/${storeId}/integrations/config/email` })).body,
    ).toMatchObject({ error: 'validation_error', details: { field: 'type' } });
    expect(
      await call(t.app, owner, { method: 'DELETE', url: `/v1/stores/${storeId}/integrations/${created.id}` }),
    ).toMatchObject({ status: 200, body: { deleted: true } });
    expect((await call(t.app, owner, { url: `/v1/stores/${storeId}/integrations` })).body).toEqual([]);
  });

  it('picks the Stripe integration flagged for card payments', async () => {
    const { owner, storeId } = await setup();
    await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/integrations`,
      payload: { key: 'first', provider: { ...stripe, activeForCardPayments: false } },
    });
    const second = (
      await call(t.app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/integrations`,
        payload: { key: 'second', provider: { ...stripe, active_for_card_payments: true } },
      })
    ).body;
    expect(
      (await call(t.app, owner, { url: `/v1/stores/${storeId}/integrations/config/payment` })).body
        .integration_id,
    ).toBe(second.id);
  });

  it('validates per type without echoing values, and keeps keys unique', async () => {
    const { owner, storeId } = await setup();
    const post = (payload: object) =>
      call(t.app, owner, { method: 'POST', url: `/v1/stores/${storeId}/integrations`, payload });
    expect((await post({ key: 'x', provider: { type: 'carrier_pigeon' } })).body.details).toMatchObject({
      field: 'provider.type',
      reason: 'invalid_value',
    });
    const bad = await post({
      key: 'x',
      provider: { type: 'stripe', secret_key: 42, currency: 'NOPE_TOPSECRET' },
    });
    expect(
      bad.body.details.errors.map(({ field, reason }: { field: string; reason: string }) => ({
        field,
        reason,
      })),
    ).toEqual([
      { field: 'provider.secret_key', reason: 'type' },
      { field: 'provider.publishable_key', reason: 'required' },
      { field: 'provider.currency', reason: 'invalid_value' },
    ]);
    expect(JSON.stringify(bad.body)).not.toContain('TOPSECRET');
    expect((await post({ key: 'x', provider: { type: 'telegram_bot' } })).body.details).toMatchObject({
      field: 'provider.bot_token',
      reason: 'required',
    });
    expect(
      (await post({ key: 'x', provider: { type: 'custom_deploy_hook', url: 'http://169.254.169.254/hook' } }))
        .body.details,
    ).toMatchObject({ field: 'provider.url', reason: 'private_address' });
    expect(
      (await post({ key: 'x', provider: { type: 'custom_deploy_hook', url: 'file:///etc/passwd' } })).body
        .details,
    ).toMatchObject({ field: 'provider.url', reason: 'scheme' });
    expect(
      (await post({ key: 'x', provider: { type: 'jira', api_token: 't', email: 'a@b.co' } })).body.details,
    ).toMatchObject({ field: 'provider.domain', reason: 'required' });
    expect(
      (await post({ key: 'bot', provider: { type: 'telegram_bot', bot_token: '123:ABC', action: 'reply' } }))
        .body,
    ).toMatchObject({ category: 'channel', provider: { type: 'telegram_bot', action: 'reply' } });
    expect((await post({ key: 'bot', provider: { type: 'open_ai', api_key: 'sk' } })).body).toMatchObject({
      error: 'already_exists',
      details: { field: 'key' },
    });
    const stranger = await registerAccount(t.app);
    expect((await call(t.app, stranger, { url: `/v1/stores/${storeId}/integrations` })).status).toBe(404);
  });
});

describe('deploy hooks', () => {
  it('POSTs {} to each deploy-hook URL once per 10 s window after catalogue or content changes', async () => {
    const { owner, storeId } = await setup();
    const vercel = await new WebhookReceiver().start();
    const custom = await new WebhookReceiver().start();
    try {
      await call(t.app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/integrations`,
        payload: { key: 'vercel', provider: { type: 'vercel_deploy_hook', url: `${vercel.url}/deploy/abc` } },
      });
      await call(t.app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/integrations`,
        payload: { key: 'custom', provider: { type: 'custom_deploy_hook', url: `${custom.url}/build` } },
      });
      const list = (await call(t.app, owner, { url: `/v1/stores/${storeId}/integrations` })).body;
      expect(JSON.stringify(list)).not.toContain(vercel.url);
      // A store change is not a content change.
      await call(t.app, owner, {
        method: 'PUT',
        url: `/v1/stores/${storeId}`,
        payload: { settings: { a: 1 } },
      });
      // Content changes as the catalogue and CMS modules write them: events in a committed transaction.
      const ctx = { db: t.app.deps.db.db, now: () => clock } as never;
      for (const type of ['product.created', 'product.updated', 'node.updated'] as const)
        await emit(ctx, type, { id: 'x' } as never, storeId);
      await t.app.deps.jobs.tick();
      expect(vercel.received).toHaveLength(0); // debounced
      clock += 10;
      await t.app.deps.jobs.tick();
      expect(vercel.received.map((r) => [r.path, r.body])).toEqual([['/deploy/abc', '{}']]);
      expect(custom.received.map((r) => r.path)).toEqual(['/build']);
      await emit(ctx, 'media.created', { id: 'm' } as never, storeId);
      await t.app.deps.jobs.tick();
      clock += 10;
      await t.app.deps.jobs.tick();
      expect(vercel.received).toHaveLength(2);
    } finally {
      await vercel.stop();
      await custom.stop();
    }
  });
});
