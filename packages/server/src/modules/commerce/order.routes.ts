import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CheckoutBody,
  CheckoutResult,
  LegacyCheckoutBody,
  LegacyQuoteBody,
  ListOrdersQuery,
  Order,
  OrderParams,
  Page,
  Quote,
  QuoteBody,
  RefundBody,
  StoreIdParams,
  StoreRefundBody,
  UpdateOrderBody,
} from '@openarky/contract';
import type { Ctx } from '../../lib/context.ts';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped } from '../tenancy/index.ts';
import { storefrontScoped } from '../tenancy/index.ts';
import { requireProfile, resolveBuyer } from './access.ts';
import { checkout } from './checkout.service.ts';
import { findOrders, getOrder, refundOrder, updateOrder } from './order.service.ts';
import { computeQuote } from './quote.service.ts';

const tags = ['orders'];

/** Quote and checkout for members and for profile tokens of the store (CONTRACT §1.1 exception). */
export async function quoteFor(
  req: { ctx: Ctx; authFailure?: string | undefined },
  storeId: string,
  body: QuoteBody,
) {
  const buyer = await resolveBuyer(req.ctx, storeId, req.authFailure, 'read');
  const profileId = buyer.kind === 'profile' ? buyer.profileId : null;
  return (await computeQuote(buyer.ctx, storeId, body, { trusted: buyer.kind === 'admin', profileId })).quote;
}

export async function checkoutFor(
  req: { ctx: Ctx; authFailure?: string | undefined },
  storeId: string,
  body: CheckoutBody,
) {
  const buyer = await resolveBuyer(req.ctx, storeId, req.authFailure, 'write');
  const profileId = buyer.kind === 'profile' ? buyer.profileId : null;
  return checkout(buyer.ctx, storeId, body, { trusted: buyer.kind === 'admin', profileId });
}

/** Orders, quotes, checkout and refunds (CONTRACT §6.3, §6.4, §6.6, §6.7). */
export const orderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/stores/:storeId/orders/quote',
    {
      schema: {
        tags,
        summary: 'Quote items (members or a profile token of the store)',
        params: StoreIdParams,
        body: QuoteBody,
        response: { 200: Quote, ...errorResponses },
      },
    },
    async (req) => quoteFor(req, req.params.storeId, req.body),
  );
  app.post(
    '/v1/stores/:storeId/orders/checkout',
    {
      schema: {
        tags,
        summary: 'Check items out (members or a profile token of the store)',
        params: StoreIdParams,
        body: CheckoutBody,
        response: { 201: CheckoutResult, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await checkoutFor(req, req.params.storeId, req.body)),
  );

  await storeScoped(app, async (s) => {
    s.get(
      '/v1/stores/:storeId/orders',
      {
        schema: {
          tags,
          summary: 'Find orders',
          params: StoreIdParams,
          querystring: ListOrdersQuery,
          response: { 200: Page(Order), ...errorResponses },
        },
      },
      async (req) => findOrders(req.storeCtx, req.storeCtx.store.id, req.query),
    );
    s.get(
      '/v1/stores/:storeId/orders/:id',
      {
        schema: {
          tags,
          summary: 'Get an order',
          params: OrderParams,
          response: { 200: Order, ...errorResponses },
        },
      },
      async (req) => getOrder(req.storeCtx, req.storeCtx.store.id, req.params.id),
    );
    s.put(
      '/v1/stores/:storeId/orders/:id',
      {
        schema: {
          tags,
          summary: 'Update an order (workflow through the transition table)',
          params: OrderParams,
          body: UpdateOrderBody,
          response: { 200: Order, ...errorResponses },
        },
      },
      async (req) => updateOrder(req.storeCtx, req.storeCtx.store.id, req.params.id, req.body),
    );
    s.post(
      '/v1/stores/:storeId/orders/:id/refund',
      {
        schema: {
          tags,
          summary: 'Refund part of an order',
          params: OrderParams,
          body: RefundBody,
          response: { 200: Order, ...errorResponses },
        },
      },
      async (req) => refundOrder(req.storeCtx, req.storeCtx.store.id, req.params.id, req.body.amount),
    );
    s.post(
      '/v1/stores/:storeId/refund',
      {
        schema: {
          tags,
          summary: 'Refund part of an order (order id in the body)',
          params: StoreIdParams,
          body: StoreRefundBody,
          response: { 200: Order, ...errorResponses },
        },
      },
      async (req) => refundOrder(req.storeCtx, req.storeCtx.store.id, req.body.entity, req.body.amount),
    );
  });

  await storefrontScoped(app, async (shop) => {
    const sf = ['storefront'];
    shop.get(
      '/v1/storefront/:storeId/orders',
      {
        schema: {
          tags: sf,
          summary: 'The caller’s own orders',
          params: StoreIdParams,
          querystring: ListOrdersQuery,
          response: { 200: Page(Order), ...errorResponses },
        },
      },
      async (req) => {
        return findOrders(
          req.ctx,
          req.params.storeId,
          req.query,
          requireProfile(req.ctx, req.params.storeId, req.authFailure),
        );
      },
    );
    shop.get(
      '/v1/storefront/:storeId/orders/:id',
      {
        schema: {
          tags: sf,
          summary: 'One of the caller’s own orders',
          params: OrderParams,
          response: { 200: Order, ...errorResponses },
        },
      },
      async (req) => {
        return getOrder(
          req.ctx,
          req.params.storeId,
          req.params.id,
          requireProfile(req.ctx, req.params.storeId, req.authFailure),
        );
      },
    );
  });
  // Seed 002 routes: store from the path or from businessId/store_id in the body.
  const legacy = ['legacy'];
  app.post(
    '/v1/payments/quote',
    {
      schema: {
        tags: legacy,
        summary: 'Quote (older clients; same as POST /v1/stores/{storeId}/orders/quote)',
        body: LegacyQuoteBody,
        response: { 200: Quote, ...errorResponses },
      },
    },
    async (req) => quoteFor(req, req.body.store_id, req.body),
  );
  app.post(
    '/v1/businesses/:storeId/orders/checkout',
    {
      schema: {
        tags: legacy,
        summary: 'Checkout (older clients; same as POST /v1/stores/{storeId}/orders/checkout)',
        params: StoreIdParams,
        body: CheckoutBody,
        response: { 201: CheckoutResult, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await checkoutFor(req, req.params.storeId, req.body)),
  );
  app.post(
    '/v1/reservations/checkout',
    {
      schema: {
        tags: legacy,
        summary: 'Checkout (older clients; the store comes from `businessId` or `store_id`)',
        body: LegacyCheckoutBody,
        response: { 201: CheckoutResult, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await checkoutFor(req, req.body.store_id, req.body)),
  );
};
