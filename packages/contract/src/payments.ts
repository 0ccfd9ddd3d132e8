import { Type, type Static } from '@sinclair/typebox';

/** Answer to a verified Stripe webhook (CONTRACT §6.5); `duplicate` when the event was applied before. */
export const StripeWebhookAck = Type.Object({ received: Type.Literal(true), duplicate: Type.Boolean() });
export type StripeWebhookAck = Static<typeof StripeWebhookAck>;
