import type { Generated } from 'kysely';

export interface WebhookTable {
  id: string;
  store_id: string;
  key: string;
  url: string;
  /** JSON WebhookEventSubscription[] */
  events: string;
  /** JSON Record<string,string> */
  headers: string;
  /** The signing secret, sealed with the server's encryption key. */
  secret_sealed: string;
  enabled: number;
  /** Outbox seq at creation: events at or below it were written before the webhook existed. */
  since_seq: number;
  created_at: number;
  updated_at: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryTable {
  seq: Generated<number>;
  id: string;
  webhook_id: string;
  store_id: string;
  event_id: string;
  event: string;
  /** The exact JSON body sent on every attempt. */
  payload: string;
  /** Target snapshot, used when the webhook row no longer exists (store.deleted). */
  url: string;
  headers: string;
  secret_sealed: string;
  /**
   * Deliveries with the same key are sent in creation order, one failing holding back only the
   * later ones of its key: the event's entity (`data.id`). Null (rows from before 0008): the webhook.
   */
  ordering_key: string | null;
  status: DeliveryStatus;
  attempts: number;
  max_attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: number | null;
  locked_by: string | null;
  locked_until: number | null;
  delivered_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookTables {
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
}
