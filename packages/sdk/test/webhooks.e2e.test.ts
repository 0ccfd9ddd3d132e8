import type { AddressInfo } from 'node:net';
import { readFileSync, existsSync } from 'node:fs';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ENGINE, type TestApp } from '../../server/test/helpers.ts';
import { createStore, registerAccount } from '../../server/test/fixtures.ts';
import { OAuthStandIn } from '../../server/test/oauth-standin.ts';
import { WebhookReceiver, type Received } from '../../server/test/webhook-receiver.ts';
import { createArkyClient, unwrap, type ArkyClient } from '../src/index.ts';

let t: TestApp;
let sdk: ArkyClient;
let receiver: WebhookReceiver;
let google: OAuthStandIn;
const logLines: string[] = [];

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  google = await new OAuthStandIn().start();
  google.clients.set('cid.apps.googleusercontent.com', 'GOCSPX-e2e');
  t = await createTestApp({
    env: {
      WEBHOOK_RETRY_BASE_SECONDS: '0',
      GOOGLE_OAUTH_TOKEN_URL: `${google.url}/token`,
      GOOGLE_OAUTH_REVOKE_URL: `${google.url}/revoke`,
    },
  });
  // Every log line the app writes at any level, to prove no secret reaches the log.
  t.app.log.level = 'trace';
  const stream = (t.app.log as unknown as Record<symbol, { write: (s: string) => boolean }>)[
    pino.symbols.streamSym
  ];
  stream!.write = (line: string) => (logLines.push(line), true);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const owner = await registerAccount(t.app);
  const storeId = await createStore(t.app, owner);
  const token = owner.headers.authorization!.replace('Bearer ', '');
  sdk = createArkyClient({
    storeId,
    baseUrl: `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`,
    getToken: () => token,
    setToken: () => {},
    market: 'us',
  });
});
afterAll(async () => {
  await t?.close();
  await receiver?.stop();
  await google?.stop();
});

const headers = (r: Received) =>
  Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));

describe('webhooks and integrations through the SDK', () => {
  it('delivers product.created and order.created signed; a receiver failing twice gets the third attempt', async () => {
    const hook = unwrap(
      await sdk.store.createWebhook({
        key: 'shop-events',
        url: `${receiver.url}/hook`,
        events: ['product.created', { event: 'order.created' }],
        headers: { 'X-Shop': '1' },
        secret: 'whsec_' + Buffer.alloc(32, 5).toString('base64'),
        enabled: true,
      }),
    );
    expect(hook.events).toEqual([{ event: 'product.created' }, { event: 'order.created' }]);
    expect(unwrap(await sdk.store.listWebhooks()).map((w) => w.id)).toEqual([hook.id]);

    const product = unwrap(
      await sdk.eshop.product.create({
        key: 'mug',
        blocks: [{ key: 'name', value: 'Mug' }],
        variants: [{ sku: 'MUG', prices: [{ market: 'us', amount: 1500 }], inventory: 5 }],
      }),
    );
    const order = unwrap(
      await sdk.eshop.order.checkout({
        items: [{ product_id: product.id, variant_id: product.variants[0]!.id, quantity: 1 }],
        payment_method_id: 'cash',
      }),
    );
    receiver.script = [500, 503];
    await t.app.deps.jobs.tick();

    const verifier = new StandardWebhook(hook.secret);
    const bodies = receiver.received.map(
      (r) => verifier.verify(r.body, headers(r)) as { event: string; data: { id: string } },
    );
    // The receiver answers 500, then 503, then 200: the two failures land on whichever deliveries
    // arrive first. product.created and order.created are different entities, so neither waits
    // behind the other (ordering is per webhook and entity); each is retried until delivered.
    expect(bodies).toHaveLength(4);
    expect(new Set(bodies.map((b) => b.event))).toEqual(new Set(['product.created', 'order.created']));
    expect(bodies.find((b) => b.event === 'product.created')!.data.id).toBe(product.id);
    expect(bodies.find((b) => b.event === 'order.created')!.data.id).toBe(order.order_id);
    for (const event of ['product.created', 'order.created']) {
      const ids = receiver.received
        .filter((_, i) => bodies[i]!.event === event)
        .map((r) => r.headers['webhook-id']);
      expect(new Set(ids).size, `${event}: every attempt carries one webhook-id`).toBe(1);
    }
    expect(receiver.received[0]!.headers['x-shop']).toBe('1');

    const log = unwrap(await sdk.store.getWebhookDeliveries({ id: hook.id }));
    const delivered = ['product.created', 'order.created'].map((event) =>
      log.items.find((d) => d.event === event)!,
    );
    for (const d of delivered) expect(d).toMatchObject({ status: 'delivered', last_status_code: 200 });
    expect(delivered.reduce((n, d) => n + d.attempts, 0)).toBe(4);

    const updated = unwrap(await sdk.store.updateWebhook({ id: hook.id, events: ['order.paid'] }));
    expect(updated.events).toEqual([{ event: 'order.paid' }]);
    expect(unwrap(await sdk.store.deleteWebhook({ id: hook.id }))).toEqual({ deleted: true });
  });

  it('testWebhook reports the receiver’s answer; a link-local URL is refused', async () => {
    expect(
      unwrap(
        await sdk.store.testWebhook({
          webhook: {
            url: receiver.url,
            events: ['order.created', 'order.paid'],
            secret: 'whsec_' + Buffer.alloc(24, 1).toString('base64'),
          },
        }),
      ),
    ).toEqual({ tested: true, status_code: 200 });
    receiver.script = [418];
    expect(
      unwrap(await sdk.store.testWebhook({ webhook: { url: receiver.url, events: ['order.paid'] } })),
    ).toMatchObject({ tested: false, status_code: 418 });
    const refused = await sdk.store.createWebhook({
      key: 'meta',
      url: 'http://169.254.169.254/latest/meta-data/',
      events: ['order.created'],
      headers: {},
      secret: 's',
      enabled: true,
    });
    expect(refused.ok).toBe(false);
    expect(refused.val).toMatchObject({
      error: 'validation_error',
      status_code: 400,
      details: { field: 'url', reason: 'private_address' },
    });
    const events = unwrap(await sdk.platform.getWebhookEvents());
    expect(events.data).toEqual(
      expect.arrayContaining(['product.created', 'order.created', 'store.deleted']),
    );
  });

  it('never reads back a Stripe secret_key: not in responses, the database file or the log', async () => {
    const secret = 'sk_live_E2E_NEVER_VISIBLE_31337';
    const created = unwrap(
      await sdk.store.createIntegration({
        key: 'stripe-payments',
        provider: {
          type: 'stripe',
          secret_key: secret,
          publishable_key: 'pk_live_1',
          webhook_secret: 'whsec_abc',
          currency: 'USD',
          activeForCardPayments: true,
        },
      }),
    );
    expect(created.provider).toEqual({
      type: 'stripe',
      publishable_key: 'pk_live_1',
      currency: 'USD',
      active_for_card_payments: true,
    });
    const merged = unwrap(
      await sdk.store.updateIntegration({
        id: created.id,
        provider: { type: 'stripe', publishable_key: 'pk_live_2', currency: 'EUR' },
      }),
    );
    expect(merged.provider).toMatchObject({ publishable_key: 'pk_live_2', currency: 'EUR' });
    const bad = await sdk.store.createIntegration({
      key: 'bad',
      provider: { type: 'stripe', secret_key: secret },
    });
    expect(bad.ok).toBe(false);
    const reads = [
      unwrap(await sdk.store.listIntegrations()),
      unwrap(await sdk.store.getIntegrationConfig({ type: 'payment' })),
      bad.val,
    ];
    for (const r of reads) expect(JSON.stringify(r)).not.toContain('NEVER_VISIBLE');
    expect(unwrap(await sdk.store.getIntegrationConfig({ type: 'payment' })).integration_id).toBe(created.id);
    const services = unwrap(await sdk.platform.getIntegrationServices());
    expect(services.find((s) => s.id === 'stripe')).toMatchObject({ category: 'payments' });

    if (ENGINE === 'sqlite') {
      for (const f of [t.db.url!, `${t.db.url}-wal`])
        if (existsSync(f)) expect(readFileSync(f).includes(Buffer.from('NEVER_VISIBLE'))).toBe(false);
    } else {
      const { rows } = await (
        await import('kysely')
      ).sql<{ dump: string }>`select string_agg(t::text, ' ') as dump from integrations t`.execute(
        t.app.deps.db.db,
      );
      expect(rows[0]!.dump).not.toContain('NEVER_VISIBLE');
    }
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain('NEVER_VISIBLE');
  });

  it('OAuth connect stores tokens from the stand-in; disconnect revokes them', async () => {
    unwrap(
      await sdk.store.createIntegration({
        key: 'google',
        provider: {
          type: 'google',
          client_id: 'cid.apps.googleusercontent.com',
          client_secret: 'GOCSPX-e2e',
        },
      }),
    );
    const code = google.issueCode(
      'cid.apps.googleusercontent.com',
      'https://app.example.com/cb',
      'me@example.com',
    );
    const connected = unwrap(
      await sdk.store.oauthConnect({ provider: 'google', code, redirect_uri: 'https://app.example.com/cb' }),
    );
    expect(connected.provider).toMatchObject({
      type: 'google',
      account_email: 'me@example.com',
      connected_at: expect.any(Number),
    });
    const row = await t.app.deps.db.db
      .selectFrom('integrations')
      .selectAll()
      .where('id', '=', connected.id)
      .executeTakeFirstOrThrow();
    expect(row.secrets_sealed).toBeTruthy();
    expect(JSON.stringify(row)).not.toMatch(/ya29\./);
    const refused = await sdk.store.oauthConnect({
      provider: 'google',
      code,
      redirect_uri: 'https://app.example.com/cb',
    });
    expect(refused.val).toMatchObject({ error: 'provider_error', status_code: 502 });
    expect(unwrap(await sdk.store.oauthDisconnect({ provider: 'google' }))).toEqual({ disconnected: true });
    expect(google.revoked).toHaveLength(1);
  });
});
