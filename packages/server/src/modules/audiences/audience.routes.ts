import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AccessResult,
  ListAddMemberBody,
  Confirmed,
  CreateProfileListBody,
  Deleted,
  FindMembersQuery,
  FindProfileListsQuery,
  ImportProfilesBody,
  ImportReport,
  ListMemberParams,
  ListMembersParams,
  Page,
  ProfileList,
  ProfileListMember,
  ProfileListParams,
  StoreIdParams,
  StorefrontParams,
  ListSubscribeBody,
  ListSubscribeResult,
  TokenQuery,
  Unsubscribed,
  UpdateMemberBody,
  UpdateProfileListBody,
} from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped, storefrontScoped } from '../tenancy/index.ts';
import { importProfiles } from './import.service.ts';
import { createList, deleteList, findLists, getList, updateList } from './list.service.ts';
import { addMember, findMembers, removeMember, updateMember } from './member.service.ts';
import { checkAccess, confirmSubscription, subscribe, unsubscribe } from './subscribe.service.ts';

const tags = ['audiences'];
/** A 10,000-row CSV is about 0.5 MiB; imports may be far larger than ordinary bodies. */
const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

/** Admin audiences (CONTRACT §10.6) under `/v1/stores/:storeId/profile-lists`. */
export const audienceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storeScoped(app, async (scoped) => {
    const scope = (storeId: string) => ({ storeId, activeOnly: false });
    scoped.post(
      '/v1/stores/:storeId/profile-lists',
      {
        schema: {
          tags,
          summary: 'Create a profile list (standard, confirmation or paid)',
          params: StoreIdParams,
          body: CreateProfileListBody,
          response: { 201: ProfileList, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await createList(req.storeCtx, req.body)),
    );
    scoped.get(
      '/v1/stores/:storeId/profile-lists',
      {
        schema: {
          tags,
          summary: 'Find profile lists',
          params: StoreIdParams,
          querystring: FindProfileListsQuery,
          response: { 200: Page(ProfileList), ...errorResponses },
        },
      },
      async (req) => findLists(req.storeCtx, scope(req.storeCtx.store.id), req.query),
    );
    scoped.get(
      '/v1/stores/:storeId/profile-lists/:id',
      {
        schema: {
          tags,
          summary: 'Get a profile list by id or `storeId:key`',
          params: ProfileListParams,
          response: { 200: ProfileList, ...errorResponses },
        },
      },
      async (req) => getList(req.storeCtx, scope(req.storeCtx.store.id), req.params.id),
    );
    scoped.put(
      '/v1/stores/:storeId/profile-lists/:id',
      {
        schema: {
          tags,
          summary: 'Update a profile list (partial)',
          params: ProfileListParams,
          body: UpdateProfileListBody,
          response: { 200: ProfileList, ...errorResponses },
        },
      },
      async (req) => updateList(req.storeCtx, req.params.id, req.body),
    );
    scoped.delete(
      '/v1/stores/:storeId/profile-lists/:id',
      {
        schema: {
          tags,
          summary: 'Delete a profile list and its memberships',
          params: ProfileListParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await deleteList(req.storeCtx, req.params.id);
        return { deleted: true as const };
      },
    );
    scoped.get(
      '/v1/stores/:storeId/profile-lists/:listId/members',
      {
        schema: {
          tags,
          summary: 'Members of a list',
          params: ListMembersParams,
          querystring: FindMembersQuery,
          response: { 200: Page(ProfileListMember), ...errorResponses },
        },
      },
      async (req) => findMembers(req.storeCtx, req.query, req.params.listId),
    );
    scoped.get(
      '/v1/stores/:storeId/profile-list-members',
      {
        schema: {
          tags,
          summary: 'Memberships across lists',
          params: StoreIdParams,
          querystring: FindMembersQuery,
          response: { 200: Page(ProfileListMember), ...errorResponses },
        },
      },
      async (req) => findMembers(req.storeCtx, req.query),
    );
    scoped.post(
      '/v1/stores/:storeId/profile-lists/:listId/members/:profileId',
      {
        schema: {
          tags,
          summary: 'Add a profile to a list (active at once)',
          params: ListMemberParams,
          body: ListAddMemberBody,
          response: { 201: ProfileListMember, ...errorResponses },
        },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(await addMember(req.storeCtx, req.params.listId, req.params.profileId, req.body ?? {})),
    );
    scoped.patch(
      '/v1/stores/:storeId/profile-lists/:listId/members/:profileId',
      {
        schema: {
          tags,
          summary: 'Update a membership (status, fields, lead description)',
          params: ListMemberParams,
          body: UpdateMemberBody,
          response: { 200: ProfileListMember, ...errorResponses },
        },
      },
      async (req) => updateMember(req.storeCtx, req.params.listId, req.params.profileId, req.body),
    );
    scoped.delete(
      '/v1/stores/:storeId/profile-lists/:listId/members/:profileId',
      {
        schema: {
          tags,
          summary: 'Remove a profile from a list',
          params: ListMemberParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await removeMember(req.storeCtx, req.params.listId, req.params.profileId);
        return { deleted: true as const };
      },
    );
    scoped.post(
      '/v1/stores/:storeId/profile-lists/:listId/profiles/import',
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Import profiles into a list from CSV or rows; per-row report',
          params: ListMembersParams,
          body: ImportProfilesBody,
          response: { 200: ImportReport, ...errorResponses },
        },
      },
      async (req) => importProfiles(req.storeCtx, req.params.listId, req.body),
    );
  });
};

/** Storefront audiences: active lists, subscribe, access, confirm, one-click unsubscribe. */
export const storefrontAudienceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Mail clients send one-click unsubscribes as `List-Unsubscribe=One-Click` form posts (RFC 8058).
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_req, _body, done) => done(null, {}),
  );
  await storefrontScoped(app, async (shop) => {
    const scope = (storeId: string) => ({ storeId, activeOnly: true });
    shop.get(
      '/v1/storefront/:storeId/profile-lists',
      {
        schema: {
          tags,
          summary: 'Active profile lists',
          security: [],
          params: StorefrontParams,
          querystring: FindProfileListsQuery,
          response: { 200: Page(ProfileList), ...errorResponses },
        },
      },
      async (req) => findLists(req.ctx, scope(req.storefront.store.id), req.query),
    );
    shop.get(
      '/v1/storefront/:storeId/profile-lists/confirm',
      {
        schema: {
          tags,
          summary: 'Confirm a subscription (double opt-in link)',
          security: [],
          params: StorefrontParams,
          querystring: TokenQuery,
          response: { 200: Confirmed, ...errorResponses },
        },
      },
      async (req) => confirmSubscription(req.ctx, req.params.storeId, req.query.token),
    );
    for (const method of ['GET', 'POST'] as const) {
      shop.route({
        method,
        url: '/v1/storefront/:storeId/profile-lists/unsubscribe',
        schema: {
          tags,
          summary: 'Unsubscribe with the token of a list email (one-click: POST)',
          security: [],
          params: StorefrontParams,
          querystring: TokenQuery,
          response: { 200: Unsubscribed, ...errorResponses },
        },
        handler: async (req) => unsubscribe(req.ctx, req.params.storeId, req.query.token),
      });
    }
    shop.get(
      '/v1/storefront/:storeId/profile-lists/:id',
      {
        schema: {
          tags,
          summary: 'An active profile list',
          security: [],
          params: ProfileListParams,
          response: { 200: ProfileList, ...errorResponses },
        },
      },
      async (req) => getList(req.ctx, scope(req.storefront.store.id), req.params.id),
    );
    shop.post(
      '/v1/storefront/:storeId/profile-lists/:id/subscribe',
      {
        schema: {
          tags,
          summary: 'Subscribe the caller’s profile to a list',
          params: ProfileListParams,
          body: ListSubscribeBody,
          response: { 200: ListSubscribeResult, ...errorResponses },
        },
      },
      async (req) => subscribe(req.ctx, req.params.storeId, req.params.id, req.body ?? {}, req.authFailure),
    );
    shop.get(
      '/v1/storefront/:storeId/profile-lists/:id/access',
      {
        schema: {
          tags,
          summary: 'Whether the caller’s profile has access to the list',
          params: ProfileListParams,
          response: { 200: AccessResult, ...errorResponses },
        },
      },
      async (req) => checkAccess(req.ctx, req.params.storeId, req.params.id),
    );
  });
};
