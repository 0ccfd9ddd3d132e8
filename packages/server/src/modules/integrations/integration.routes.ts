import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  CreateIntegrationBody,
  Deleted,
  Disconnected,
  Integration,
  IntegrationConfig,
  IntegrationConfigParams,
  IntegrationParams,
  IntegrationService,
  OAuthConnectBody,
  OAuthDisconnectBody,
  StoreIdParams,
  UpdateIntegrationBody,
} from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped } from '../tenancy/index.ts';
import { integrationServices } from './integration.registry.ts';
import {
  createIntegration,
  deleteIntegration,
  getIntegration,
  getIntegrationConfig,
  listIntegrations,
  updateIntegration,
} from './integration.service.ts';
import { oauthConnect, oauthDisconnect } from './oauth.service.ts';

const tags = ['integrations'];

/** Integrations (CONTRACT §10.3), OAuth (§10.4) and the integration-services catalogue (§10.5). */
export const integrationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/platform/integration-services',
    {
      schema: {
        tags: ['platform'],
        summary: 'Integration types with their fields',
        security: [],
        response: { 200: Type.Array(IntegrationService), ...errorResponses },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return integrationServices();
    },
  );

  await storeScoped(app, async (scoped) => {
    scoped.get(
      '/v1/stores/:storeId/integrations',
      {
        schema: {
          tags,
          summary: 'List integrations (write-only fields omitted)',
          params: StoreIdParams,
          response: { 200: Type.Array(Integration), ...errorResponses },
        },
      },
      async (req) => listIntegrations(req.storeCtx),
    );
    scoped.get(
      '/v1/stores/:storeId/integrations/config/:type',
      {
        schema: {
          tags,
          summary: 'The active payment, shipping or analytics integration',
          params: IntegrationConfigParams,
          response: { 200: IntegrationConfig, ...errorResponses },
        },
      },
      async (req) => getIntegrationConfig(req.storeCtx, req.params.type),
    );
    scoped.post(
      '/v1/stores/:storeId/integrations',
      {
        schema: {
          tags,
          summary: 'Create an integration',
          params: StoreIdParams,
          body: CreateIntegrationBody,
          response: { 201: Integration, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await createIntegration(req.storeCtx, req.body)),
    );
    scoped.get(
      '/v1/stores/:storeId/integrations/:id',
      {
        schema: {
          tags,
          summary: 'Get an integration',
          params: IntegrationParams,
          response: { 200: Integration, ...errorResponses },
        },
      },
      async (req) => getIntegration(req.storeCtx, req.params.id),
    );
    scoped.put(
      '/v1/stores/:storeId/integrations/:id',
      {
        schema: {
          tags,
          summary: 'Update an integration (same type merges)',
          params: IntegrationParams,
          body: UpdateIntegrationBody,
          response: { 200: Integration, ...errorResponses },
        },
      },
      async (req) => updateIntegration(req.storeCtx, req.params.id, req.body),
    );
    scoped.delete(
      '/v1/stores/:storeId/integrations/:id',
      {
        schema: {
          tags,
          summary: 'Delete an integration',
          params: IntegrationParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await deleteIntegration(req.storeCtx, req.params.id);
        return { deleted: true as const };
      },
    );
    scoped.post(
      '/v1/stores/:storeId/oauth/connect',
      {
        schema: {
          tags: ['oauth'],
          summary: 'Exchange an OAuth code and store the tokens',
          params: StoreIdParams,
          body: OAuthConnectBody,
          response: { 200: Integration, ...errorResponses },
        },
      },
      async (req) => oauthConnect(req.storeCtx, req.body),
    );
    scoped.post(
      '/v1/stores/:storeId/oauth/disconnect',
      {
        schema: {
          tags: ['oauth'],
          summary: 'Revoke and remove OAuth tokens',
          params: StoreIdParams,
          body: OAuthDisconnectBody,
          response: { 200: Disconnected, ...errorResponses },
        },
      },
      async (req) => oauthDisconnect(req.storeCtx, req.body),
    );
  });
};
