import { WEBHOOK_EVENTS, type WebhookEventSubscription } from '@openarky/contract';
import { validationError, type FieldError } from '../../lib/errors.ts';

const KNOWN = new Set<string>(WEBHOOK_EVENTS);

type EventInput = string | { event: string; parent_id?: string | undefined; key?: string | undefined };

/**
 * Plain names become `{ event }` (CONTRACT §12 row 13); unknown names are refused with the path
 * of the offending item. Filters other than `parent_id` and `key` are dropped.
 */
export function normalizeEvents(input: EventInput[], path: string): WebhookEventSubscription[] {
  const errors: FieldError[] = [];
  const out: WebhookEventSubscription[] = [];
  input.forEach((item, i) => {
    const sub = typeof item === 'string' ? { event: item } : item;
    const event = sub.event.trim().toLowerCase();
    if (!KNOWN.has(event)) {
      const field = typeof item === 'string' ? `${path}.${i}` : `${path}.${i}.event`;
      errors.push({
        field,
        reason: 'invalid_value',
        message: `${event} is not a webhook event (see GET /v1/platform/events)`,
      });
      return;
    }
    out.push({
      event,
      ...(sub.parent_id !== undefined ? { parent_id: sub.parent_id } : {}),
      ...(sub.key !== undefined ? { key: sub.key } : {}),
    });
  });
  if (errors.length) throw validationError(errors);
  return out;
}

/** Whether an event with this entity matches a subscription (name and every filter it sets). */
export function matches(sub: WebhookEventSubscription, type: string, data: unknown): boolean {
  if (sub.event !== type) return false;
  const entity = (data ?? {}) as Record<string, unknown>;
  if (sub.parent_id !== undefined && entity.parent_id !== sub.parent_id) return false;
  if (sub.key !== undefined && entity.key !== sub.key) return false;
  return true;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** Headers the delivery sets itself; a webhook's own headers cannot replace them. */
export const RESERVED_HEADERS = new Set([
  'content-type',
  'content-length',
  'host',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-arky-event',
  'x-arky-attempt',
  'x-arky-delivery',
  'transfer-encoding',
  'connection',
]);

export function checkHeaders(headers: Record<string, string>, path: string): Record<string, string> {
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) errors.push({ field: `${path}.${name}`, reason: 'invalid_header_name' });
    else if (RESERVED_HEADERS.has(name.toLowerCase()))
      errors.push({ field: `${path}.${name}`, reason: 'reserved_header' });
    else if (/[\r\n\0]/.test(value))
      errors.push({ field: `${path}.${name}`, reason: 'invalid_header_value' });
  }
  if (errors.length > 20) errors.length = 20;
  if (Object.keys(headers).length > 50) errors.push({ field: path, reason: 'max_items' });
  if (errors.length) throw validationError(errors);
  return headers;
}
