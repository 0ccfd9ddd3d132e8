import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateFormBody,
  Deleted,
  FindFormsQuery,
  FindSubmissionsQuery,
  Form,
  FormParams,
  FormSubmission,
  FormSubmissionItemParams,
  FormSubmissionParams,
  Page,
  StoreIdParams,
  SubmitFormBody,
  UpdateFormBody,
  UpdateSubmissionBody,
} from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped, storefrontScoped } from '../tenancy/index.ts';
import {
  createForm,
  deleteForm,
  findForms,
  findSubmissions,
  getForm,
  getSubmission,
  submitAsAdmin,
  submitFromStorefront,
  updateForm,
  updateSubmission,
} from './form.service.ts';

const tags = ['forms'];

/** Admin form routes (CONTRACT §8.3) under `/v1/stores/:storeId/forms`. */
export const formRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storeScoped(app, async (scoped) => {
    scoped.post(
      '/v1/stores/:storeId/forms',
      {
        schema: {
          tags,
          summary: 'Create a form with its field schema',
          params: StoreIdParams,
          body: CreateFormBody,
          response: { 201: Form, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await createForm(req.storeCtx, req.body)),
    );
    scoped.get(
      '/v1/stores/:storeId/forms',
      {
        schema: {
          tags,
          summary: 'Find forms',
          params: StoreIdParams,
          querystring: FindFormsQuery,
          response: { 200: Page(Form), ...errorResponses },
        },
      },
      async (req) =>
        findForms(req.storeCtx, { storeId: req.storeCtx.store.id, activeOnly: false }, req.query),
    );
    scoped.get(
      '/v1/stores/:storeId/forms/submissions',
      {
        schema: {
          tags,
          summary: 'Find submissions across forms',
          params: StoreIdParams,
          querystring: FindSubmissionsQuery,
          response: { 200: Page(FormSubmission), ...errorResponses },
        },
      },
      async (req) => findSubmissions(req.storeCtx, req.query),
    );
    scoped.get(
      '/v1/stores/:storeId/forms/:id',
      {
        schema: {
          tags,
          summary: 'Get a form by id or `storeId:key`',
          params: FormParams,
          response: { 200: Form, ...errorResponses },
        },
      },
      async (req) =>
        getForm(req.storeCtx, { storeId: req.storeCtx.store.id, activeOnly: false }, req.params.id),
    );
    scoped.put(
      '/v1/stores/:storeId/forms/:id',
      {
        schema: {
          tags,
          summary: 'Update a form (partial)',
          params: FormParams,
          body: UpdateFormBody,
          response: { 200: Form, ...errorResponses },
        },
      },
      async (req) => updateForm(req.storeCtx, req.params.id, req.body),
    );
    scoped.delete(
      '/v1/stores/:storeId/forms/:id',
      {
        schema: {
          tags,
          summary: 'Delete a form and its submissions',
          params: FormParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await deleteForm(req.storeCtx, req.params.id);
        return { deleted: true as const };
      },
    );
    scoped.post(
      '/v1/stores/:storeId/forms/:formId/submissions',
      {
        schema: {
          tags,
          summary: 'Submit a form as an admin',
          params: FormSubmissionParams,
          body: SubmitFormBody,
          response: { 201: FormSubmission, ...errorResponses },
        },
      },
      async (req, reply) =>
        reply.code(201).send(await submitAsAdmin(req.storeCtx, req.params.formId, req.body)),
    );
    scoped.get(
      '/v1/stores/:storeId/forms/:formId/submissions/:id',
      {
        schema: {
          tags,
          summary: 'Get a submission',
          params: FormSubmissionItemParams,
          response: { 200: FormSubmission, ...errorResponses },
        },
      },
      async (req) => getSubmission(req.storeCtx, req.params.formId, req.params.id),
    );
    scoped.put(
      '/v1/stores/:storeId/forms/:formId/submissions/:id',
      {
        schema: {
          tags,
          summary: 'Correct a submission (fields replaced and validated)',
          params: FormSubmissionItemParams,
          body: UpdateSubmissionBody,
          response: { 200: FormSubmission, ...errorResponses },
        },
      },
      async (req) => updateSubmission(req.storeCtx, req.params.formId, req.params.id, req.body),
    );
  });
};

/** Storefront form routes: read an active form, submit it. */
export const storefrontFormRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storefrontScoped(app, async (shop) => {
    shop.get(
      '/v1/storefront/:storeId/forms/:id',
      {
        schema: {
          tags,
          summary: 'Get an active form by id or `storeId:key`',
          security: [],
          params: FormParams,
          response: { 200: Form, ...errorResponses },
        },
      },
      async (req) => getForm(req.ctx, { storeId: req.params.storeId, activeOnly: true }, req.params.id),
    );
    shop.post(
      '/v1/storefront/:storeId/forms/:formId/submissions',
      {
        schema: {
          tags,
          summary: 'Submit an active form (profile token optional; rate limited)',
          params: FormSubmissionParams,
          body: SubmitFormBody,
          response: { 201: FormSubmission, ...errorResponses },
        },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(
            await submitFromStorefront(
              req.ctx,
              req.params.storeId,
              req.params.formId,
              { fields: req.body.fields },
              req.ip,
            ),
          ),
    );
  });
};
