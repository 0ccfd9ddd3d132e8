import type { CreateRoleBody, StoreRole, UpdateRoleBody } from '@openarky/contract';
import type { Static } from '@sinclair/typebox';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { Deleted, StoreParam } from '../params.ts';

export type { StoreRole };

/** `sdk.store.role` (CONTRACT §1.7 v1.1): built-in and custom roles of the store. */
export function roleNamespace(t: Transport) {
  return {
    /** Built-in roles (owner, admin, member, viewer, super) then the custom ones. */
    list: (params: StoreParam = {}): Promise<Result<StoreRole[]>> => {
      const { storeId } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/stores/${storeId}/roles` });
    },
    get: (params: { id: string } & StoreParam): Promise<Result<StoreRole>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/stores/${storeId}/roles/${rest.id}` });
    },
    /** A custom role: `{ name, permissions: [{ action, resource }] }`; resources may use `{storeId}`. */
    create: (params: Static<typeof CreateRoleBody> & StoreParam): Promise<Result<StoreRole>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/roles`, body: rest });
    },
    update: (
      params: { id: string } & Static<typeof UpdateRoleBody> & StoreParam,
    ): Promise<Result<StoreRole>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({ method: 'PUT', path: path`/v1/stores/${storeId}/roles/${id}`, body });
    },
    /** Deletes a custom role no member holds (409 `in_use` otherwise). */
    delete: (params: { id: string } & StoreParam): Promise<Result<Deleted>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'DELETE', path: path`/v1/stores/${storeId}/roles/${rest.id}` });
    },
  };
}
