import type { IdentifyResult, Profile, ProfileMe, ProfileToken, StorefrontStore } from '@openarky/contract';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { LoggedOut, StoreParam } from '../params.ts';

export type { IdentifyResult, Profile, ProfileMe, ProfileToken, StorefrontStore };

/**
 * `sf.identify`, `sf.verify`, `sf.logout`, `sf.me` (CONTRACT §3): the shopper's guest/profile
 * token. identify and verify store the token with `setToken(token, { provider: 'GUEST' })`.
 */
export function profileNamespace(t: Transport) {
  const base = (params: StoreParam) => {
    const { storeId, rest } = t.scope(params);
    return { prefix: path`/v1/storefront/${storeId}/profiles`, rest };
  };
  return {
    /** Gets (or creates) the guest profile; `email` records it, `verify: true` emails a code. */
    identify: async (
      params: { market?: string; email?: string; verify?: boolean } & StoreParam = {},
    ): Promise<Result<IdentifyResult>> => {
      const { prefix, rest } = base(params);
      const market = rest.market ?? t.config.market;
      const res = await t.request<IdentifyResult>({
        method: 'POST',
        path: `${prefix}/identify`,
        body: { ...rest, ...(market ? { market } : {}) },
      });
      if (res.ok) t.session.adoptGuest(res.val);
      return res;
    },

    /** Proves the email with the code; stores the fresh token of the verified profile. */
    verify: async (params: { code: string; email?: string } & StoreParam): Promise<Result<ProfileToken>> => {
      const { prefix, rest } = base(params);
      const res = await t.request<ProfileToken>({ method: 'POST', path: `${prefix}/verify`, body: rest });
      if (res.ok) t.session.adoptGuest(res.val);
      return res;
    },

    /** Revokes the current profile token. */
    logout: (params: StoreParam = {}): Promise<Result<LoggedOut>> =>
      t.request({ method: 'POST', path: `${base(params).prefix}/logout` }),

    /** The shopper's profile with carts and orders. */
    me: (params: StoreParam = {}): Promise<Result<ProfileMe>> =>
      t.request({ method: 'GET', path: `${base(params).prefix}/me` }),
  };
}

/** `sf.store` (CONTRACT §4): the public view of the store. Market/location readers are added by client.ts. */
export function storefrontStoreNamespace(t: Transport) {
  return {
    /** The store as shoppers see it: no billing email, subscription, counts or settings; plus `payment`. */
    getStore: (params: StoreParam = {}): Promise<Result<StorefrontStore>> => {
      const { storeId } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/storefront/${storeId}` });
    },
  };
}
