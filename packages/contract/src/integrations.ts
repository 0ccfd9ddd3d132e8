import { Type, type Static } from '@sinclair/typebox';
import { Key, StringEnum, Timestamp } from './common.ts';

export const INTEGRATION_CATEGORIES = [
  'payment',
  'shipping',
  'oauth',
  'channel',
  'ai',
  'email',
  'messaging',
  'deploy',
  'other',
] as const;
export const IntegrationCategory = StringEnum(INTEGRATION_CATEGORIES);

/** `{ type, ...fields of CONTRACT §10.3 }`; which fields apply is decided by `type` on the server. */
export const IntegrationProvider = Type.Object(
  { type: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: true },
);

/** Write-only (✱) fields never appear here. */
export const Integration = Type.Object(
  {
    id: Type.String(),
    store_id: Type.String(),
    key: Type.String(),
    category: IntegrationCategory,
    provider: IntegrationProvider,
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'Integration' },
);
export type Integration = Static<typeof Integration>;

export const CreateIntegrationBody = Type.Object({ key: Key(), provider: IntegrationProvider });
export const UpdateIntegrationBody = Type.Object({
  key: Type.Optional(Key()),
  provider: Type.Optional(IntegrationProvider),
});

export const IntegrationParams = Type.Object({ storeId: Type.String(), id: Type.String() });
export const IntegrationConfigParams = Type.Object({
  storeId: Type.String(),
  type: StringEnum(['payment', 'shipping', 'analytics'] as const),
});

export const IntegrationConfig = Type.Object(
  {
    integration_id: Type.String(),
    key: Type.String(),
    category: IntegrationCategory,
    provider: IntegrationProvider,
  },
  { title: 'IntegrationConfig' },
);

const Operation = Type.Object({
  name: Type.String(),
  value: Type.String(),
  description: Type.Optional(Type.String()),
  method: Type.String(),
  url: Type.String(),
  body: Type.Optional(Type.Unknown()),
  headers: Type.Optional(Type.Record(Type.String(), Type.String())),
});
const Trigger = Type.Object({
  name: Type.String(),
  value: Type.String(),
  description: Type.String(),
  webhook_type: Type.String(),
  webhookType: Type.String(),
});

/** A provider type the server knows (CONTRACT §10.5), with the camelCase duplicates 0.9.x reads. */
export const IntegrationService = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    icon: Type.String(),
    color: Type.String(),
    category: StringEnum([
      'ai',
      'communication',
      'email',
      'productivity',
      'payments',
      'crm',
      'ecommerce',
      'developer',
      'storage',
      'analytics',
      'deploy',
      'core',
    ] as const),
    integration_category: IntegrationCategory,
    configuration_required: Type.Boolean(),
    configurationRequired: Type.Boolean(),
    website: Type.Optional(Type.String()),
    docs_url: Type.Optional(Type.String()),
    docsUrl: Type.Optional(Type.String()),
    url_patterns: Type.Array(Type.String()),
    urlPatterns: Type.Array(Type.String()),
    fields: Type.Array(
      Type.Object({
        name: Type.String(),
        required: Type.Boolean(),
        write_only: Type.Boolean(),
        type: Type.String(),
      }),
    ),
    resources: Type.Array(
      Type.Object({ name: Type.String(), value: Type.String(), operations: Type.Array(Operation) }),
    ),
    triggers: Type.Optional(Type.Array(Trigger)),
  },
  { title: 'IntegrationService' },
);
export type IntegrationService = Static<typeof IntegrationService>;

export const OAuthConnectBody = Type.Object({
  provider: Type.String({ minLength: 1, maxLength: 64 }),
  code: Type.String({ minLength: 1, maxLength: 4096 }),
  redirect_uri: Type.String({ minLength: 1, maxLength: 2048 }),
  store_id: Type.Optional(Type.String()),
});
export const OAuthDisconnectBody = Type.Object({
  provider: Type.String({ minLength: 1, maxLength: 64 }),
  store_id: Type.Optional(Type.String()),
});
export const Disconnected = Type.Object({ disconnected: Type.Literal(true) });
