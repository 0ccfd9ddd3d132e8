import type { PageOf, Webhook, WebhookDelivery, WebhookEventSubscription } from '@openarky/contract';
import type { PageRequest } from '../paginate.ts';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { Deleted, StoreParam } from '../params.ts';

export type { Webhook, WebhookDelivery, WebhookEventSubscription };

/** `{ event, ...filter }` or a plain event name (seed 000 writes strings; CONTRACT §12 row 13). */
export type WebhookEventInput = string | WebhookEventSubscription;

export interface WebhookInput {
  key: string;
  url: string;
  events: WebhookEventInput[];
  headers: Record<string, string>;
  secret: string;
  enabled: boolean;
}

/** Webhook methods of `sdk.store` (CONTRACT §10.1). */
export function webhookMethods(t: Transport) {
  return {
    /** Every webhook of the store (a bare array). */
    listWebhooks: (params: StoreParam = {}): Promise<Result<Webhook[]>> => {
      const { storeId } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/stores/${storeId}/webhooks` });
    },
    /** Creates a webhook; seed 000 requires every field. */
    createWebhook: (params: WebhookInput & StoreParam): Promise<Result<Webhook>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/webhooks`, body: rest });
    },
    /** Replaces the given fields of webhook `id`. */
    updateWebhook: (
      params: Partial<WebhookInput> & { id: string } & StoreParam,
    ): Promise<Result<Webhook>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({ method: 'PUT', path: path`/v1/stores/${storeId}/webhooks/${String(id)}`, body });
    },
    deleteWebhook: (params: { id: string } & StoreParam): Promise<Result<Deleted>> => {
      const { storeId } = t.scope(params);
      return t.request({ method: 'DELETE', path: path`/v1/stores/${storeId}/webhooks/${params.id}` });
    },
    /** Sends one test delivery of the first event; reports whether the receiver answered 2xx. */
    testWebhook: (
      params: {
        webhook: {
          url: string;
          events: WebhookEventInput[];
          secret?: string;
          headers?: Record<string, string>;
        };
      } & StoreParam,
    ): Promise<Result<{ tested: boolean; status_code?: number; error?: string }>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/webhooks/test`, body: rest });
    },
    /** The delivery log of webhook `id` with attempts, last status and next attempt. */
    getWebhookDeliveries: (
      params: {
        id: string;
        limit?: number;
        cursor?: string | null;
        status?: 'pending' | 'delivered' | 'failed';
      } & StoreParam,
    ): PageRequest<WebhookDelivery> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...query } = rest;
      return t.list<WebhookDelivery>(path`/v1/stores/${storeId}/webhooks/${String(id)}/deliveries`, query);
    },
    /** Queues delivery `deliveryId` of webhook `id` again. */
    redeliverWebhook: (
      params: { id: string; deliveryId: string } & StoreParam,
    ): Promise<Result<WebhookDelivery>> => {
      const { storeId } = t.scope(params);
      return t.request({
        method: 'POST',
        path: path`/v1/stores/${storeId}/webhooks/${params.id}/deliveries/${params.deliveryId}/redeliver`,
      });
    },
  };
}

export type WebhookPage = PageOf<WebhookDelivery>;
