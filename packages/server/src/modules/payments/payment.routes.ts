import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StoreIdParams, StripeWebhookAck } from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { receivePlatformEvent } from './billing.webhook.ts';
import { receiveStoreEvent } from './stripe-events.service.ts';

const tags = ['payments'];
const WEBHOOK_BODY_LIMIT = 512 * 1024;

/**
 * Stripe webhooks (CONTRACT §6.5). Stripe signs the exact bytes it sends, so in this plugin's
 * scope every body is kept raw (a Buffer) for `constructEvent`; no JSON parser runs first. They
 * are authenticated by that signature alone (no token), with the store's integration secret or
 * the platform's STRIPE_WEBHOOK_SECRET.
 */
export const paymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/v1/stores/:storeId/payments/stripe/webhook',
    {
      schema: {
        tags,
        summary: 'Stripe webhook of a store (signed with its integration’s webhook_secret)',
        params: StoreIdParams,
        response: { 200: StripeWebhookAck, ...errorResponses },
      },
    },
    async (req) =>
      receiveStoreEvent(
        req.ctx,
        req.params.storeId,
        req.body as Buffer | undefined,
        req.headers['stripe-signature'],
      ),
  );
  app.post(
    '/v1/platform/billing/stripe/webhook',
    {
      schema: {
        tags,
        summary: 'Stripe webhook of platform billing (subscriptions)',
        response: { 200: StripeWebhookAck, ...errorResponses },
      },
    },
    async (req) =>
      receivePlatformEvent(req.ctx, req.body as Buffer | undefined, req.headers['stripe-signature']),
  );
};
