import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Account,
  Deleted,
  Page,
  SearchAccountsQuery,
  UpdateAccountBody,
  UpdateAccountResult,
} from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { deleteAccount, getMe, searchAccounts, updateAccount } from './account.service.ts';

const tags = ['accounts'];

/** The caller's own account, its API keys, and member search (CONTRACT §3). */
export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/accounts/me',
    { schema: { tags, summary: 'The calling account', response: { 200: Account, ...errorResponses } } },
    async (req) => getMe(req.ctx, req.authFailure),
  );

  app.put(
    '/v1/accounts',
    {
      schema: {
        tags,
        summary: 'Update the account; api_tokens is the full desired list of API keys',
        body: UpdateAccountBody,
        response: { 200: UpdateAccountResult, ...errorResponses },
      },
    },
    async (req) => updateAccount(req.ctx, req.body, req.authFailure),
  );

  app.delete(
    '/v1/accounts',
    {
      schema: { tags, summary: 'Delete the calling account', response: { 200: Deleted, ...errorResponses } },
    },
    async (req) => {
      await deleteAccount(req.ctx, req.authFailure);
      return { deleted: true as const };
    },
  );

  app.get(
    '/v1/accounts/search',
    {
      schema: {
        tags,
        summary: 'Members of a store',
        querystring: SearchAccountsQuery,
        response: { 200: Page(Account), ...errorResponses },
      },
    },
    async (req) => searchAccounts(req.ctx, req.query, req.authFailure),
  );
};
