import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreatePromoCodeBody,
  Deleted,
  ListPromoCodesQuery,
  OrderParams,
  Page,
  PromoCode,
  StoreIdParams,
  UpdatePromoCodeBody,
} from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped } from '../tenancy/index.ts';
import {
  createPromoCode,
  deletePromoCode,
  findPromoCodes,
  getPromoCode,
  updatePromoCode,
} from './promo-code.service.ts';

const tags = ['promo-codes'];

/** Promo codes CRUD (CONTRACT §6.8). */
export const promoCodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storeScoped(app, async (s) => {
    s.post(
      '/v1/stores/:storeId/promo-codes',
      {
        schema: {
          tags,
          summary: 'Create a promo code',
          params: StoreIdParams,
          body: CreatePromoCodeBody,
          response: { 201: PromoCode, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await createPromoCode(req.storeCtx, req.body)),
    );
    s.get(
      '/v1/stores/:storeId/promo-codes',
      {
        schema: {
          tags,
          summary: 'Find promo codes',
          params: StoreIdParams,
          querystring: ListPromoCodesQuery,
          response: { 200: Page(PromoCode), ...errorResponses },
        },
      },
      async (req) => findPromoCodes(req.storeCtx, req.query),
    );
    s.get(
      '/v1/stores/:storeId/promo-codes/:id',
      {
        schema: {
          tags,
          summary: 'Get a promo code',
          params: OrderParams,
          response: { 200: PromoCode, ...errorResponses },
        },
      },
      async (req) => getPromoCode(req.storeCtx, req.params.id),
    );
    s.put(
      '/v1/stores/:storeId/promo-codes/:id',
      {
        schema: {
          tags,
          summary: 'Update a promo code',
          params: OrderParams,
          body: UpdatePromoCodeBody,
          response: { 200: PromoCode, ...errorResponses },
        },
      },
      async (req) => updatePromoCode(req.storeCtx, req.params.id, req.body),
    );
    s.delete(
      '/v1/stores/:storeId/promo-codes/:id',
      {
        schema: {
          tags,
          summary: 'Delete a promo code',
          params: OrderParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await deletePromoCode(req.storeCtx, req.params.id);
        return { deleted: true as const };
      },
    );
  });
};
