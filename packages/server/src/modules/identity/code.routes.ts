import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuthToken, CodeBody, Sent, StoreCodeBody, StoreIdParams, VerifyBody } from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { requestLoginCode, verifyLoginCode } from './code-login.service.ts';
import { requireStoreExists } from '../tenancy/index.ts';

const tags = ['auth'];

/**
 * Email-code login (CONTRACT §3). The store-branded routes live under `/v1/stores/{storeId}` but
 * are public (outside the store guard): the caller is not a member yet, only the store must exist.
 */
export const codeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/auth/code',
    {
      schema: {
        tags,
        summary: 'Email a 6-digit login code (answers the same for unknown emails)',
        security: [],
        body: CodeBody,
        response: { 200: Sent, ...errorResponses },
      },
    },
    async (req) => requestLoginCode(req.ctx, req.body, req.ip),
  );

  app.post(
    '/v1/auth/verify',
    {
      schema: {
        tags,
        summary: 'Log in with an email code; creates the account on first use',
        security: [],
        body: VerifyBody,
        response: { 200: AuthToken, ...errorResponses },
      },
    },
    async (req) => verifyLoginCode(req.ctx, req.body, req.ip),
  );

  app.post(
    '/v1/stores/:storeId/auth/code',
    {
      schema: {
        tags,
        summary: 'Email a login code branded with the store',
        security: [],
        params: StoreIdParams,
        body: StoreCodeBody,
        response: { 200: Sent, ...errorResponses },
      },
    },
    async (req) => {
      await requireStoreExists(req.ctx.db, req.params.storeId);
      return requestLoginCode(req.ctx, { email: req.body.email, store_id: req.params.storeId }, req.ip);
    },
  );

  app.post(
    '/v1/stores/:storeId/auth/verify',
    {
      schema: {
        tags,
        summary: 'Log in with a store-branded email code',
        security: [],
        params: StoreIdParams,
        body: VerifyBody,
        response: { 200: AuthToken, ...errorResponses },
      },
    },
    async (req) => {
      await requireStoreExists(req.ctx.db, req.params.storeId);
      return verifyLoginCode(req.ctx, req.body, req.ip);
    },
  );
};
