import type {
  Account,
  SearchAccountsQuery,
  UpdateAccountBody,
  UpdateAccountResult,
} from '@openarky/contract';
import type { PageRequest } from '../paginate.ts';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import type { Deleted } from '../params.ts';

export type { Account };

/** `sdk.account` (CONTRACT §3): the caller's account, its API keys, and member search. */
export function accountNamespace(t: Transport) {
  return {
    /** The calling account with memberships and API keys (values never listed). */
    getMe: (): Promise<Result<Account>> => t.request({ method: 'GET', path: '/v1/accounts/me' }),

    /**
     * Partial update. `api_tokens` is the complete desired list: `{ id: null, name }` creates a
     * key (its value appears once in `newly_created_tokens`), listed ids are kept, others revoked.
     */
    updateAccount: (params: UpdateAccountBody): Promise<Result<UpdateAccountResult>> =>
      t.request({ method: 'PUT', path: '/v1/accounts', body: params }),

    /** Deletes the calling account (409 `in_use` while it is a store's last owner). */
    deleteAccount: (): Promise<Result<Deleted>> => t.request({ method: 'DELETE', path: '/v1/accounts' }),

    /** Members of a store (the client's store unless `store_id` is given). */
    searchAccounts: (
      params: Partial<SearchAccountsQuery> & { storeId?: string } = {},
    ): PageRequest<Account> => {
      const { storeId, rest } = t.scope(params);
      return t.list<Account>('/v1/accounts/search', { ...rest, store_id: storeId });
    },
  };
}

/** `sdk.account`. */
export type AccountNamespace = ReturnType<typeof accountNamespace>;
