import { bookingConfirmation, bookingReminder, bookingSamples } from './booking-templates.ts';

/**
 * Built-in email templates: MJML for the layout, Mustache (logic-less) for the values, one variant
 * per language. A store overrides any part of a variant in `settings.email_templates`
 * (`{ "<template>": { "<locale>": { "subject"?, "mjml"?, "text"? } } }`).
 */

export const TEMPLATE_NAMES = [
  'audience_confirmation',
  'order_confirmation',
  'booking_confirmation',
  'booking_reminder',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export interface TemplateVariant {
  subject: string;
  /** The content placed inside the layout's column (mj-text, mj-button, mj-table …). */
  mjml: string;
  text: string;
}

/** The layout every email shares: the store's name on top, the content, a footer. */
export function layout(content: string, footer: string): string {
  return `<mjml>
  <mj-head>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text font-size="15px" line-height="22px" color="#222222" />
    </mj-attributes>
    <mj-preview>{{preview}}</mj-preview>
  </mj-head>
  <mj-body background-color="#f4f4f5">
    <mj-section padding="24px 0 8px">
      <mj-column><mj-text align="center" font-size="20px" font-weight="bold">{{store.name}}</mj-text></mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" border-radius="6px" padding="16px">
      <mj-column>
${content}
      </mj-column>
    </mj-section>
    <mj-section padding="8px 0 24px">
      <mj-column><mj-text align="center" font-size="12px" color="#71717a">${footer}</mj-text></mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
}

const confirmation: Record<string, TemplateVariant & { footer: string }> = {
  en: {
    subject: 'Confirm your subscription to {{list.name}}',
    mjml: `<mj-text>Hello,</mj-text>
<mj-text>Please confirm that you want to receive <strong>{{list.name}}</strong> from {{store.name}}.</mj-text>
<mj-button href="{{confirm_url}}" background-color="#18181b">Confirm my subscription</mj-button>
<mj-text font-size="13px" color="#52525b">If you did not ask for this, ignore this email: you will not be subscribed.</mj-text>`,
    text: `Hello,

Please confirm that you want to receive {{list.name}} from {{store.name}}:
{{confirm_url}}

If you did not ask for this, ignore this email: you will not be subscribed.

Unsubscribe: {{unsubscribe_url}}`,
    footer:
      'You received this email because this address was entered on {{store.name}}. <a href="{{unsubscribe_url}}">Unsubscribe</a>',
  },
  fr: {
    subject: 'Confirmez votre inscription à {{list.name}}',
    mjml: `<mj-text>Bonjour,</mj-text>
<mj-text>Merci de confirmer que vous souhaitez recevoir <strong>{{list.name}}</strong> de {{store.name}}.</mj-text>
<mj-button href="{{confirm_url}}" background-color="#18181b">Confirmer mon inscription</mj-button>
<mj-text font-size="13px" color="#52525b">Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : vous ne serez pas inscrit.</mj-text>`,
    text: `Bonjour,

Merci de confirmer que vous souhaitez recevoir {{list.name}} de {{store.name}} :
{{confirm_url}}

Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : vous ne serez pas inscrit.

Se désinscrire : {{unsubscribe_url}}`,
    footer:
      'Vous recevez ce message car cette adresse a été saisie sur {{store.name}}. <a href="{{unsubscribe_url}}">Se désinscrire</a>',
  },
};

const order: Record<string, TemplateVariant & { footer: string }> = {
  en: {
    subject: 'Your order {{order.number}} at {{store.name}}',
    mjml: `<mj-text>Thank you for your order <strong>{{order.number}}</strong>.</mj-text>
<mj-table>
  <tr style="border-bottom:1px solid #e4e4e7;text-align:left"><th>Item</th><th>Qty</th><th style="text-align:right">Total</th></tr>
  {{#order.items}}<tr><td>{{name}}</td><td>{{quantity}}</td><td style="text-align:right">{{total}}</td></tr>{{/order.items}}
  <tr style="border-top:1px solid #e4e4e7"><td colspan="2"><strong>Total</strong></td><td style="text-align:right"><strong>{{order.total}}</strong></td></tr>
</mj-table>
<mj-text>We will let you know when it is on its way.</mj-text>`,
    text: `Thank you for your order {{order.number}}.

{{#order.items}}- {{name}} × {{quantity}}: {{total}}
{{/order.items}}
Total: {{order.total}}

We will let you know when it is on its way.`,
    footer: '{{store.name}}',
  },
  fr: {
    subject: 'Votre commande {{order.number}} chez {{store.name}}',
    mjml: `<mj-text>Merci pour votre commande <strong>{{order.number}}</strong>.</mj-text>
<mj-table>
  <tr style="border-bottom:1px solid #e4e4e7;text-align:left"><th>Article</th><th>Qté</th><th style="text-align:right">Total</th></tr>
  {{#order.items}}<tr><td>{{name}}</td><td>{{quantity}}</td><td style="text-align:right">{{total}}</td></tr>{{/order.items}}
  <tr style="border-top:1px solid #e4e4e7"><td colspan="2"><strong>Total</strong></td><td style="text-align:right"><strong>{{order.total}}</strong></td></tr>
</mj-table>
<mj-text>Nous vous préviendrons dès son expédition.</mj-text>`,
    text: `Merci pour votre commande {{order.number}}.

{{#order.items}}- {{name}} × {{quantity}} : {{total}}
{{/order.items}}
Total : {{order.total}}

Nous vous préviendrons dès son expédition.`,
    footer: '{{store.name}}',
  },
};

/** Built-in variants by template and locale; `en` is the fallback of every template. */
export const BUILT_IN: Record<TemplateName, Record<string, TemplateVariant & { footer: string }>> = {
  audience_confirmation: confirmation,
  order_confirmation: order,
  booking_confirmation: bookingConfirmation,
  booking_reminder: bookingReminder,
};

/** Data the preview renders with. */
export const SAMPLES: Record<TemplateName, Record<string, unknown>> = {
  audience_confirmation: {
    list: { name: 'Newsletter', key: 'newsletter' },
    confirm_url: 'https://shop.example/newsletter/confirm?token=sample',
    unsubscribe_url: 'https://shop.example/unsubscribe?token=sample',
  },
  order_confirmation: {
    order: {
      number: '1001',
      items: [
        { name: 'Mug', quantity: 2, total: '30.00 USD' },
        { name: 'Tea', quantity: 1, total: '8.50 USD' },
      ],
      total: '38.50 USD',
    },
  },
  ...bookingSamples,
};
