import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  CreateWebhookBody,
  Deleted,
  DeliveryParams,
  ListDeliveriesQuery,
  Page,
  StoreIdParams,
  TestWebhookBody,
  TestWebhookResult,
  UpdateWebhookBody,
  Webhook,
  WebhookDelivery,
  WebhookEventList,
  WebhookParams,
  WEBHOOK_EVENTS,
} from '@openarky/contract';
import { withTx } from '../../lib/context.ts';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped } from '../tenancy/index.ts';
import { listDeliveries, redeliver } from './webhook.delivery.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  testWebhook,
  updateWebhook,
} from './webhook.service.ts';

const tags = ['webhooks'];

/** Webhook CRUD, test, delivery log and redelivery (CONTRACT §10.1), and the event catalogue (§10.5). */
export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/platform/events',
    {
      schema: {
        tags: ['platform'],
        summary: 'Every webhook event name',
        security: [],
        response: { 200: WebhookEventList, ...errorResponses },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      // Generated from the contract's event map (emitted events, then the accepted later ones).
      return { data: [...WEBHOOK_EVENTS] };
    },
  );

  await storeScoped(app, async (scoped) => {
    scoped.get(
      '/v1/stores/:storeId/webhooks',
      {
        schema: {
          tags,
          summary: 'List webhooks',
          params: StoreIdParams,
          response: { 200: Type.Array(Webhook), ...errorResponses },
        },
      },
      async (req) => listWebhooks(req.storeCtx),
    );

    scoped.post(
      '/v1/stores/:storeId/webhooks/test',
      {
        schema: {
          tags,
          summary: 'Send one test delivery and report the answer',
          params: StoreIdParams,
          body: TestWebhookBody,
          response: { 200: TestWebhookResult, ...errorResponses },
        },
      },
      async (req) => testWebhook(req.storeCtx, req.body),
    );

    scoped.post(
      '/v1/stores/:storeId/webhooks',
      {
        schema: {
          tags,
          summary: 'Create a webhook',
          params: StoreIdParams,
          body: CreateWebhookBody,
          response: { 201: Webhook, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await createWebhook(req.storeCtx, req.body)),
    );

    scoped.get(
      '/v1/stores/:storeId/webhooks/:id',
      {
        schema: {
          tags,
          summary: 'Get a webhook',
          params: WebhookParams,
          response: { 200: Webhook, ...errorResponses },
        },
      },
      async (req) => getWebhook(req.storeCtx, req.params.id),
    );

    scoped.put(
      '/v1/stores/:storeId/webhooks/:id',
      {
        schema: {
          tags,
          summary: 'Update a webhook',
          params: WebhookParams,
          body: UpdateWebhookBody,
          response: { 200: Webhook, ...errorResponses },
        },
      },
      async (req) => updateWebhook(req.storeCtx, req.params.id, req.body),
    );

    scoped.delete(
      '/v1/stores/:storeId/webhooks/:id',
      {
        schema: {
          tags,
          summary: 'Delete a webhook and its delivery log',
          params: WebhookParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await deleteWebhook(req.storeCtx, req.params.id);
        return { deleted: true as const };
      },
    );

    scoped.get(
      '/v1/stores/:storeId/webhooks/:id/deliveries',
      {
        schema: {
          tags,
          summary: 'Delivery log with attempts',
          params: WebhookParams,
          querystring: ListDeliveriesQuery,
          response: { 200: Page(WebhookDelivery), ...errorResponses },
        },
      },
      async (req) => {
        await getWebhook(req.storeCtx, req.params.id);
        return listDeliveries(req.storeCtx.db, req.params.id, req.query);
      },
    );

    scoped.post(
      '/v1/stores/:storeId/webhooks/:id/deliveries/:deliveryId/redeliver',
      {
        schema: {
          tags,
          summary: 'Send a delivery again',
          params: DeliveryParams,
          response: { 200: WebhookDelivery, ...errorResponses },
        },
      },
      async (req) => {
        await getWebhook(req.storeCtx, req.params.id);
        // One recorded phase: a retry after a crash answers the same without queueing it again.
        return withTx(req.storeCtx, (tx) => redeliver(tx.db, req.params.id, req.params.deliveryId, tx.now()));
      },
    );
  });
};
