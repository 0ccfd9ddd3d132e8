import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  CreateNodeBody,
  Deleted,
  FindNodesQuery,
  HydrateQuery,
  Node,
  NodeChildrenQuery,
  NodeParams,
  Page,
  StoreIdParams,
  UpdateNodeBody,
} from '@openarky/contract';
import type { FastifyRequest } from 'fastify';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped, storefrontScoped } from '../tenancy/index.ts';
import { createNode, deleteNode, findNodes, getChildren, getNode, updateNode } from './node.service.ts';

const tags = ['cms'];
const admin = (storeId: string) => ({ storeId, activeOnly: false });

/** Admin node routes (CONTRACT §8.1) under `/v1/stores/:storeId/nodes`. */
export const nodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storeScoped(app, async (scoped) => {
    scoped.post(
      '/v1/stores/:storeId/nodes',
      {
        schema: {
          tags,
          summary: 'Create a node (collection or entry)',
          params: StoreIdParams,
          body: CreateNodeBody,
          response: { 201: Node, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await createNode(req.storeCtx, req.body)),
    );
    scoped.get(
      '/v1/stores/:storeId/nodes',
      {
        schema: {
          tags,
          summary: 'Find nodes',
          params: StoreIdParams,
          querystring: FindNodesQuery,
          response: { 200: Page(Node), ...errorResponses },
        },
      },
      async (req) => findNodes(req.storeCtx, admin(req.storeCtx.store.id), req.query),
    );
    scoped.get(
      '/v1/stores/:storeId/nodes/:id',
      {
        schema: {
          tags,
          summary: 'Get a node by id, `storeId:key` or `storeId:locale:slug`, with its children',
          params: NodeParams,
          querystring: HydrateQuery,
          response: { 200: Node, ...errorResponses },
        },
      },
      async (req) =>
        getNode(req.storeCtx, admin(req.storeCtx.store.id), req.params.id, req.query.hydrate ?? true),
    );
    scoped.get(
      '/v1/stores/:storeId/nodes/:id/children',
      {
        schema: {
          tags,
          summary: 'Children of a node',
          params: NodeParams,
          querystring: NodeChildrenQuery,
          response: { 200: Page(Node), ...errorResponses },
        },
      },
      async (req) => getChildren(req.storeCtx, admin(req.storeCtx.store.id), req.params.id, req.query),
    );
    scoped.put(
      '/v1/stores/:storeId/nodes/:id',
      {
        schema: {
          tags,
          summary: 'Update a node (partial)',
          params: NodeParams,
          body: UpdateNodeBody,
          response: { 200: Node, ...errorResponses },
        },
      },
      async (req) => updateNode(req.storeCtx, req.params.id, req.body),
    );
    scoped.delete(
      '/v1/stores/:storeId/nodes/:id',
      {
        schema: {
          tags,
          summary: 'Delete a node without children',
          params: NodeParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await deleteNode(req.storeCtx, req.params.id);
        return { deleted: true as const };
      },
    );
  });
};

const StorefrontParams = Type.Object({ storeId: Type.String({ maxLength: 100 }) });

/** Public reads of active nodes (CONTRACT §8.1 `sf.cms.node.*`). */
export const storefrontNodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const scope = (req: FastifyRequest) => ({ storeId: req.storefront.store.id, activeOnly: true });
  await storefrontScoped(app, async (shop) => {
    shop.get(
      '/v1/storefront/:storeId/nodes',
      {
        schema: {
          tags,
          summary: 'Find active nodes',
          params: StorefrontParams,
          querystring: FindNodesQuery,
          response: { 200: Page(Node), ...errorResponses },
        },
      },
      async (req) => findNodes(req.ctx, scope(req), req.query),
    );
    shop.get(
      '/v1/storefront/:storeId/nodes/:id',
      {
        schema: {
          tags,
          summary: 'Get an active node with its active children',
          params: NodeParams,
          querystring: HydrateQuery,
          response: { 200: Node, ...errorResponses },
        },
      },
      async (req) => getNode(req.ctx, scope(req), req.params.id, req.query.hydrate ?? true),
    );
    shop.get(
      '/v1/storefront/:storeId/nodes/:id/children',
      {
        schema: {
          tags,
          summary: 'Active children of an active node',
          params: NodeParams,
          querystring: NodeChildrenQuery,
          response: { 200: Page(Node), ...errorResponses },
        },
      },
      async (req) => getChildren(req.ctx, scope(req), req.params.id, req.query),
    );
  });
};
