import type {
  CreateFormBody,
  FindFormsQuery,
  FindSubmissionsQuery,
  Form,
  FormSubmission,
  SubmitFormBody,
  UpdateFormBody,
} from '@openarky/contract';
import type { Static } from '@sinclair/typebox';
import type { PageRequest, PaginationParams } from '../paginate.ts';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { Deleted, StoreParam } from '../params.ts';

export type { Form, FormSubmission };

/** Which form: `id`, or `key` (sent as `storeId:key`). */
export type FormRef = StoreParam & { id?: string; key?: string };
export type FormCreate = CreateFormBody & StoreParam;
export type FormUpdate = UpdateFormBody & StoreParam & { id: string };
export type FormFind = Partial<Omit<FindFormsQuery, 'cursor'>> & StoreParam & PaginationParams;
/** A submitted value: `key` names the schema field. */
export type FormFieldInput = Static<typeof SubmitFormBody>['fields'][number];
export type SubmissionFind = Partial<Omit<FindSubmissionsQuery, 'cursor'>> & StoreParam & PaginationParams;

const segment = (storeId: string, ref: FormRef) => (ref.id ? ref.id : `${storeId}:${ref.key ?? ''}`);

/** Params of a submission: the form by `form_id` (0.9.x `formId`) or `id`/`key`. */
type SubmitParams = StoreParam & {
  form_id?: string;
  formId?: string;
  id?: string;
  key?: string;
  fields: FormFieldInput[];
};

function formSegment(storeId: string, params: SubmitParams): string {
  return params.form_id ?? params.formId ?? segment(storeId, params);
}

function reads(t: Transport, prefix: '/v1/stores' | '/v1/storefront') {
  return {
    /** One form by id or key. */
    get: (params: FormRef): Promise<Result<Form>> => {
      const { storeId } = t.scope(params);
      return t.request({
        method: 'GET',
        path: `${prefix}/${encodeURIComponent(storeId)}/forms/${encodeURIComponent(segment(storeId, params))}`,
      });
    },
    /** Submits the form; every field is validated (400 `validation_error` at `fields.N.value`). */
    submit: (params: SubmitParams & { profile_id?: string | null }): Promise<Result<FormSubmission>> => {
      const { storeId } = t.scope(params);
      const body = {
        fields: params.fields,
        ...(params.profile_id !== undefined && prefix === '/v1/stores'
          ? { profile_id: params.profile_id }
          : {}),
      };
      return t.request({
        method: 'POST',
        path: `${prefix}/${encodeURIComponent(storeId)}/forms/${encodeURIComponent(formSegment(storeId, params))}/submissions`,
        body,
      });
    },
  };
}

/** `sdk.cms.form` (CONTRACT §8.3): forms, their schema, and submissions. */
export function cmsFormNamespace(t: Transport) {
  return {
    ...reads(t, '/v1/stores'),
    create: (params: FormCreate): Promise<Result<Form>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/forms`, body: rest });
    },
    update: (params: FormUpdate): Promise<Result<Form>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({ method: 'PUT', path: path`/v1/stores/${storeId}/forms/${String(id)}`, body });
    },
    delete: (params: StoreParam & { id: string }): Promise<Result<Deleted>> => {
      const { storeId } = t.scope(params);
      return t.request({ method: 'DELETE', path: path`/v1/stores/${storeId}/forms/${params.id}` });
    },
    find: (params: FormFind = {}): PageRequest<Form> => {
      const { storeId, rest } = t.scope(params);
      return t.list<Form>(path`/v1/stores/${storeId}/forms`, rest);
    },
    /** Submissions across forms (`form_ids`, `profile_id`, `query`). */
    getSubmissions: (params: SubmissionFind = {}): PageRequest<FormSubmission> => {
      const { storeId, rest } = t.scope(params);
      return t.list<FormSubmission>(path`/v1/stores/${storeId}/forms/submissions`, rest);
    },
    getSubmission: (
      params: StoreParam & { form_id?: string; formId?: string; id: string },
    ): Promise<Result<FormSubmission>> => {
      const { storeId } = t.scope(params);
      const formId = params.form_id ?? params.formId ?? '';
      return t.request({
        method: 'GET',
        path: path`/v1/stores/${storeId}/forms/${formId}/submissions/${params.id}`,
      });
    },
    /** An admin correction: the fields are replaced and validated again. */
    updateSubmission: (
      params: StoreParam & { form_id?: string; formId?: string; id: string; fields: FormFieldInput[] },
    ): Promise<Result<FormSubmission>> => {
      const { storeId } = t.scope(params);
      const formId = params.form_id ?? params.formId ?? '';
      return t.request({
        method: 'PUT',
        path: path`/v1/stores/${storeId}/forms/${formId}/submissions/${params.id}`,
        body: { fields: params.fields },
      });
    },
  };
}

/** `sf.cms.form`: read an active form and submit it as the shopper (or a new guest). */
export function storefrontCmsFormNamespace(t: Transport) {
  return reads(t, '/v1/storefront');
}

export type CmsFormNamespace = ReturnType<typeof cmsFormNamespace>;
export type StorefrontCmsFormNamespace = ReturnType<typeof storefrontCmsFormNamespace>;
