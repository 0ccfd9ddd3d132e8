import type {
  AddMemberBody,
  MemberRole,
  CreateStoreBody,
  ListStoresQuery,
  PortalResult,
  Store,
  SubscribeBody,
  SubscribeResult,
  SubscriptionPlan,
  UpdateStoreBody,
} from '@openarky/contract';
import type { PageRequest } from '../paginate.ts';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { Deleted, StoreParam } from '../params.ts';

export type { Store, SubscriptionPlan, SubscribeResult };

/**
 * `sdk.store` (CONTRACT §4, seed 000 parameter shapes). Other namespaces hang off this object
 * (`store.market`, `store.location`): client.ts assigns them after building it.
 */
export function storeNamespace(t: Transport) {
  /** `role`: a built-in role or a custom role id (`sdk.store.role.create`); default `admin`. */
  const addMember = (
    params: Omit<AddMemberBody, 'role'> & { role?: MemberRole } & StoreParam,
  ): Promise<Result<true>> => {
    const { storeId, rest } = t.scope(params);
    return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/members`, body: rest });
  };

  return {
    /** The client's store (or `id`), with counts and subscription. */
    getStore: (params: { id?: string } & StoreParam = {}): Promise<Result<Store>> => {
      const { storeId } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/stores/${params.id ?? storeId}` });
    },

    /** Stores the caller is a member of (seed 000 also writes `isNetwork`, `status: 'ACTIVE'`). */
    getStores: (
      params: Partial<ListStoresQuery> & { isNetwork?: boolean; cursor?: string | null } = {},
    ): PageRequest<Store> => t.list<Store>('/v1/stores', params as Record<string, unknown>),

    /** Creates a store; the caller becomes its owner and markets `us` and `eu` are created. */
    createStore: (params: CreateStoreBody): Promise<Result<Store>> =>
      t.request({ method: 'POST', path: '/v1/stores', body: params }),

    /** Partial update of store `id` (default: the client's store). */
    updateStore: (params: UpdateStoreBody & { id?: string } & StoreParam): Promise<Result<Store>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({
        method: 'PUT',
        path: path`/v1/stores/${typeof id === 'string' ? id : storeId}`,
        body,
      });
    },

    /** Deletes store `id` and everything in it (irreversible). */
    deleteStore: (params: { id: string }): Promise<Result<Deleted>> =>
      t.request({ method: 'DELETE', path: path`/v1/stores/${params.id}` }),

    /** Platform subscription plans. */
    getSubscriptionPlans: (_params: object = {}): Promise<Result<SubscriptionPlan[]>> =>
      t.request({ method: 'GET', path: '/v1/stores/plans' }),

    /** Subscribes the store to a plan: `url` is the checkout link, or null when active at once. */
    subscribe: (params: SubscribeBody & StoreParam): Promise<Result<SubscribeResult>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'PUT', path: path`/v1/stores/${storeId}/subscribe`, body: rest });
    },

    /** Billing portal link (`return_url`, or seed 000's `returnUrl`). */
    createPortalSession: (
      params: ({ return_url: string } | { returnUrl: string }) & StoreParam,
    ): Promise<Result<PortalResult>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/subscription/portal`, body: rest });
    },

    /** Adds a member at once (creates the account when unknown); answers `true`. */
    addMember,
    /** 0.9.x name of `addMember`. */
    inviteUser: addMember,

    /** Removes a member (`account_id`, or `accountId`). */
    removeMember: (
      params: ({ account_id: string } | { accountId: string }) & StoreParam,
    ): Promise<Result<{ removed: true }>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'DELETE', path: path`/v1/stores/${storeId}/members/${rest.account_id}` });
    },
  };
}

/** `sdk.store` (without the sub-namespaces other files add). */
export type StoreNamespace = ReturnType<typeof storeNamespace>;
