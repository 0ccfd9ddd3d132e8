/**
 * Issue 16 "Done when", through the SDK against the live server (SQLite and PostgreSQL): forms with
 * validated storefront submissions and a signed webhook; a double opt-in list confirmed from the
 * emailed link and left with the List-Unsubscribe link; a paid list activated by the store's
 * signed Stripe webhook (stand-in); a 1,000-row CSV import with 10 bad rows.
 */
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../server/test/helpers.ts';
import { startSmtpSink, type SmtpSink } from '../../server/test/smtp-sink.ts';
import { mailParts } from '../../server/test/mail-parts.ts';
import { WebhookReceiver, type Received } from '../../server/test/webhook-receiver.ts';
import { StripeStandIn } from '../../server/test/stripe-standin.ts';
import {
  createStorefrontClient,
  unwrap,
  type ArkyClient,
  type ArkyClientConfig,
  type TokenSet,
} from '../src/index.ts';
import { liveServer, ownerClient } from './live-server.ts';

let t: TestApp;
let smtp: SmtpSink;
let receiver: WebhookReceiver;
let stripe: StripeStandIn;
let sdk: ArkyClient;
let storeId: string;
let baseUrl: string;
const secret = 'whsec_' + Buffer.alloc(32, 11).toString('base64');

beforeAll(async () => {
  smtp = await startSmtpSink();
  receiver = await new WebhookReceiver().start();
  stripe = await new StripeStandIn().start();
  ({ t, baseUrl } = await liveServer({
    env: { SMTP_URL: smtp.url, WEBHOOK_RETRY_BASE_SECONDS: '0', STRIPE_API_URL: stripe.url },
  }));
  ({ sdk, storeId } = await ownerClient(t, baseUrl, { market: 'us' }));
  unwrap(
    await sdk.store.createWebhook({
      key: 'crm-events',
      url: `${receiver.url}/crm`,
      events: ['form_submission.created', 'audience.subscriber_added'],
      headers: {},
      secret,
      enabled: true,
    }),
  );
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await receiver?.stop();
  await stripe?.stop();
});

function storefront() {
  const box: { set?: TokenSet; token?: string } = {};
  const config: ArkyClientConfig = {
    storeId,
    baseUrl,
    autoGuest: true,
    getToken: () => box.set ?? box.token ?? null,
    setToken: (token, set) => {
      box.token = token;
      box.set = set;
    },
  };
  return createStorefrontClient(config);
}

const verifier = () => new StandardWebhook(secret);
const headersOf = (r: Received) =>
  Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));
async function events(type: string) {
  await t.app.deps.jobs.tick();
  return receiver.received
    .filter((r) => r.path === '/crm')
    .map((r) => verifier().verify(r.body, headersOf(r)) as { event: string; data: any })
    .filter((b) => b.event === type);
}

describe('forms and audiences through the SDK', () => {
  it('a contact form refuses a bad option with its path, stores a good submission and signs form_submission.created', async () => {
    const form = unwrap(
      await sdk.cms.form.create({
        key: 'contact',
        schema: [
          { key: 'email', type: 'text', variant: 'email', required: true },
          { key: 'topic', type: 'select', required: true, options: ['sales', 'support'] },
          { key: 'message', type: 'text', max: 500 },
        ],
      }),
    );
    const sf = storefront();
    expect(unwrap(await sf.cms.form.get({ key: 'contact' })).id).toBe(form.id);

    const refused = await sf.cms.form.submit({
      form_id: form.id,
      fields: [
        { key: 'email', value: 'ann@example.com' },
        { key: 'topic', value: 'billing' },
      ],
    });
    expect(refused.ok).toBe(false);
    expect(refused.val).toMatchObject({
      error: 'validation_error',
      status_code: 400,
      details: { field: 'fields.1.value', reason: 'invalid_option' },
    });

    const stored = unwrap(
      await sf.cms.form.submit({
        key: 'contact',
        fields: [
          { key: 'email', value: 'ann@example.com' },
          { key: 'topic', value: 'support' },
          { key: 'message', value: 'Hello' },
        ],
      }),
    );
    expect(stored.fields.map((f) => [f.key, f.value])).toEqual([
      ['email', 'ann@example.com'],
      ['topic', 'support'],
      ['message', 'Hello'],
    ]);
    const me = unwrap(await sf.me());
    expect(stored.profile_id).toBe(me.profile.id);
    expect(me.form_submissions.map((s) => s.id)).toEqual([stored.id]);

    const page = unwrap(await sdk.cms.form.getSubmissions({ form_ids: [form.id] }));
    expect(page.items.map((s) => s.id)).toEqual([stored.id]);
    const corrected = unwrap(
      await sdk.cms.form.updateSubmission({
        form_id: form.id,
        id: stored.id,
        fields: [
          { key: 'email', value: 'ann@example.org' },
          { key: 'topic', value: 'sales' },
        ],
      }),
    );
    expect(unwrap(await sdk.cms.form.getSubmission({ form_id: form.id, id: stored.id })).fields).toEqual(
      corrected.fields,
    );

    const delivered = await events('form_submission.created');
    expect(delivered.map((e) => e.data.id)).toEqual([stored.id]);
    expect(delivered[0]!.data.fields).toEqual(stored.fields);
  });

  it('a confirmation list: subscribe → email → the link confirms → audience.subscriber_added → the unsubscribe link ends it', async () => {
    const list = unwrap(
      await sdk.crm.profileList.create({ key: 'letters', name: 'Letters', type: { type: 'confirmation' } }),
    );
    const sf = storefront();
    expect(unwrap(await sf.crm.profileList.find()).items.map((l) => l.id)).toContain(list.id);
    const email = `reader-${Date.now()}@example.com`;
    const sub = unwrap(await sf.crm.profileList.subscribe({ id: list.id, email }));
    expect(sub).toMatchObject({ checkout_url: null, membership: { status: 'pending' } });
    expect(unwrap(await sf.crm.profileList.checkAccess({ id: list.id })).has_access).toBe(false);

    await t.app.deps.jobs.tick();
    const mail = smtp.messages.find((m) => m.to.includes(email));
    expect(mail).toBeDefined();
    const parts = mailParts(mail!.raw);
    expect(parts.html).toContain('Confirm my subscription');
    const token = /confirm\?token=(plc_\w+)/.exec(parts.text ?? '')?.[1];
    expect(token).toBeDefined();
    const unsubscribeToken = new URL(
      /^<(.+)>$/.exec(parts.header('List-Unsubscribe') ?? '')![1]!,
    ).searchParams.get('token')!;
    expect(parts.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    expect(unwrap(await sf.crm.profileList.confirm({ token: token! }))).toEqual({ confirmed: true });
    expect((await sf.crm.profileList.confirm({ token: token! })).ok).toBe(false);
    expect(unwrap(await sf.crm.profileList.checkAccess({ id: list.id }))).toMatchObject({
      has_access: true,
      membership: { status: 'active' },
    });
    const added = await events('audience.subscriber_added');
    expect(added.map((e) => [e.data.list.id, e.data.membership.id, e.data.membership.status])).toEqual([
      [list.id, sub.membership.id, 'active'],
    ]);

    expect(unwrap(await sf.crm.profileList.unsubscribe({ token: unsubscribeToken }))).toEqual({
      unsubscribed: true,
    });
    expect(unwrap(await sf.crm.profileList.checkAccess({ id: list.id }))).toMatchObject({
      has_access: false,
      membership: { status: 'cancelled' },
    });
    const members = unwrap(await sdk.crm.profileList.members.find({ list_id: list.id }));
    expect(members.items.map((m) => [m.profile.email, m.membership.status])).toEqual([[email, 'cancelled']]);
  });

  it('a paid list: subscribe → Stripe Checkout URL, pending → the signed Stripe webhook activates it', async () => {
    const stripeWebhookSecret = 'whsec_' + Buffer.alloc(24, 5).toString('hex');
    unwrap(
      await sdk.store.createIntegration({
        key: 'stripe',
        provider: {
          type: 'stripe',
          secret_key: 'sk_test_audiences_sdk',
          publishable_key: 'pk_test_audiences',
          webhook_secret: stripeWebhookSecret,
          currency: 'USD',
        },
      }),
    );
    const list = unwrap(
      await sdk.crm.profileList.create({
        key: 'supporters',
        name: 'Supporters',
        type: { type: 'paid', prices: [{ currency: 'USD', amount: 700, interval: 'month' }] },
      }),
    );
    const sf = storefront();
    const sub = unwrap(
      await sf.crm.profileList.subscribe({
        id: list.id,
        email: `supporter-${Date.now()}@example.com`,
        success_url: 'https://shop.example/thanks',
        cancel_url: 'https://shop.example/later',
      }),
    );
    expect(sub.checkout_url).toMatch(/\/c\/pay\/cs_test_/);
    expect(sub.membership.status).toBe('pending');
    expect(unwrap(await sf.crm.profileList.checkAccess({ id: list.id })).has_access).toBe(false);

    // The customer pays on Stripe; Stripe calls the store's webhook, signed with its secret.
    const completed = stripe.completeCheckout(sub.checkout_url!.split('/').at(-1)!);
    const webhook = `${baseUrl}/v1/stores/${storeId}/payments/stripe/webhook`;
    expect((await StripeStandIn.send(webhook, completed, 'whsec_wrong')).status).toBe(400);
    expect(unwrap(await sf.crm.profileList.checkAccess({ id: list.id })).has_access).toBe(false);
    expect((await StripeStandIn.send(webhook, completed, stripeWebhookSecret)).status).toBe(200);
    expect(unwrap(await sf.crm.profileList.checkAccess({ id: list.id }))).toMatchObject({
      has_access: true,
      membership: { id: sub.membership.id, status: 'active' },
    });
    const added = await events('audience.subscriber_added');
    expect(added.filter((e) => e.data.membership.id === sub.membership.id)).toHaveLength(1);
  });

  it('imports a 1,000-row CSV with 10 bad rows: 990 imported and the 10 reported; admins find and read the profiles', async () => {
    const list = unwrap(await sdk.crm.profileList.create({ key: 'imported' }));
    const bad = [7, 70, 140, 210, 280, 350, 420, 490, 560, 999];
    const csv = [
      'email,name',
      ...Array.from({ length: 1000 }, (_, i) =>
        bad.includes(i + 1) ? `broken-${i + 1},X` : `person-${i + 1}@example.com,Person ${i + 1}`,
      ),
    ].join('\n');
    const report = unwrap(await sdk.crm.profileList.importProfiles({ list_id: list.id, csv }));
    expect(report).toMatchObject({ imported: 990, created: 990, skipped: 0 });
    expect(report.errors.map((e) => [e.row, e.reason])).toEqual(bad.map((row) => [row, 'invalid_email']));
    expect(unwrap(await sdk.crm.profileList.get({ key: 'imported' })).member_count).toBe(990);

    const found = unwrap(await sdk.crm.profile.find({ email: 'person-1@example.com' }));
    expect(found.items).toHaveLength(1);
    const profile = unwrap(await sdk.crm.profile.get({ id: found.items[0]!.id }));
    expect(profile.memberships).toMatchObject([
      { profile_list_id: list.id, status: 'active', source: 'import', fields: { name: 'Person 1' } },
    ]);
    const created = unwrap(await sdk.crm.profile.create({ email: 'phone-order@example.com' }));
    const merged = unwrap(await sdk.crm.profile.merge({ id: created.id, source_id: profile.id }));
    expect(merged.memberships.map((m) => m.profile_list_id)).toEqual([list.id]);
    expect(unwrap(await sdk.crm.profile.get({ id: profile.id })).status).toBe('archived');
  });
});
