import type { Webhook, WebhookDelivery, WebhookEventSubscription } from '@openarky/contract';
import type { Config } from '../../config.ts';
import { fromJson } from '../../lib/json.ts';
import { unseal } from '../../lib/sealed.ts';
import type { WebhookDeliveryTable, WebhookTable } from './webhook.table.ts';

/** The wire Webhook; its secret is readable by the store's admins (seed 000), sealed at rest. */
export function toWebhook(row: WebhookTable, config: Config): Webhook {
  return {
    id: row.id,
    store_id: row.store_id,
    key: row.key,
    url: row.url,
    events: fromJson<WebhookEventSubscription[]>(row.events, []),
    headers: fromJson<Record<string, string>>(row.headers, {}),
    secret: unseal(config, row.secret_sealed),
    enabled: row.enabled === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toDelivery(row: Omit<WebhookDeliveryTable, 'seq'>): WebhookDelivery {
  return {
    id: row.id,
    webhook_id: row.webhook_id,
    event_id: row.event_id,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    next_attempt_at: row.status === 'pending' ? row.next_attempt_at : null,
    delivered_at: row.delivered_at,
    created_at: row.created_at,
  };
}
