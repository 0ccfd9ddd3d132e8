import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, uniqueEmail, type Caller } from '../../../test/fixtures.ts';
import { commerceStore, stockedProduct } from '../../../test/commerce-fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../../../test/smtp-sink.ts';
import { mailParts } from '../../../test/mail-parts.ts';
import { chooseLocale } from './render.ts';

let t: TestApp;
let smtp: SmtpSink;
let owner: Caller;
let storeId: string;

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await createTestApp({ env: { SMTP_URL: smtp.url } });
  ({ owner, storeId } = await commerceStore(t.app));
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const preview = (template: string, locale?: string) =>
  call(t.app, owner, {
    url: `/v1/stores/${storeId}/emails/${template}/preview${locale ? `?locale=${locale}` : ''}`,
  });

describe('email templates', () => {
  it('chooses the requested locale when the store speaks it, else the store default', () => {
    expect(chooseLocale('FR', ['en', 'fr'])).toBe('fr');
    expect(chooseLocale('de', ['fr', 'en'])).toBe('fr');
    expect(chooseLocale(undefined, [])).toBe('en');
  });

  it('previews every template as HTML (MJML) and text, per store language, with store overrides', async () => {
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { languages: [{ id: 'en' }] },
    });
    const en = await preview('audience_confirmation');
    expect(en.status).toBe(200);
    expect(en.body).toMatchObject({
      template: 'audience_confirmation',
      locale: 'en',
      subject: 'Confirm your subscription to Newsletter',
    });
    expect(en.body.html).toMatch(/^<!doctype html>/i);
    expect(en.body.html).toContain('href="https://shop.example/newsletter/confirm?token=sample"');
    expect(en.body.text).toContain('https://shop.example/newsletter/confirm?token=sample');
    // French is served only once the store speaks it.
    expect((await preview('audience_confirmation', 'fr')).body.locale).toBe('en');
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { languages: [{ id: 'en' }, { id: 'fr' }] },
    });
    const fr = await preview('order_confirmation', 'fr');
    expect(fr.body).toMatchObject({
      locale: 'fr',
      subject: expect.stringMatching(/^Votre commande 1001 chez /),
    });
    expect(fr.body.text).toContain('- Mug × 2 : 30.00 USD');
    expect(fr.body.html).toContain('<td>Mug</td><td>2</td>');

    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: {
        settings: {
          email_templates: {
            order_confirmation: {
              en: { subject: 'Order {{order.number}} <b>received</b>', text: 'Total {{order.total}}' },
            },
          },
        },
      },
    });
    const custom = await preview('order_confirmation', 'en');
    expect(custom.body.subject).toBe('Order 1001 <b>received</b>');
    expect(custom.body.text).toBe('Total 38.50 USD');
    expect(custom.body.html).toContain('Thank you for your order');

    const missing = await preview('welcome');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('not_found');
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { settings: {}, languages: [{ id: 'en' }] },
    });
  });

  it('emails the order confirmation (HTML and text parts) to the shopper after checkout', async () => {
    const { productId, variantId } = await stockedProduct(t.app, owner, storeId, { key: 'teapot', us: 2500 });
    const email = uniqueEmail('buyer');
    const id = await call(t.app, null, {
      method: 'POST',
      url: `/v1/storefront/${storeId}/profiles/identify`,
      payload: { email },
    });
    const shopper = { headers: { authorization: `Bearer ${id.body.token.token}` } };
    const order = await call(t.app, shopper, {
      method: 'POST',
      url: `/v1/stores/${storeId}/orders/checkout`,
      payload: {
        market: 'us',
        items: [{ product_id: productId, variant_id: variantId, quantity: 2 }],
        payment_method_id: 'cash',
        shipping_method_id: 'pickup',
        shipping_address: { country: 'US', state: 'CA' },
      },
    });
    expect(order.status, JSON.stringify(order.body)).toBeLessThan(300);
    await t.app.deps.jobs.tick();
    await t.app.deps.jobs.tick();
    const mail = smtp.messages.find((m) => m.to.includes(email.toLowerCase()));
    expect(mail, 'confirmation email').toBeDefined();
    expect(mail!.subject).toMatch(/^Your order \d+ at store-/);
    const parts = mailParts(mail!.raw);
    // Line totals include the market's 7 % exclusive tax.
    expect(parts.text).toMatch(/- teapot × 2: 53\.50 USD/);
    expect(parts.text).toMatch(/Total: \d+\.\d{2} USD/);
    expect(parts.html).toContain('<td>teapot</td><td>2</td>');
    // Transactional mail: no List-Unsubscribe.
    expect(parts.header('List-Unsubscribe')).toBeNull();
  });
});
