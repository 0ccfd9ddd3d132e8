import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuthToken, LoggedOut, LoginBody, LogoutBody, RefreshBody, RegisterBody } from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { login, register } from './auth.service.ts';
import { refreshSession, revokeSession } from './session.service.ts';
import { codeRoutes } from './code.routes.ts';

const tags = ['auth'];

/** Password accounts, email codes, token refresh and logout (CONTRACT §3). */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(codeRoutes);

  app.post(
    '/v1/auth/register',
    {
      schema: {
        tags,
        summary: 'Create an account with email and password',
        security: [],
        body: RegisterBody,
        response: { 201: AuthToken, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await register(req.ctx, req.body)),
  );

  app.post(
    '/v1/auth/login',
    {
      schema: {
        tags,
        summary: 'Log in with email and password',
        security: [],
        body: LoginBody,
        response: { 200: AuthToken, ...errorResponses },
      },
    },
    async (req) => login(req.ctx, req.body, req.ip),
  );

  app.post(
    '/v1/auth/refresh',
    {
      schema: {
        tags,
        summary: 'Exchange a refresh token for a new pair (rotation)',
        security: [],
        body: RefreshBody,
        response: { 200: AuthToken, ...errorResponses },
      },
    },
    async (req) => refreshSession(req.ctx, req.body.refresh_token),
  );

  app.post(
    '/v1/auth/logout',
    {
      schema: {
        tags,
        summary: 'Revoke the current session',
        body: LogoutBody,
        response: { 200: LoggedOut, ...errorResponses },
      },
    },
    async (req) => {
      const p = req.ctx.principal;
      await revokeSession(
        req.ctx,
        p.kind === 'account' && p.via === 'jwt' ? p.tokenId : null,
        req.body?.refresh_token,
      );
      return { logged_out: true as const };
    },
  );
};
