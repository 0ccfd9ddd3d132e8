import type { CreateMarketBody, Market, UpdateMarketBody } from '@openarky/contract';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { Deleted, StoreParam } from '../params.ts';

export type { Market };

/** A market by id or key (`'us'`). */
export type MarketRef = StoreParam & { id: string };

/**
 * `sdk.store.market`, also reachable as `sdk.market` (seed 000): markets with their zones and
 * shipping methods (CONTRACT §5). Seed 002 shapes (`taxBps`, `{ method: 'CREDIT_CARD' }`, shipping
 * `prices`) are accepted as input.
 */
export function marketNamespace(t: Transport) {
  return {
    /** Every market of the store, in display order (the first is the default). */
    list: (params: StoreParam = {}): Promise<Result<Market[]>> =>
      t.request({ method: 'GET', path: path`/v1/stores/${t.scope(params).storeId}/markets` }),
    /** One market by id or key. */
    get: (params: MarketRef): Promise<Result<Market>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/stores/${storeId}/markets/${rest.id}` });
    },
    create: (params: CreateMarketBody & StoreParam): Promise<Result<Market>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/markets`, body: rest });
    },
    /** Partial update; `zones` replaces the whole list. */
    update: (params: UpdateMarketBody & MarketRef): Promise<Result<Market>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({ method: 'PUT', path: path`/v1/stores/${storeId}/markets/${id}`, body });
    },
    /** Fails with `in_use` (reason `last_market`) for the store's only market. */
    delete: (params: MarketRef): Promise<Result<Deleted>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'DELETE', path: path`/v1/stores/${storeId}/markets/${rest.id}` });
    },
  };
}

/** `sf.store.market`: public reads of the store's markets. */
export function storefrontMarketNamespace(t: Transport) {
  return {
    list: (params: StoreParam = {}): Promise<Result<Market[]>> =>
      t.request({ method: 'GET', path: path`/v1/storefront/${t.scope(params).storeId}/markets` }),
    get: (params: MarketRef): Promise<Result<Market>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/storefront/${storeId}/markets/${rest.id}` });
    },
  };
}

/** `sdk.store.market` = `sdk.market`. */
export type MarketNamespace = ReturnType<typeof marketNamespace>;
/** `sf.store.market`. */
export type StorefrontMarketNamespace = ReturnType<typeof storefrontMarketNamespace>;
