import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  AddMemberBody,
  CreateStoreBody,
  Deleted,
  ListStoresQuery,
  MemberParams,
  Page,
  PortalBody,
  PortalResult,
  Removed,
  Store,
  StoreIdParams,
  SubscribeBody,
  SubscribeResult,
  SubscriptionPlan,
  UpdateStoreBody,
} from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { requireAccount, storeScoped } from '../tenancy/index.ts';
import { createStore, deleteStore, getStoreById, listStores, updateStore } from './store.service.ts';
import { addMember, removeMember } from './member.service.ts';
import { createPortalSession, listPlans, subscribe } from './subscription.service.ts';
import { storefrontStoreRoutes } from './storefront.ts';

const tags = ['stores'];

/** Stores, members and subscriptions (CONTRACT §4). */
export const storeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(storefrontStoreRoutes);

  app.get(
    '/v1/stores/plans',
    {
      schema: {
        tags,
        summary: 'Subscription plans',
        response: { 200: Type.Array(SubscriptionPlan), ...errorResponses },
      },
    },
    async (req) => listPlans(req.ctx),
  );

  app.get(
    '/v1/stores',
    {
      schema: {
        tags,
        summary: 'Stores the caller is a member of',
        querystring: ListStoresQuery,
        response: { 200: Page(Store), ...errorResponses },
      },
    },
    async (req) => {
      requireAccount(req.ctx, req.authFailure);
      return listStores(req.ctx, req.query);
    },
  );

  app.post(
    '/v1/stores',
    {
      schema: {
        tags,
        summary: 'Create a store; the caller becomes its owner',
        body: CreateStoreBody,
        response: { 201: Store, ...errorResponses },
      },
    },
    async (req, reply) => {
      requireAccount(req.ctx, req.authFailure);
      return reply.code(201).send(await createStore(req.ctx, req.body));
    },
  );

  await storeScoped(app, async (scoped) => {
    scoped.get(
      '/v1/stores/:storeId',
      {
        schema: {
          tags,
          summary: 'Get a store with counts',
          params: StoreIdParams,
          response: { 200: Store, ...errorResponses },
        },
      },
      async (req) => getStoreById(req.storeCtx, req.storeCtx.store.id),
    );

    scoped.put(
      '/v1/stores/:storeId',
      {
        schema: {
          tags,
          summary: 'Update a store (partial)',
          params: StoreIdParams,
          body: UpdateStoreBody,
          response: { 200: Store, ...errorResponses },
        },
      },
      async (req) => updateStore(req.storeCtx, req.body),
    );

    scoped.delete(
      '/v1/stores/:storeId',
      {
        schema: {
          tags,
          summary: 'Delete a store and everything in it',
          params: StoreIdParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await deleteStore(req.storeCtx);
        return { deleted: true as const };
      },
    );

    scoped.put(
      '/v1/stores/:storeId/subscribe',
      {
        schema: {
          tags,
          summary: 'Subscribe to a plan',
          params: StoreIdParams,
          body: SubscribeBody,
          response: { 200: SubscribeResult, ...errorResponses },
        },
      },
      async (req) => subscribe(req.storeCtx, req.body),
    );

    scoped.post(
      '/v1/stores/:storeId/subscription/portal',
      {
        schema: {
          tags,
          summary: 'Billing portal session',
          params: StoreIdParams,
          body: PortalBody,
          response: { 200: PortalResult, ...errorResponses },
        },
      },
      async (req) => createPortalSession(req.storeCtx, req.body.return_url),
    );

    scoped.post(
      '/v1/stores/:storeId/members',
      {
        schema: {
          tags,
          summary: 'Add a member at once (creates the account if needed)',
          params: StoreIdParams,
          body: AddMemberBody,
          response: { 200: Type.Literal(true), ...errorResponses },
        },
      },
      async (req) => {
        await addMember(req.storeCtx, req.body);
        return true as const;
      },
    );

    scoped.delete(
      '/v1/stores/:storeId/members/:accountId',
      {
        schema: {
          tags,
          summary: 'Remove a member',
          params: MemberParams,
          response: { 200: Removed, ...errorResponses },
        },
      },
      async (req) => {
        await removeMember(req.storeCtx, req.params.accountId);
        return { removed: true as const };
      },
    );
  });
};
