import type { IntegrationService } from '@openarky/contract';

export type FieldKind = 'string' | 'boolean' | 'string[]' | 'currency' | 'url' | 'integer';

export interface FieldDef {
  name: string;
  kind: FieldKind;
  /** Write-only (✱): sealed at rest, never in a response, a log line or an error message. */
  secret?: boolean;
  required?: boolean;
  /** Set by OAuth connect only; ignored in create/update input. */
  oauth?: boolean;
}

export type Category =
  'payment' | 'shipping' | 'oauth' | 'channel' | 'ai' | 'email' | 'messaging' | 'deploy' | 'other';
type ServiceCategory = IntegrationService['category'];

export interface ProviderDef {
  type: string;
  category: Category;
  name: string;
  service: ServiceCategory;
  color: string;
  website?: string;
  fields: FieldDef[];
}

const apiKey: FieldDef = { name: 'api_key', kind: 'string', secret: true, required: true };
const req = (name: string, kind: FieldKind = 'string'): FieldDef => ({ name, kind, required: true });
const secret = (name: string): FieldDef => ({ name, kind: 'string', secret: true, required: true });

function def(
  type: string,
  name: string,
  category: Category,
  service: ServiceCategory,
  fields: FieldDef[],
  website?: string,
  color = '#64748b',
): ProviderDef {
  return { type, name, category, service, fields, color, ...(website ? { website } : {}) };
}

const deployHook = (type: string, name: string, website?: string) =>
  def(
    type,
    name,
    'deploy',
    'deploy',
    [{ name: 'url', kind: 'url', secret: true, required: true }],
    website,
    '#0f172a',
  );

/** Every provider type of CONTRACT §10.3 with its fields. */
export const PROVIDERS: readonly ProviderDef[] = [
  def(
    'stripe',
    'Stripe',
    'payment',
    'payments',
    [
      secret('secret_key'),
      req('publishable_key'),
      { name: 'webhook_secret', kind: 'string', secret: true },
      req('currency', 'currency'),
      { name: 'active_for_card_payments', kind: 'boolean' },
    ],
    'https://stripe.com',
    '#635bff',
  ),
  def(
    'shippo',
    'Shippo',
    'shipping',
    'ecommerce',
    [
      { name: 'api_token', kind: 'string', secret: true, required: true },
      { name: 'active_for_fulfillment', kind: 'boolean' },
    ],
    'https://goshippo.com',
  ),
  def(
    'google',
    'Google',
    'oauth',
    'productivity',
    [
      req('client_id'),
      secret('client_secret'),
      { name: 'scopes', kind: 'string[]' },
      { name: 'access_token', kind: 'string', secret: true, oauth: true },
      { name: 'refresh_token', kind: 'string', secret: true, oauth: true },
      { name: 'token_expires_at', kind: 'integer', oauth: true },
      { name: 'account_email', kind: 'string', oauth: true },
      { name: 'connected_at', kind: 'integer', oauth: true },
    ],
    'https://google.com',
    '#4285f4',
  ),
  def(
    'telegram_bot',
    'Telegram bot',
    'channel',
    'communication',
    [secret('bot_token'), { name: 'action', kind: 'string' }],
    'https://telegram.org',
    '#229ed9',
  ),
  def(
    'open_ai',
    'OpenAI',
    'ai',
    'ai',
    [apiKey, { name: 'model', kind: 'string' }],
    'https://openai.com',
    '#10a37f',
  ),
  def(
    'deep_seek',
    'DeepSeek',
    'ai',
    'ai',
    [apiKey, { name: 'model', kind: 'string' }],
    'https://deepseek.com',
    '#4d6bfe',
  ),
  def('resend', 'Resend', 'email', 'email', [apiKey], 'https://resend.com'),
  def('send_grid', 'SendGrid', 'email', 'email', [apiKey], 'https://sendgrid.com', '#1a82e2'),
  def('slack', 'Slack', 'messaging', 'communication', [apiKey], 'https://slack.com', '#4a154b'),
  def('discord', 'Discord', 'messaging', 'communication', [apiKey], 'https://discord.com', '#5865f2'),
  def('whats_app', 'WhatsApp', 'messaging', 'communication', [apiKey], 'https://whatsapp.com', '#25d366'),
  deployHook('vercel_deploy_hook', 'Vercel deploy hook', 'https://vercel.com'),
  deployHook('netlify_deploy_hook', 'Netlify build hook', 'https://netlify.com'),
  deployHook('cloudflare_deploy_hook', 'Cloudflare Pages deploy hook', 'https://pages.cloudflare.com'),
  deployHook('custom_deploy_hook', 'Custom deploy hook'),
  ...(
    [
      ['brave_search', 'Brave Search', 'developer'],
      ['airtable', 'Airtable', 'productivity'],
      ['linear', 'Linear', 'productivity'],
      ['git_hub', 'GitHub', 'developer'],
      ['git_lab', 'GitLab', 'developer'],
      ['dropbox', 'Dropbox', 'storage'],
      ['hub_spot', 'HubSpot', 'crm'],
      ['monday', 'monday.com', 'productivity'],
      ['click_up', 'ClickUp', 'productivity'],
      ['pipedrive', 'Pipedrive', 'crm'],
      ['calendly', 'Calendly', 'productivity'],
      ['typeform', 'Typeform', 'productivity'],
      ['webflow', 'Webflow', 'developer'],
      ['trello', 'Trello', 'productivity'],
      ['replicate', 'Replicate', 'ai'],
      ['asana', 'Asana', 'productivity'],
      ['brevo', 'Brevo', 'email'],
      ['intercom', 'Intercom', 'communication'],
      ['notion', 'Notion', 'productivity'],
      ['eleven_labs', 'ElevenLabs', 'ai'],
      ['mailchimp', 'Mailchimp', 'email'],
      ['zoom', 'Zoom', 'communication'],
      ['microsoft_teams', 'Microsoft Teams', 'communication'],
      ['firebase', 'Firebase', 'developer'],
      ['arky', 'Arky', 'core'],
    ] as const
  ).map(([type, name, service]) => def(type, name, 'other', service, [apiKey])),
  def('active_campaign', 'ActiveCampaign', 'other', 'crm', [apiKey, req('account_url')]),
  def('shopify', 'Shopify', 'other', 'ecommerce', [apiKey, req('store_domain')]),
  def('supabase', 'Supabase', 'other', 'developer', [apiKey, req('project_url')]),
  def('twilio', 'Twilio', 'other', 'communication', [req('account_sid'), secret('auth_token')]),
  def('jira', 'Jira', 'other', 'productivity', [req('email'), secret('api_token'), req('domain')]),
  def('woo_commerce', 'WooCommerce', 'other', 'ecommerce', [
    secret('consumer_key'),
    secret('consumer_secret'),
    req('store_url'),
  ]),
  def('freshdesk', 'Freshdesk', 'other', 'crm', [apiKey, req('domain')]),
  def('zendesk', 'Zendesk', 'other', 'crm', [secret('api_token'), req('email'), req('subdomain')]),
  def('salesforce', 'Salesforce', 'other', 'crm', [secret('access_token'), req('instance_url')]),
];

const BY_TYPE = new Map(PROVIDERS.map((p) => [p.type, p]));

export function providerDef(type: string): ProviderDef | undefined {
  return BY_TYPE.get(type);
}

/** `GET /v1/platform/integration-services` (CONTRACT §10.5; v1 lists no resources). */
export function integrationServices(): IntegrationService[] {
  return PROVIDERS.map((p) => {
    const required = p.fields.some((f) => f.required);
    return {
      id: p.type,
      name: p.name,
      description: `${p.name} (${p.category})`,
      icon: p.type,
      color: p.color,
      category: p.service,
      integration_category: p.category,
      configuration_required: required,
      configurationRequired: required,
      ...(p.website ? { website: p.website, docs_url: p.website, docsUrl: p.website } : {}),
      url_patterns: [],
      urlPatterns: [],
      fields: p.fields
        .filter((f) => !f.oauth)
        .map((f) => ({
          name: f.name,
          required: f.required ?? false,
          write_only: f.secret ?? false,
          type: f.kind,
        })),
      resources: [],
    };
  });
}
