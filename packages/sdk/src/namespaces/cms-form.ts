import type {
  CreateFormBody,
  FindFormsQuery,
  FindSubmissionsQuery,
  Form,
  FormSubmission,
  UpdateFormBody,
} from '@openarky/contract';
import type { PageRequest, PaginationParams } from '../paginate.ts';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';

export type { Form, FormSubmission };

type StoreScope = { store_id?: string; storeId?: string };
/** Which form: `id`, or `key` (sent as `storeId:key`). */
export type FormRef = StoreScope & { id?: string; key?: string };
export type FormCreate = CreateFormBody & StoreScope;
export type FormUpdate = UpdateFormBody & StoreScope & { id: string };
export type FormFind = Partial<Omit<FindFormsQuery, 'cursor'>> & StoreScope & PaginationParams;
/** A submitted value: `key` names the schema field. */
export type FormFieldInput = { key: string; value: unknown; id?: string; type?: string };
export type SubmissionFind = Partial<Omit<FindSubmissionsQuery, 'cursor'>> & StoreScope & PaginationParams;

const segment = (storeId: string, ref: FormRef) => (ref.id ? ref.id : `${storeId}:${ref.key ?? ''}`);

/** Params of a submission: the form by `form_id` (0.9.x `formId`) or `id`/`key`. */
type SubmitParams = StoreScope & {
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
    delete: (params: StoreScope & { id: string }): Promise<Result<{ deleted: true }>> => {
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
      params: StoreScope & { form_id?: string; formId?: string; id: string },
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
      params: StoreScope & { form_id?: string; formId?: string; id: string; fields: FormFieldInput[] },
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
