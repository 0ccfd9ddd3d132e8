import { Type } from '@sinclair/typebox';
import type { OpenAPIV3_1 } from 'openapi-types';
import { EVENT_PAYLOADS, LATER_EVENTS, type EventName } from '@openarky/contract';

/**
 * The OpenAPI 3.1 `webhooks` section, generated from the contract's event map: one entry per
 * event, its body the delivery envelope (CONTRACT §10.1) with the event's `data` schema.
 */
export function webhookDocs(): Record<string, OpenAPIV3_1.PathItemObject> {
  const out: Record<string, OpenAPIV3_1.PathItemObject> = {};
  for (const [event, data] of Object.entries(EVENT_PAYLOADS) as [
    EventName,
    (typeof EVENT_PAYLOADS)[EventName],
  ][]) {
    const envelope = Type.Object({
      id: Type.String({ description: 'Event id (also the `webhook-id` header), stable across retries' }),
      event: Type.Literal(event),
      store_id: Type.String(),
      created_at: Type.Integer(),
      data,
    });
    out[event] = {
      post: {
        summary: event,
        description: `Delivered to every enabled webhook subscribed to \`${event}\`, signed per Standard Webhooks.`,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: JSON.parse(JSON.stringify(envelope)) } },
        },
        responses: { '2XX': { description: 'Delivered; anything else is retried with backoff' } },
      },
    };
  }
  for (const event of LATER_EVENTS) {
    out[event] = {
      post: {
        summary: event,
        description: 'Accepted as a subscription; not emitted by this version.',
        responses: { '2XX': { description: 'Delivered' } },
      },
    };
  }
  return out;
}
