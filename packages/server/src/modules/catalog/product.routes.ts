import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import {
  CreateProductBody,
  Deleted,
  ListProductsQuery,
  Page,
  Product,
  ProductParams,
  StoreIdParams,
  UpdateProductBody,
} from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped, storefrontScoped } from '../tenancy/index.ts';
import {
  createProduct,
  deleteProduct,
  findProductsJson,
  getProductJson,
  updateProduct,
} from './product.service.ts';

const tags = ['products'];

/**
 * Reads are stored documents that already hold exactly the wire fields (whitelisted at write
 * time, see `toDocument`), sent as they are: walking the response schema for every block's
 * unknown values was the largest cost of a page. The schemas still document the responses.
 */
const sendJson = (reply: FastifyReply, json: string) =>
  reply.type('application/json; charset=utf-8').send(json);

/** Products: admin CRUD and storefront reads of active products (CONTRACT §6.1). */
export const productRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storeScoped(app, async (scoped) => {
    scoped.post(
      '/v1/stores/:storeId/products',
      {
        schema: {
          tags,
          summary: 'Create a product',
          params: StoreIdParams,
          body: CreateProductBody,
          response: { 201: Product, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await createProduct(req.storeCtx, req.body)),
    );
    scoped.put(
      '/v1/stores/:storeId/products/:id',
      {
        schema: {
          tags,
          summary: 'Update a product; variants is the complete list',
          params: ProductParams,
          body: UpdateProductBody,
          response: { 200: Product, ...errorResponses },
        },
      },
      async (req) => updateProduct(req.storeCtx, req.params.id, req.body),
    );
    scoped.delete(
      '/v1/stores/:storeId/products/:id',
      {
        schema: {
          tags,
          summary: 'Delete a product',
          params: ProductParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await deleteProduct(req.storeCtx, req.params.id);
        return { deleted: true as const };
      },
    );
    scoped.get(
      '/v1/stores/:storeId/products/:id',
      {
        schema: {
          tags,
          summary: 'Get a product by id or store:locale:slug',
          params: ProductParams,
          response: { 200: Product, ...errorResponses },
        },
      },
      async (req, reply) =>
        sendJson(reply, await getProductJson(req.storeCtx, req.storeCtx.store.id, req.params.id, false)),
    );
    scoped.get(
      '/v1/stores/:storeId/products',
      {
        schema: {
          tags,
          summary: 'Find products',
          params: StoreIdParams,
          querystring: ListProductsQuery,
          response: { 200: Page(Product), ...errorResponses },
        },
      },
      async (req, reply) =>
        sendJson(reply, await findProductsJson(req.storeCtx, req.storeCtx.store.id, req.query, false)),
    );
  });

  await storefrontScoped(app, async (shop) => {
    shop.get(
      '/v1/storefront/:storeId/products/:id',
      {
        schema: {
          tags: ['storefront'],
          summary: 'Get an active product',
          params: ProductParams,
          response: { 200: Product, ...errorResponses },
        },
      },
      async (req, reply) => {
        return sendJson(reply, await getProductJson(req.ctx, req.params.storeId, req.params.id, true));
      },
    );
    shop.get(
      '/v1/storefront/:storeId/products',
      {
        schema: {
          tags: ['storefront'],
          summary: 'Find active products',
          params: StoreIdParams,
          querystring: ListProductsQuery,
          response: { 200: Page(Product), ...errorResponses },
        },
      },
      async (req, reply) => {
        return sendJson(reply, await findProductsJson(req.ctx, req.params.storeId, req.query, true));
      },
    );
  });
};
