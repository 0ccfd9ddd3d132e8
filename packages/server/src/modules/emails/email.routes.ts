import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EmailPreview, EmailPreviewParams, EmailPreviewQuery } from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped } from '../stores/index.ts';
import { previewEmail } from './email.service.ts';

/** `GET /v1/stores/:storeId/emails/:template/preview`: what the store's customers would receive. */
export const emailRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storeScoped(app, async (scoped) => {
    scoped.get(
      '/v1/stores/:storeId/emails/:template/preview',
      {
        schema: {
          tags: ['emails'],
          summary: 'Render an email template with sample data (HTML and text)',
          params: EmailPreviewParams,
          querystring: EmailPreviewQuery,
          response: { 200: EmailPreview, ...errorResponses },
        },
      },
      async (req) => previewEmail(req.storeCtx, req.params.template, req.query.locale),
    );
  });
};
