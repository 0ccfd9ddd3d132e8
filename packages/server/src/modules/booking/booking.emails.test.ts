import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, uniqueEmail, type Caller } from '../../../test/fixtures.ts';
import { guest } from '../../../test/commerce-fixtures.ts';
import { at, link, setTimeZone } from '../../../test/booking-fixtures.ts';
import {
  cardStore,
  deliverStripeEvent,
  storeWebhookUrl,
  type CardStore,
} from '../../../test/payment-fixtures.ts';
import { StripeStandIn } from '../../../test/stripe-standin.ts';
import { startSmtpSink, type SmtpSink } from '../../../test/smtp-sink.ts';
import { mailParts } from '../../../test/mail-parts.ts';
import { sweepReminders } from './index.ts';

let t: TestApp;
let smtp: SmtpSink;
let stripe: StripeStandIn;
let s: CardStore;
const clock = at('2030-03-01T12:00:00Z');
let serviceId: string;
let providerId: string;
/** Tuesday 2030-03-12 10:00 in New York (EDT, after the spring-forward Sunday) = 14:00 UTC. */
const slot = { from: at('2030-03-12T10:00-04:00'), to: at('2030-03-12T11:00-04:00') };
const LOCAL_START = 'Tuesday, March 12, 2030 at 10:00 AM';

beforeAll(async () => {
  smtp = await startSmtpSink();
  stripe = await new StripeStandIn().start();
  t = await createTestApp({
    env: { SMTP_URL: smtp.url, STRIPE_API_URL: stripe.url },
    build: { now: () => clock },
  });
  s = await cardStore(t.app);
  await setTimeZone(t.app, s.owner, s.storeId, 'America/New_York');
  const create = async (path: string, payload: object) => {
    const res = await call(t.app, s.owner, {
      method: 'POST',
      url: `/v1/stores/${s.storeId}${path}`,
      payload,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  serviceId = await create('/services', { key: 'cut', blocks: [{ key: 'name', value: 'Haircut' }] });
  providerId = await create('/providers', { key: 'ada', blocks: [{ key: 'name', value: 'Ada Lovelace' }] });
  await link(t.app, s.owner, s.storeId, serviceId, providerId, { capacity: 5, reminders: [60] });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await stripe?.stop();
});

const checkout = (who: Caller, payment_method_id: 'cash' | 'credit_card') =>
  call(t.app, who, {
    method: 'POST',
    url: `/v1/stores/${s.storeId}/orders/checkout`,
    payload: {
      market: 'us',
      items: [{ type: 'service', service_id: serviceId, provider_id: providerId, slots: [slot] }],
      payment_method_id,
    },
  });

/** The mail to `email` whose subject matches, once the outbox and the email jobs have run. */
async function mailTo(email: string, subject: RegExp) {
  for (let i = 0; i < 4; i++) {
    await t.app.deps.jobs.tick();
    const mail = smtp.messages.find((m) => m.to.includes(email.toLowerCase()) && subject.test(m.subject));
    if (mail) return { subject: mail.subject, ...mailParts(mail.raw) };
  }
  return undefined;
}

describe('booking emails', () => {
  it('a cash booking is confirmed by email, then reminded, with names and the local start time', async () => {
    const email = uniqueEmail('booker');
    const who = await guest(t.app, s.storeId, { email });
    const res = await checkout(who, 'cash');
    expect(res.status, JSON.stringify(res.body)).toBe(201);

    const confirmation = await mailTo(email, /^Your booking at .+ is confirmed$/);
    expect(confirmation, 'booking confirmation').toBeDefined();
    expect(confirmation!.text).toContain(`- Haircut with Ada Lovelace: ${LOCAL_START}`);
    expect(confirmation!.text).toContain('Times are in America/New_York.');
    expect(confirmation!.html).toContain(`<td>Haircut</td><td>Ada Lovelace</td><td>${LOCAL_START}</td>`);
    expect(await mailTo(email, /^Reminder/)).toBeUndefined();

    await sweepReminders(t.app.deps.db.db, slot.from - 3600);
    const reminder = await mailTo(email, /^Reminder: /);
    expect(reminder, 'booking reminder').toBeDefined();
    expect(reminder!.subject).toBe(`Reminder: Haircut on ${LOCAL_START}`);
    // Mail bodies travel with CRLF line ends.
    expect(reminder!.text?.replace(/\r\n/g, '\n')).toContain(
      `Haircut with Ada Lovelace\n${LOCAL_START} (America/New_York)`,
    );
    expect(reminder!.html).toContain('<strong>Haircut</strong> with Ada Lovelace');
    expect(reminder!.html).toContain(`${LOCAL_START} (America/New_York)`);
  });

  it('a card booking is confirmed by email only once Stripe reports the payment', async () => {
    const email = uniqueEmail('card-booker');
    const who = await guest(t.app, s.storeId, { email });
    const res = await checkout(who, 'credit_card');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await mailTo(email, /^Your booking/)).toBeUndefined();

    const intent = await t.app.deps.db.db
      .selectFrom('payment_intents')
      .select('intent_id')
      .where('order_id', '=', res.body.order_id)
      .executeTakeFirstOrThrow();
    const paid = await deliverStripeEvent(
      t.app,
      storeWebhookUrl(s.storeId),
      stripe.succeed(intent.intent_id),
      s.webhookSecret,
    );
    expect(paid.status).toBe(200);
    const confirmation = await mailTo(email, /^Your booking at .+ is confirmed$/);
    expect(confirmation?.text).toContain(`- Haircut with Ada Lovelace: ${LOCAL_START}`);
  });

  it('previews the booking templates per store language', async () => {
    await call(t.app, s.owner, {
      method: 'PUT',
      url: `/v1/stores/${s.storeId}`,
      payload: { languages: [{ id: 'en' }, { id: 'fr' }] },
    });
    const preview = await call(t.app, s.owner, {
      url: `/v1/stores/${s.storeId}/emails/booking_reminder/preview?locale=fr`,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      locale: 'fr',
      subject: expect.stringMatching(/^Rappel : Haircut le /),
    });
    expect(preview.body.text).toContain('Haircut avec Ada');
    const en = await call(t.app, s.owner, {
      url: `/v1/stores/${s.storeId}/emails/booking_confirmation/preview`,
    });
    expect(en.body.html).toContain('<td>Haircut</td><td>Ada</td>');
  });
});
