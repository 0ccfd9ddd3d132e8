import { Type, type Static, type TObject } from '@sinclair/typebox';
import { Product } from './catalog.ts';
import { Media, Node } from './cms.ts';
import { Cart } from './commerce.ts';
import { Role } from './identity.ts';
import { Order } from './orders.ts';
import { Provider, Service } from './booking.ts';
import { Store } from './store.ts';
import { FormSubmission } from './forms.ts';
import { Membership, ProfileList } from './audiences.ts';

/** `data` of a delete event: the entity's id (and key when it has one). */
export const DeletedEntity = Type.Object({
  id: Type.String(),
  key: Type.Optional(Type.String()),
  store_id: Type.Optional(Type.String()),
});

/** `account.updated`: a store membership was added, changed or removed (CONTRACT §4). */
export const AccountUpdated = Type.Object({
  id: Type.String(),
  email: Type.Optional(Type.String()),
  store_id: Type.String(),
  role: Type.Optional(Type.Union([Role, Type.String()])),
  action: Type.Union([Type.Literal('added'), Type.Literal('role_changed'), Type.Literal('removed')]),
});

export const CartConverted = Type.Object({
  id: Type.String(),
  store_id: Type.String(),
  converted_order_id: Type.String(),
});

/** `order.reminder`: the order, and which booked slot's reminder fell due (CONTRACT §7.2). */
export const OrderReminder = Type.Intersect([
  Order,
  Type.Object({
    reminder: Type.Object({ item_id: Type.String(), minutes: Type.Integer(), due_at: Type.Integer() }),
  }),
]);
export const OrderRefunded = Type.Intersect([
  Order,
  Type.Object({ refund: Type.Object({ amount: Type.Integer() }) }),
]);

/**
 * Every event the server emits, with the schema of its `data` (CONTRACT §10.1). `emit` accepts
 * only these names with their payload type; `/v1/platform/events` and the OpenAPI `webhooks`
 * section are generated from this map.
 */
export const EVENT_PAYLOADS = {
  'node.created': Node,
  'node.updated': Node,
  'node.deleted': DeletedEntity,
  'product.created': Product,
  'product.updated': Product,
  'product.deleted': DeletedEntity,
  'order.created': Order,
  'order.updated': Order,
  'order.reminder': OrderReminder,
  'order.paid': Order,
  'order.cancelled': Order,
  'order.confirmed': Order,
  'order.payment_received': Order,
  'order.payment_failed': Order,
  'order.refunded': OrderRefunded,
  'cart.created': Cart,
  'cart.updated': Cart,
  'cart.abandoned': Cart,
  'cart.converted': CartConverted,
  'service.created': Service,
  'service.updated': Service,
  'service.deleted': DeletedEntity,
  'provider.created': Provider,
  'provider.updated': Provider,
  'provider.deleted': DeletedEntity,
  'media.created': Media,
  'media.deleted': DeletedEntity,
  'store.created': Store,
  'store.updated': Store,
  'store.deleted': DeletedEntity,
  'account.updated': AccountUpdated,
  'form_submission.created': FormSubmission,
  'audience.subscriber_added': Type.Object({ list: ProfileList, membership: Membership }),
} as const satisfies Record<string, TObject | ReturnType<typeof Type.Intersect>>;

/** A name the server emits. */
export type EventName = keyof typeof EVENT_PAYLOADS;
/** The `data` of event `E`. */
export type EventPayload<E extends EventName> = Static<(typeof EVENT_PAYLOADS)[E]>;
export const EVENT_NAMES = Object.keys(EVENT_PAYLOADS) as EventName[];

/** Accepted as subscriptions but not emitted in v1 (CONTRACT §10.1 "later", §13). */
export const LATER_EVENTS = [
  'order.shipment_created',
  'order.shipment_in_transit',
  'order.shipment_out_for_delivery',
  'order.shipment_delivered',
  'order.shipment_failed',
  'order.shipment_returned',
  'order.shipment_status_changed',
  'profile_list.created',
  'profile_list.updated',
  'profile_list.profile_added',
  'profile_list.profile_pending',
  'profile_list.profile_confirmed',
  'profile_list.profile_cancelled',
] as const;

/** Every event a webhook may subscribe to (CONTRACT §10.1): the emitted ones, then the later ones. */
export const WEBHOOK_EVENTS: readonly (EventName | (typeof LATER_EVENTS)[number])[] = [
  ...EVENT_NAMES,
  ...LATER_EVENTS,
];
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];
