import type { TemplateVariant } from './templates.ts';

/**
 * Booking emails (CONTRACT §7.2): the confirmation of an order's booked slots and the reminder
 * `order.reminder` announces. Times arrive formatted in the store's time zone and language.
 */

type Variants = Record<string, TemplateVariant & { footer: string }>;

export const bookingConfirmation: Variants = {
  en: {
    subject: 'Your booking at {{store.name}} is confirmed',
    mjml: `<mj-text>Your booking <strong>{{order.number}}</strong> is confirmed.</mj-text>
<mj-table>
  <tr style="border-bottom:1px solid #e4e4e7;text-align:left"><th>Service</th><th>With</th><th>When</th></tr>
  {{#bookings}}<tr><td>{{service}}</td><td>{{provider}}</td><td>{{starts_at}}</td></tr>{{/bookings}}
</mj-table>
<mj-text font-size="13px" color="#52525b">Times are in {{time_zone}}.</mj-text>`,
    text: `Your booking {{order.number}} is confirmed.

{{#bookings}}- {{service}} with {{provider}}: {{starts_at}}
{{/bookings}}
Times are in {{time_zone}}.`,
    footer: '{{store.name}}',
  },
  fr: {
    subject: 'Votre réservation chez {{store.name}} est confirmée',
    mjml: `<mj-text>Votre réservation <strong>{{order.number}}</strong> est confirmée.</mj-text>
<mj-table>
  <tr style="border-bottom:1px solid #e4e4e7;text-align:left"><th>Prestation</th><th>Avec</th><th>Quand</th></tr>
  {{#bookings}}<tr><td>{{service}}</td><td>{{provider}}</td><td>{{starts_at}}</td></tr>{{/bookings}}
</mj-table>
<mj-text font-size="13px" color="#52525b">Heures indiquées dans le fuseau {{time_zone}}.</mj-text>`,
    text: `Votre réservation {{order.number}} est confirmée.

{{#bookings}}- {{service}} avec {{provider}} : {{starts_at}}
{{/bookings}}
Heures indiquées dans le fuseau {{time_zone}}.`,
    footer: '{{store.name}}',
  },
};

export const bookingReminder: Variants = {
  en: {
    subject: 'Reminder: {{booking.service}} on {{booking.starts_at}}',
    mjml: `<mj-text>A reminder of your booking at {{store.name}}:</mj-text>
<mj-text><strong>{{booking.service}}</strong> with {{booking.provider}}<br />{{booking.starts_at}} ({{time_zone}})</mj-text>
<mj-text font-size="13px" color="#52525b">Booking {{order.number}}.</mj-text>`,
    text: `A reminder of your booking at {{store.name}}:

{{booking.service}} with {{booking.provider}}
{{booking.starts_at}} ({{time_zone}})

Booking {{order.number}}.`,
    footer: '{{store.name}}',
  },
  fr: {
    subject: 'Rappel : {{booking.service}} le {{booking.starts_at}}',
    mjml: `<mj-text>Un rappel de votre réservation chez {{store.name}} :</mj-text>
<mj-text><strong>{{booking.service}}</strong> avec {{booking.provider}}<br />{{booking.starts_at}} ({{time_zone}})</mj-text>
<mj-text font-size="13px" color="#52525b">Réservation {{order.number}}.</mj-text>`,
    text: `Un rappel de votre réservation chez {{store.name}} :

{{booking.service}} avec {{booking.provider}}
{{booking.starts_at}} ({{time_zone}})

Réservation {{order.number}}.`,
    footer: '{{store.name}}',
  },
};

const sampleBooking = {
  service: 'Haircut',
  provider: 'Ada',
  starts_at: 'Tuesday, March 12, 2030 at 10:00 AM',
  ends_at: 'Tuesday, March 12, 2030 at 11:00 AM',
};

/** Preview data of the booking templates. */
export const bookingSamples = {
  booking_confirmation: {
    order: { number: '1001' },
    bookings: [sampleBooking],
    time_zone: 'America/New_York',
  },
  booking_reminder: {
    order: { number: '1001' },
    booking: sampleBooking,
    minutes: 1440,
    time_zone: 'America/New_York',
  },
};
