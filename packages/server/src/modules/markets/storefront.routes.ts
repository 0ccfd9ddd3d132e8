import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Location, LocationParams, Market, MarketParams, StoreIdParams } from '@openarky/contract';
import { notFound } from '../../lib/errors.ts';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { listLocations } from './location.repo.ts';
import { getLocation } from './location.service.ts';
import { findMarket, listMarkets } from './market.repo.ts';
import { storefrontScoped } from '../tenancy/index.ts';

const tags = ['storefront'];
const security: [] = [];

/** Public reads of a store's markets and locations (CONTRACT §5); 404 for an unknown or inactive store. */
export const storefrontMarketRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storefrontScoped(app, async (shop) => {
    shop.get(
      '/v1/storefront/:storeId/markets',
      {
        schema: {
          tags,
          summary: 'Markets of the store',
          security,
          params: StoreIdParams,
          response: { 200: Type.Array(Market), ...errorResponses },
        },
      },
      async (req) => listMarkets(req.ctx.db, req.storefront.store.id),
    );

    shop.get(
      '/v1/storefront/:storeId/markets/:id',
      {
        schema: {
          tags,
          summary: 'A market by id or key',
          security,
          params: MarketParams,
          response: { 200: Market, ...errorResponses },
        },
      },
      async (req) => {
        const market = await findMarket(req.ctx.db, req.storefront.store.id, req.params.id);
        if (!market) throw notFound('market', `No market ${req.params.id}`);
        return market;
      },
    );

    shop.get(
      '/v1/storefront/:storeId/locations',
      {
        schema: {
          tags,
          summary: 'Locations of the store',
          security,
          params: StoreIdParams,
          response: { 200: Type.Array(Location), ...errorResponses },
        },
      },
      async (req) => listLocations(req.ctx.db, req.storefront.store.id),
    );

    shop.get(
      '/v1/storefront/:storeId/locations/:id',
      {
        schema: {
          tags,
          summary: 'A location by id or key',
          security,
          params: LocationParams,
          response: { 200: Location, ...errorResponses },
        },
      },
      async (req) => getLocation(req.ctx, req.storefront.store.id, req.params.id),
    );
  });
};
