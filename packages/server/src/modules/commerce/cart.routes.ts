import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  AddCartItemBody,
  Cart,
  CartCheckoutBody,
  CartTokenQuery,
  CheckoutResult,
  CreateCartBody,
  CurrentCartBody,
  ListCartsQuery,
  OrderParams,
  Page,
  Quote,
  RemoveCartItemBody,
  StoreIdParams,
  UpdateCartBody,
} from '@openarky/contract';
import type { Ctx } from '../../lib/context.ts';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped, storefrontScoped, requireAccount, type StorefrontAccess } from '../tenancy/index.ts';
import { requireProfile } from './access.ts';
import {
  addCartItem,
  checkoutCart,
  clearCart,
  createCart,
  currentCart,
  getCart,
  quoteCart,
  removeCartItem,
  updateCart,
  type CartAccess,
} from './cart.service.ts';
import { findCarts } from './cart.list.ts';

const tags = ['carts'];

function adminAccess(req: FastifyRequest): CartAccess {
  const account = requireAccount(req.storeCtx);
  return { kind: 'admin', ctx: req.storeCtx, storeId: req.storeCtx.store.id, accountId: account.accountId };
}

function storefrontAccess(req: {
  ctx: Ctx;
  storefront: StorefrontAccess;
  query: { token?: string | undefined };
}): CartAccess {
  return {
    kind: 'storefront',
    ctx: req.ctx,
    storeId: req.storefront.store.id,
    profileId: req.storefront.profileId,
    token: req.query.token,
  };
}

/** Carts (CONTRACT §6.2): admin under the store guard, storefront by profile token or recovery token. */
export const cartRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storeScoped(app, async (s) => {
    s.get(
      '/v1/stores/:storeId/carts',
      {
        schema: {
          tags,
          summary: 'Find carts',
          params: StoreIdParams,
          querystring: ListCartsQuery,
          response: { 200: Page(Cart), ...errorResponses },
        },
      },
      async (req) => findCarts(req.storeCtx, req.storeCtx.store.id, req.query),
    );
    s.post(
      '/v1/stores/:storeId/carts',
      {
        schema: {
          tags,
          summary: 'Create a cart for a profile',
          params: StoreIdParams,
          body: CreateCartBody,
          response: { 201: Cart, ...errorResponses },
        },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(
            await createCart(
              req.storeCtx,
              req.storeCtx.store.id,
              requireAccount(req.storeCtx).accountId,
              req.body,
            ),
          ),
    );
    s.get(
      '/v1/stores/:storeId/carts/:id',
      {
        schema: {
          tags,
          summary: 'Get a cart',
          params: OrderParams,
          response: { 200: Cart, ...errorResponses },
        },
      },
      async (req) => getCart(adminAccess(req), req.params.id),
    );
    s.put(
      '/v1/stores/:storeId/carts/:id',
      {
        schema: {
          tags,
          summary: 'Update a cart',
          params: OrderParams,
          body: UpdateCartBody,
          response: { 200: Cart, ...errorResponses },
        },
      },
      async (req) => updateCart(adminAccess(req), req.params.id, req.body),
    );
    s.post(
      '/v1/stores/:storeId/carts/:id/items',
      {
        schema: {
          tags,
          summary: 'Add an item',
          params: OrderParams,
          body: AddCartItemBody,
          response: { 200: Cart, ...errorResponses },
        },
      },
      async (req) => addCartItem(adminAccess(req), req.params.id, req.body.item),
    );
    s.post(
      '/v1/stores/:storeId/carts/:id/items/remove',
      {
        schema: {
          tags,
          summary: 'Remove an item',
          params: OrderParams,
          body: RemoveCartItemBody,
          response: { 200: Cart, ...errorResponses },
        },
      },
      async (req) => removeCartItem(adminAccess(req), req.params.id, req.body),
    );
    s.post(
      '/v1/stores/:storeId/carts/:id/clear',
      {
        schema: {
          tags,
          summary: 'Remove every item',
          params: OrderParams,
          response: { 200: Cart, ...errorResponses },
        },
      },
      async (req) => clearCart(adminAccess(req), req.params.id),
    );
    s.post(
      '/v1/stores/:storeId/carts/:id/quote',
      {
        schema: {
          tags,
          summary: 'Quote the cart',
          params: OrderParams,
          response: { 200: Quote, ...errorResponses },
        },
      },
      async (req) => quoteCart(adminAccess(req), req.params.id),
    );
    s.post(
      '/v1/stores/:storeId/carts/:id/checkout',
      {
        schema: {
          tags,
          summary: 'Check the cart out',
          params: OrderParams,
          body: CartCheckoutBody,
          response: { 201: CheckoutResult, ...errorResponses },
        },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(await checkoutCart(adminAccess(req), req.params.id, req.body?.payment_method_id)),
    );
  });

  await storefrontScoped(app, async (shop) => {
    const sf = ['storefront'];
    shop.post(
      '/v1/storefront/:storeId/carts/current',
      {
        schema: {
          tags: sf,
          summary: 'The caller’s active cart (created when needed)',
          params: StoreIdParams,
          body: CurrentCartBody,
          response: { 200: Cart, ...errorResponses },
        },
      },
      async (req) => {
        return currentCart(
          req.ctx,
          req.params.storeId,
          requireProfile(req.ctx, req.params.storeId, req.authFailure),
          req.body?.market,
        );
      },
    );
    shop.get(
      '/v1/storefront/:storeId/carts/:id',
      {
        schema: {
          tags: sf,
          summary: 'Get an own cart (or by recovery token)',
          params: OrderParams,
          querystring: CartTokenQuery,
          response: { 200: Cart, ...errorResponses },
        },
      },
      async (req) => getCart(storefrontAccess(req), req.params.id),
    );
    shop.put(
      '/v1/storefront/:storeId/carts/:id',
      {
        schema: {
          tags: sf,
          summary: 'Update an own cart',
          params: OrderParams,
          querystring: CartTokenQuery,
          body: UpdateCartBody,
          response: { 200: Cart, ...errorResponses },
        },
      },
      async (req) => updateCart(storefrontAccess(req), req.params.id, req.body),
    );
    shop.post(
      '/v1/storefront/:storeId/carts/:id/items',
      {
        schema: {
          tags: sf,
          summary: 'Add an item',
          params: OrderParams,
          querystring: CartTokenQuery,
          body: AddCartItemBody,
          response: { 200: Cart, ...errorResponses },
        },
      },
      async (req) => addCartItem(storefrontAccess(req), req.params.id, req.body.item),
    );
    shop.post(
      '/v1/storefront/:storeId/carts/:id/items/remove',
      {
        schema: {
          tags: sf,
          summary: 'Remove an item',
          params: OrderParams,
          querystring: CartTokenQuery,
          body: RemoveCartItemBody,
          response: { 200: Cart, ...errorResponses },
        },
      },
      async (req) => removeCartItem(storefrontAccess(req), req.params.id, req.body),
    );
    shop.post(
      '/v1/storefront/:storeId/carts/:id/clear',
      {
        schema: {
          tags: sf,
          summary: 'Remove every item',
          params: OrderParams,
          querystring: CartTokenQuery,
          response: { 200: Cart, ...errorResponses },
        },
      },
      async (req) => clearCart(storefrontAccess(req), req.params.id),
    );
    shop.post(
      '/v1/storefront/:storeId/carts/:id/quote',
      {
        schema: {
          tags: sf,
          summary: 'Quote an own cart',
          params: OrderParams,
          querystring: CartTokenQuery,
          response: { 200: Quote, ...errorResponses },
        },
      },
      async (req) => quoteCart(storefrontAccess(req), req.params.id),
    );
    shop.post(
      '/v1/storefront/:storeId/carts/:id/checkout',
      {
        schema: {
          tags: sf,
          summary: 'Check an own cart out',
          params: OrderParams,
          querystring: CartTokenQuery,
          body: CartCheckoutBody,
          response: { 201: CheckoutResult, ...errorResponses },
        },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(await checkoutCart(storefrontAccess(req), req.params.id, req.body?.payment_method_id)),
    );
  });
};
