import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AdminProfile,
  CreateProfileBody,
  FindProfilesQuery,
  MergeProfileBody,
  Page,
  Profile,
  ProfileParams,
  ProfileSessionParams,
  SessionsRevoked,
  StoreIdParams,
  UpdateProfileBody,
} from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped } from '../stores/index.ts';
import {
  createAdminProfile,
  findAdminProfiles,
  getAdminProfile,
  mergeAdminProfiles,
  revokeProfileSessions,
  updateAdminProfile,
} from './profile.admin.service.ts';

const tags = ['profiles'];

/** Customer profiles for admins (CONTRACT §10.6) under `/v1/stores/:storeId/profiles`. */
export const adminProfileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storeScoped(app, async (scoped) => {
    scoped.post(
      '/v1/stores/:storeId/profiles',
      {
        schema: {
          tags,
          summary: 'Create a customer profile',
          params: StoreIdParams,
          body: CreateProfileBody,
          response: { 201: Profile, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await createAdminProfile(req.storeCtx, req.body)),
    );
    scoped.get(
      '/v1/stores/:storeId/profiles',
      {
        schema: {
          tags,
          summary: 'Find profiles (email, query, status)',
          params: StoreIdParams,
          querystring: FindProfilesQuery,
          response: { 200: Page(Profile), ...errorResponses },
        },
      },
      async (req) => findAdminProfiles(req.storeCtx, req.query),
    );
    scoped.get(
      '/v1/stores/:storeId/profiles/:id',
      {
        schema: {
          tags,
          summary: 'A profile with its carts, orders, submissions and memberships',
          params: ProfileParams,
          response: { 200: AdminProfile, ...errorResponses },
        },
      },
      async (req) => getAdminProfile(req.storeCtx, req.params.id),
    );
    scoped.put(
      '/v1/stores/:storeId/profiles/:id',
      {
        schema: {
          tags,
          summary: 'Update a profile (email, taxonomies, status)',
          params: ProfileParams,
          body: UpdateProfileBody,
          response: { 200: AdminProfile, ...errorResponses },
        },
      },
      async (req) => updateAdminProfile(req.storeCtx, req.params.id, req.body),
    );
    scoped.post(
      '/v1/stores/:storeId/profiles/:id/merge',
      {
        schema: {
          tags,
          summary: 'Merge `source_id` into this profile; the source is archived',
          params: ProfileParams,
          body: MergeProfileBody,
          response: { 200: AdminProfile, ...errorResponses },
        },
      },
      async (req) => mergeAdminProfiles(req.storeCtx, req.params.id, req.body.source_id),
    );
    scoped.delete(
      '/v1/stores/:storeId/profiles/:id/sessions',
      {
        schema: {
          tags,
          summary: 'Revoke every session (token) of a profile',
          params: ProfileParams,
          response: { 200: SessionsRevoked, ...errorResponses },
        },
      },
      async (req) => revokeProfileSessions(req.storeCtx, req.params.id),
    );
    scoped.delete(
      '/v1/stores/:storeId/profiles/:id/sessions/:tokenId',
      {
        schema: {
          tags,
          summary: 'Revoke one session of a profile',
          params: ProfileSessionParams,
          response: { 200: SessionsRevoked, ...errorResponses },
        },
      },
      async (req) => revokeProfileSessions(req.storeCtx, req.params.id, req.params.tokenId),
    );
  });
};
