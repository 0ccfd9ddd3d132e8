import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  IdentifyBody,
  IdentifyResult,
  LoggedOut,
  ProfileMe,
  ProfileToken,
  ProfileVerifyBody,
  StorefrontParams,
} from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { getProfileMe, identify, logoutProfile, verifyProfile } from './profile.service.ts';
import { storefrontScoped } from '../tenancy/index.ts';

const tags = ['storefront'];

/** The `pt_` token a request carried (authenticate() already resolved it into the principal). */
function presentedToken(req: FastifyRequest): string | null {
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && key.trim().startsWith('pt_')) return key.trim();
  const match = /^Bearer\s+(pt_\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1] ?? null;
}

/** Guest and shopper profiles of a storefront (CONTRACT §3). Public: the token is the identity. */
export const profileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storefrontScoped(app, async (shop) => {
    shop.post(
      '/v1/storefront/:storeId/profiles/identify',
      {
        schema: {
          tags,
          summary: 'Get or create the guest profile and its token; optionally record an email or send a code',
          security: [],
          params: StorefrontParams,
          body: IdentifyBody,
          response: { 200: IdentifyResult, ...errorResponses },
        },
        // Every field is optional, so a bodiless POST (autoGuest clients) means `{}`.
        preValidation: async (req) => {
          req.body ??= {};
        },
      },
      async (req) =>
        identify(req.ctx, req.storefront.store, {
          body: req.body,
          presentedToken: presentedToken(req),
          ip: req.ip,
        }),
    );

    shop.post(
      '/v1/storefront/:storeId/profiles/verify',
      {
        schema: {
          tags,
          summary: 'Prove the email with the code; returns a fresh token of the verified profile',
          security: [],
          params: StorefrontParams,
          body: ProfileVerifyBody,
          response: { 200: ProfileToken, ...errorResponses },
        },
      },
      async (req) => verifyProfile(req.ctx, req.params.storeId, req.body, req.ip),
    );

    shop.post(
      '/v1/storefront/:storeId/profiles/logout',
      {
        schema: {
          tags,
          summary: 'Revoke the presented profile token',
          params: StorefrontParams,
          response: { 200: LoggedOut, ...errorResponses },
        },
      },
      async (req) => logoutProfile(req.ctx, req.params.storeId),
    );

    shop.get(
      '/v1/storefront/:storeId/profiles/me',
      {
        schema: {
          tags,
          summary: 'The caller’s profile, carts and orders',
          params: StorefrontParams,
          response: { 200: ProfileMe, ...errorResponses },
        },
      },
      async (req) => getProfileMe(req.ctx, req.params.storeId, req.authFailure),
    );
  });
};
