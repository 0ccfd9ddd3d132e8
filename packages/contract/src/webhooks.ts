import { Type, type Static } from '@sinclair/typebox';
import { Key, Nullable, PageQuery, StringEnum, Timestamp } from './common.ts';

/** `{ event, ...filter }` (sdk); filters: `parent_id` (node.created), `key` (node.updated/deleted). */
export const WebhookEventSubscription = Type.Object({
  event: Type.String(),
  parent_id: Type.Optional(Type.String()),
  key: Type.Optional(Type.String()),
});
export type WebhookEventSubscription = Static<typeof WebhookEventSubscription>;

/** Input form: a subscription object or a plain event name (seed 000 writes strings). */
const EventInput = Type.Union([Type.String({ minLength: 1, maxLength: 100 }), WebhookEventSubscription]);
const Headers = Type.Record(Type.String(), Type.String({ maxLength: 4096 }));
const Url = Type.String({ minLength: 1, maxLength: 2048 });

export const Webhook = Type.Object(
  {
    id: Type.String(),
    store_id: Type.String(),
    key: Type.String(),
    url: Type.String(),
    events: Type.Array(WebhookEventSubscription),
    headers: Type.Record(Type.String(), Type.String()),
    secret: Type.String(),
    enabled: Type.Boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'Webhook' },
);
export type Webhook = Static<typeof Webhook>;

export const CreateWebhookBody = Type.Object({
  key: Key(),
  url: Url,
  events: Type.Array(EventInput, { minItems: 1, maxItems: 100 }),
  headers: Type.Optional(Headers),
  secret: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  enabled: Type.Optional(Type.Boolean()),
});

export const UpdateWebhookBody = Type.Object({
  key: Type.Optional(Key()),
  url: Type.Optional(Url),
  events: Type.Optional(Type.Array(EventInput, { minItems: 1, maxItems: 100 })),
  headers: Type.Optional(Headers),
  secret: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  enabled: Type.Optional(Type.Boolean()),
});

export const TestWebhookBody = Type.Object({
  webhook: Type.Object({
    url: Url,
    events: Type.Array(EventInput, { minItems: 1, maxItems: 100 }),
    secret: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    headers: Type.Optional(Headers),
  }),
});

export const TestWebhookResult = Type.Object({
  tested: Type.Boolean(),
  status_code: Type.Optional(Type.Integer()),
  error: Type.Optional(Type.String()),
});

export const WebhookParams = Type.Object({ storeId: Type.String(), id: Type.String() });
export const DeliveryParams = Type.Object({
  storeId: Type.String(),
  id: Type.String(),
  deliveryId: Type.String(),
});

export const WebhookDeliveryStatus = StringEnum(['pending', 'delivered', 'failed'] as const);

/** One event's delivery to one webhook, with its attempts (CONTRACT §10.1). */
export const WebhookDelivery = Type.Object(
  {
    id: Type.String(),
    webhook_id: Type.String(),
    event_id: Type.String(),
    event: Type.String(),
    status: WebhookDeliveryStatus,
    attempts: Type.Integer(),
    last_status_code: Nullable(Type.Integer()),
    last_error: Nullable(Type.String()),
    next_attempt_at: Nullable(Timestamp),
    delivered_at: Nullable(Timestamp),
    created_at: Timestamp,
  },
  { title: 'WebhookDelivery' },
);
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const ListDeliveriesQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(WebhookDeliveryStatus),
  sort_field: Type.Optional(StringEnum(['created_at'] as const)),
});

export const WebhookEventList = Type.Object({ data: Type.Array(Type.String()) });
