/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against the real
 * server on a fresh database: the merchant's main paths, field errors, an accessibility check and
 * screenshots of every main screen (test-results/screenshots, gitignored).
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../server/test/helpers.ts';
import { startSmtpSink, type SmtpSink } from '../../server/test/smtp-sink.ts';
import { WebhookReceiver } from '../../server/test/webhook-receiver.ts';
import { StripeStandIn } from '../../server/test/stripe-standin.ts';
import { uniqueEmail } from '../../server/test/fixtures.ts';
import {
  createArkyClient,
  createStorefrontClient,
  unwrap,
  type ArkyClient,
  type TokenSet,
} from '../../sdk/src/index.ts';
import { axe, ensureBuilt, launch, screenshot } from './browser.ts';

const PASSWORD = 'correct horse battery';
const STEP = { timeout: 240_000 };
/** expect.poll gives up after 1 s by default: too short on a loaded CI machine (PostgreSQL run). */
const UI = { timeout: 60_000 };

let t: TestApp;
let smtp: SmtpSink;
let receiver: WebhookReceiver;
let stripe: StripeStandIn;
let browser: Awaited<ReturnType<typeof launch>>;
let context: BrowserContext;
let page: Page;
let baseUrl: string;
let email: string;
let storeId: string;
let sdk: ArkyClient;
let orderId: string;

/** A free loopback port, so PUBLIC_URL (used in media URLs) can name the real address. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const admin = (path = '') => `${baseUrl}/admin${path}`;
const nav = (name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
/** Waits until the locator's text contains `text` (no fixed sleeps: polls the live page). */
const waitText = (selector: string, text: string) =>
  page.locator(selector, { hasText: text }).first().waitFor();

/** Axe must find nothing on the current screen; then the screen is photographed. */
async function check(name: string) {
  await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
  await screenshot(page, name);
  const violations = await axe(page);
  expect(violations, `axe on ${name}: ${JSON.stringify(violations)}`).toEqual([]);
}

beforeAll(async () => {
  ensureBuilt();
  smtp = await startSmtpSink();
  receiver = await new WebhookReceiver().start();
  stripe = await new StripeStandIn().start();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  t = await createTestApp({
    env: {
      SMTP_URL: smtp.url,
      PUBLIC_URL: baseUrl,
      // Platform billing against the Stripe stand-in: the plan screen's Checkout redirect.
      STRIPE_API_URL: stripe.url,
      STRIPE_SECRET_KEY: 'sk_test_dashboard_platform_0123456789',
      STRIPE_WEBHOOK_SECRET: 'whsec_dashboard_platform_abcdef',
      STRIPE_PRO_PRICE_ID: 'price_pro_monthly',
    },
  });
  await t.app.listen({ port, host: '127.0.0.1' });
  browser = await launch();
  context = browser.context;
  context.setDefaultTimeout(60_000);
  page = context.pages()[0] ?? (await context.newPage());
  email = uniqueEmail('merchant');
  let tokens: TokenSet | null = null;
  sdk = createArkyClient({
    storeId: '',
    baseUrl,
    getToken: () => tokens,
    setToken: (_v, set) => void (tokens = set ?? null),
  });
  unwrap(await sdk.auth.register({ email, password: PASSWORD }));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.close();
  await receiver?.stop();
  await stripe?.stop();
});

describe('admin dashboard in Chromium', () => {
  it(
    'serves the SPA at /admin (any sub-path), redirects / there and caches hashed assets for a year',
    STEP,
    async () => {
      const root = await fetch(`${baseUrl}/`, { redirect: 'manual' });
      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe('/admin/');
      const deep = await fetch(admin('/orders/ord_x'));
      expect(deep.status).toBe(200);
      expect(deep.headers.get('cache-control')).toBe('no-cache');
      const html = await deep.text();
      const asset = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(asset).toBeDefined();
      const js = await fetch(`${baseUrl}${asset}`);
      expect(js.status).toBe(200);
      expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await fetch(admin('/assets/missing-abc.js'))).status).toBe(404);
    },
  );

  it(
    'signs in with a password (a wrong one is refused), creates a store and shows its two default markets',
    STEP,
    async () => {
      await page.goto(admin('/'));
      await page.getByRole('heading', { name: 'Sign in to OpenArky' }).waitFor();
      await check('sign-in');
      const panel = page.getByRole('tabpanel', { name: 'Password' });
      await panel.getByLabel('Email').fill(email);
      await panel.getByRole('textbox', { name: 'Password' }).fill('wrong password!');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
      await panel.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();

      await page.getByRole('heading', { name: 'Create a store' }).waitFor();
      await page.getByLabel('Store key').fill('Bad Key!');
      await page.getByLabel('Billing email').fill('billing@example.com');
      await page.getByRole('button', { name: 'Create store' }).click();
      // The API's validation error names `key`: it is shown on that field.
      await expect.poll(() => page.getByLabel('Store key').getAttribute('aria-invalid'), UI).toBe('true');
      await page.getByLabel('Store key').fill('corner-shop');
      await page.getByRole('button', { name: 'Create store' }).click();
      await page.getByTestId('market-us').waitFor();
      await page.getByTestId('market-eu').waitFor();
      await check('settings-markets');
      storeId = unwrap(await sdk.store.getStores()).items[0]!.id;
      sdk.setStoreId(storeId);
    },
  );

  it(
    'creates a product with two variants and prices per market; the storefront API lists it',
    STEP,
    async () => {
      await nav('Products');
      await page.getByTestId('empty-state').waitFor();
      await check('products-empty');
      await page.getByRole('link', { name: 'New product' }).click();
      await page.getByLabel('Key', { exact: false }).first().fill('tee');
      await page.getByLabel('Name (en)').fill('Organic tee');
      const v0 = page.getByTestId('variant-0');
      await v0.getByLabel('SKU').fill('TEE-S');
      await v0.getByLabel('Price US (USD)').fill('20');
      await v0.getByLabel('Price EU (EUR)').fill('24');
      await v0.getByLabel('Stock Store-wide').fill('10');
      await page.getByRole('button', { name: 'Add variant' }).click();
      const v1 = page.getByTestId('variant-1');
      await v1.getByLabel('SKU').fill('TEE-M');
      await v1.getByLabel('Price US (USD)').fill('22');
      await v1.getByLabel('Price EU (EUR)').fill('26');
      await v1.getByLabel('Stock Store-wide').fill('10');
      await check('product-new');
      await page.getByRole('button', { name: 'Save product' }).click();
      await page.waitForURL(/\/admin\/products\/prod_/);

      const sf = createStorefrontClient({ storeId, baseUrl, getToken: () => null, setToken: () => {} });
      const listed = unwrap(await sf.eshop.product.find({}));
      expect(listed.items).toHaveLength(1);
      const tee = listed.items[0]!;
      expect(tee.key).toBe('tee');
      expect(tee.variants.map((v) => [v.sku, v.prices.map((p) => [p.market, p.currency, p.amount])])).toEqual(
        [
          [
            'TEE-S',
            [
              ['us', 'USD', 2000],
              ['eu', 'EUR', 2400],
            ],
          ],
          [
            'TEE-M',
            [
              ['us', 'USD', 2200],
              ['eu', 'EUR', 2600],
            ],
          ],
        ],
      );

      await nav('Products');
      await page.getByRole('link', { name: 'Organic tee' }).waitFor();
      await check('products');
    },
  );

  it('shows an order placed through the SDK, ships it and refunds part of it', STEP, async () => {
    const product = unwrap(await sdk.eshop.product.find({})).items[0]!;
    const items = product.variants.map((v) => ({ product_id: product.id, variant_id: v.id, quantity: 1 }));
    const placed = unwrap(await sdk.eshop.order.checkout({ market: 'us', items, payment_method_id: 'cash' }));
    orderId = placed.order_id;

    await nav('Orders');
    await page.getByRole('link', { name: `#${placed.number}` }).waitFor();
    await check('orders');
    await page.getByRole('link', { name: `#${placed.number}` }).click();
    await expect.poll(() => page.getByTestId('order-status').textContent(), UI).toBe('confirmed');
    await check('order-detail');
    await page.getByRole('button', { name: 'Mark shipped' }).click();
    await expect.poll(() => page.getByTestId('order-status').textContent(), UI).toBe('shipped');

    expect(await page.getByTestId('refundable').textContent()).toBe('Refundable: $42.00');
    await page.getByLabel('Refund amount').fill('5');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByTestId('refund-row').waitFor();
    await expect.poll(() => page.getByTestId('refundable').textContent(), UI).toBe('Refundable: $37.00');
    const after = unwrap(await sdk.eshop.order.get({ id: orderId }));
    expect(after.workflow_status).toBe('shipped');
    expect(after.payment.refunds.map((r) => [r.total, r.status])).toEqual([[500, 'succeeded']]);
  });

  it('uploads an image by the drop zone and shows its thumbnail', STEP, async () => {
    await nav('Media');
    await page.getByTestId('empty-state').waitFor();
    const png = await sharp({ create: { width: 640, height: 400, channels: 3, background: '#3b5bdb' } })
      .png()
      .toBuffer();
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'banner.png', mimeType: 'image/png', buffer: png });
    await waitText('[data-testid=upload-row]', 'Uploaded');
    const thumb = page.getByTestId('media-card').first().locator('img');
    await thumb.waitFor();
    expect(await thumb.getAttribute('src')).toContain(baseUrl);
    // The picture really loaded (a broken URL has naturalWidth 0), and it is the small rendition.
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth), UI)
      .toBeGreaterThan(0);
    expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeLessThanOrEqual(320);
    await check('media');
    await page.locator('label', { hasText: 'Documents' }).click();
    await page.getByTestId('empty-state').waitFor();
  });

  it('creates a webhook and shows a delivery in its log', STEP, async () => {
    await nav('Settings');
    await page.getByRole('tab', { name: 'Webhooks' }).click();
    await page.getByLabel('Webhook key').fill('shop-events');
    await page.getByLabel('URL').fill(`${receiver.url}/hook`);
    await page.getByRole('combobox', { name: 'Events' }).click();
    await page.getByRole('option', { name: 'product.created', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByTestId('webhooks-table').getByText('shop-events', { exact: true }).waitFor();
    await check('settings-webhooks');

    unwrap(
      await sdk.eshop.product.create({ key: 'mug', variants: [{ prices: [{ market: 'us', amount: 900 }] }] }),
    );
    await expect
      .poll(
        async () => {
          await t.app.deps.jobs.tick();
          return receiver.received.length;
        },
        { timeout: 60_000 },
      )
      .toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Deliveries of shop-events' }).click();
    const log = page.getByTestId('deliveries-table');
    await log.getByText('product.created').waitFor();
    await log.getByText('delivered').waitFor();
    await check('webhook-deliveries');
    await log.getByRole('button', { name: 'Redeliver' }).first().click();
    await page.getByText('Delivery queued again').waitFor();
    await page.keyboard.press('Escape');
  });

  it(
    'creates a service and a provider with working hours; a reservation booked through the SDK shows on the calendar',
    STEP,
    async () => {
      await nav('Bookings');
      await page.getByTestId('empty-state').waitFor();
      await page.getByRole('tab', { name: 'Services' }).click();
      await page.getByLabel('Service key').fill('haircut');
      await page.getByLabel('Service name (en)').fill('Haircut');
      await page.getByRole('button', { name: 'Create service' }).click();
      await page.getByRole('heading', { name: 'Service haircut' }).waitFor();

      await page.getByRole('tab', { name: 'Providers' }).click();
      await page.getByLabel('Provider key').fill('ann');
      await page.getByLabel('Provider name (en)').fill('Ann');
      await page.getByRole('button', { name: 'Create provider' }).click();
      await page.getByRole('heading', { name: 'Provider ann' }).waitFor();
      const editor = page.getByTestId('link-editor');
      await editor.getByRole('combobox', { name: 'Service' }).click();
      await page.getByRole('option', { name: 'Haircut' }).click();
      await editor.getByLabel('Price US (USD)').fill('30');
      // Saturdays 10–14 on top of the default Monday–Friday 9–17.
      await editor.getByRole('switch', { name: 'Open on Saturday' }).check();
      await editor.getByLabel('Saturday from 1').fill('10:00');
      await editor.getByLabel('Saturday to 1').fill('14:00');
      // The 15th of the shown month is closed (never an outside day of the month grid).
      await editor.getByRole('button', { name: 'Closed dates' }).click();
      await page.getByRole('button', { name: /^15 [A-Z][a-z]+ \d{4}$/ }).click();
      await page.keyboard.press('Escape');
      await check('booking-provider');
      await editor.getByRole('button', { name: 'Link' }).click();
      await page.getByText('Offer a service saved').waitFor();

      const ann = unwrap(await sdk.eshop.provider.find({ query: 'ann' })).items[0]!;
      const link = unwrap(await sdk.eshop.service.findProviders({ provider_id: ann.id }))[0]!;
      expect(link.working_days.map((d) => [d.day, d.working_hours])).toEqual([
        ...['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((day) => [
          day,
          [{ from: 540, to: 1020 }],
        ]),
        ['saturday', [{ from: 600, to: 840 }]],
      ]);
      expect(link.specific_dates).toHaveLength(1);
      expect(new Date(link.specific_dates[0]!.date * 1000).getUTCDate()).toBe(15);
      expect(link.prices.map((p) => [p.market, p.amount])).toEqual([['us', 3000]]);

      const from = Math.floor(Date.now() / 1000);
      const week = unwrap(
        await sdk.eshop.service.getAvailability({ service_id: link.service_id, from, to: from + 8 * 86_400 }),
      );
      const slot = week.providers[0]!.days.flatMap((d) => d.slots)[0]!;
      const booked = unwrap(
        await sdk.eshop.order.checkout({
          market: 'us',
          payment_method_id: 'cash',
          items: [
            {
              type: 'service',
              service_id: link.service_id,
              provider_id: ann.id,
              slots: [{ from: slot.from, to: slot.to }],
            },
          ],
        }),
      );
      const day = new Date(slot.from * 1000).toLocaleDateString('sv');
      await page.goto(admin(`/bookings/calendar?date=${day}&view=day`));
      const event = page.getByTestId('reservation-calendar').getByText(`Haircut · #${booked.number}`);
      await event.waitFor();
      await check('bookings-calendar');
      await page.getByRole('button', { name: 'Week' }).click();
      await event.waitFor();
      await event.click();
      await page.waitForURL(/\/admin\/orders\/ord_/);
      await nav('Home');
      await page.getByTestId('upcoming-reservations').getByText(`#${booked.number}`).waitFor();
    },
  );

  it('plan screen: the current plan, and a paid plan goes to Stripe Checkout', STEP, async () => {
    await nav('Settings');
    await page.getByRole('tab', { name: 'Plan & billing' }).click();
    await page.getByTestId('plan-plan_pro').waitFor();
    await check('settings-billing');
    await page.getByRole('button', { name: 'Subscribe to Pro' }).click();
    await page.waitForURL(`${stripe.url}/c/pay/**`);
    await page.goto(admin('/settings/billing?checkout=cancelled'));
    await page.getByText('Checkout cancelled').waitFor();
    expect(await page.getByTestId('subscription-status').textContent()).toBe('Waiting for payment');
  });

  it('home shows sales per market; content, members and API keys screens work', STEP, async () => {
    await nav('Home');
    await page.getByTestId('market-stats-us').waitFor();
    await page.locator('.recharts-wrapper').first().waitFor();
    await check('home');

    await nav('Content');
    await page.getByLabel('New collection key').fill('blog');
    await page.getByRole('button', { name: 'Add' }).first().click();
    await page.getByRole('heading', { name: 'Entries of blog' }).waitFor();
    await page.getByLabel('New entry key').fill('hello');
    await page.getByRole('button', { name: 'Add' }).nth(1).click();
    await page.getByRole('heading', { name: 'Entry hello' }).waitFor();
    await page.getByLabel('New block key').fill('title');
    await page.getByRole('button', { name: 'Add block' }).click();
    await page.getByLabel('title (en)').fill('Hello world');
    await page.getByRole('button', { name: 'Save hello' }).click();
    await page.getByText('hello saved').waitFor();
    await check('content');
    const blog = unwrap(await sdk.cms.node.find({ key: 'hello' })).items[0]!;
    expect(blog.blocks.map((b) => [b.key, b.type, b.value])).toEqual([
      ['title', 'text', [{ en: 'Hello world' }]],
    ]);

    await nav('Settings');
    await page.getByRole('tab', { name: 'API keys' }).click();
    await page.getByLabel('Key name').fill('ci');
    await page.getByRole('button', { name: 'Create key' }).click();
    const value = await page.getByTestId('new-api-key').textContent();
    expect(value).toMatch(/^ak_/);
    await check('settings-api-keys');
    await page.getByRole('tab', { name: 'Team' }).click();
    await page.getByText(email).waitFor();
    const helper = uniqueEmail('helper');
    await page.getByLabel('Email').fill(helper);
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('combobox', { name: `Role of ${helper}` }).click();
    await page.getByRole('option', { name: 'Viewer', exact: true }).click();
    await page.getByText(`${helper} is now Viewer`).waitFor();
    await check('settings-team');
    const members = unwrap(await sdk.account.searchAccounts({ limit: 100 })).items;
    const role = members
      .find((a) => a.email === helper)
      ?.memberships.find((m) => m.store_id === storeId)?.role;
    expect(role).toBe('viewer');
  });

  it('works at phone width: the navigation folds into a menu', STEP, async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(admin(`/orders/${orderId}`));
    await page.getByTestId('order-status').waitFor();
    await check('phone-order-detail');
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await nav('Products');
    await page.getByRole('link', { name: 'Organic tee' }).waitFor();
    await check('phone-products');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('signs in with an emailed code', STEP, async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('tab', { name: 'Email code' }).click();
    await page.getByRole('tabpanel', { name: 'Email code' }).getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.getByText(`We sent a 6-digit code to ${email}`).waitFor();
    await expect
      .poll(
        async () => {
          await t.app.deps.jobs.tick();
          return smtp.codeFor(email) ?? '';
        },
        { timeout: 60_000 },
      )
      .toMatch(/^\d{6}$/);
    await page.locator('input[inputmode="numeric"]').first().click();
    await page.keyboard.type(smtp.codeFor(email)!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });
});
