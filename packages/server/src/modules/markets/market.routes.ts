import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  CreateMarketBody,
  Deleted,
  Market,
  MarketParams,
  StoreIdParams,
  UpdateMarketBody,
} from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped } from '../tenancy/index.ts';
import { createMarket, deleteMarket, getMarket, listStoreMarkets, updateMarket } from './market.service.ts';

const tags = ['markets'];

/** Admin CRUD of markets; zones and shipping methods live inside them (CONTRACT §5, §5.1). */
export const marketRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storeScoped(app, async (scoped) => {
    scoped.get(
      '/v1/stores/:storeId/markets',
      {
        schema: {
          tags,
          summary: 'Markets in display order (the first is the default)',
          params: StoreIdParams,
          response: { 200: Type.Array(Market), ...errorResponses },
        },
      },
      async (req) => listStoreMarkets(req.storeCtx),
    );

    scoped.post(
      '/v1/stores/:storeId/markets',
      {
        schema: {
          tags,
          summary: "Create a market (older clients' field names accepted)",
          params: StoreIdParams,
          body: CreateMarketBody,
          response: { 201: Market, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await createMarket(req.storeCtx, req.body)),
    );

    scoped.get(
      '/v1/stores/:storeId/markets/:id',
      {
        schema: {
          tags,
          summary: 'A market by id or key',
          params: MarketParams,
          response: { 200: Market, ...errorResponses },
        },
      },
      async (req) => getMarket(req.storeCtx, req.params.id),
    );

    scoped.put(
      '/v1/stores/:storeId/markets/:id',
      {
        schema: {
          tags,
          summary: 'Update a market; zones replaces the whole list',
          params: MarketParams,
          body: UpdateMarketBody,
          response: { 200: Market, ...errorResponses },
        },
      },
      async (req) => updateMarket(req.storeCtx, req.params.id, req.body),
    );

    scoped.delete(
      '/v1/stores/:storeId/markets/:id',
      {
        schema: {
          tags,
          summary: 'Delete a market (never the last one)',
          params: MarketParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await deleteMarket(req.storeCtx, req.params.id);
        return { deleted: true as const };
      },
    );
  });
};
