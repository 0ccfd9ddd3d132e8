import type {
  CheckoutBody,
  CheckoutResult,
  ListOrdersQuery,
  Order,
  Quote,
  QuoteBody,
  UpdateOrderBody,
} from '@openarky/contract';
import type { PageRequest } from '../paginate.ts';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { StoreParam } from '../params.ts';

export type { CheckoutResult, Order, Quote };
export type OrderRef = StoreParam & { id: string };
export type FindOrdersParams = StoreParam & Partial<ListOrdersQuery>;
/** Quote and checkout bodies; `market` defaults to the client's market (CONTRACT §2.4 item 6). */
export type QuoteParams = StoreParam & Omit<QuoteBody, 'market'> & { market?: string };
export type CheckoutParams = StoreParam & Omit<CheckoutBody, 'market'> & { market?: string };

/** `sdk.eshop.order` (CONTRACT §6.3, §6.4, §6.6, §6.7). */
export function eshopOrderNamespace(t: Transport) {
  const withMarket = <P extends { market?: string | undefined }>(rest: P) => ({
    ...rest,
    market: rest.market ?? t.config.market,
  });
  return {
    get: (params: OrderRef): Promise<Result<Order>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/stores/${storeId}/orders/${rest.id}` });
    },
    find: (params: FindOrdersParams = {}): PageRequest<Order> => {
      const { storeId, rest } = t.scope(params);
      return t.list<Order>(path`/v1/stores/${storeId}/orders`, rest);
    },
    /** Workflow changes go through the server's transition table (409 invalid_transition otherwise). */
    update: (params: UpdateOrderBody & OrderRef): Promise<Result<Order>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({ method: 'PUT', path: path`/v1/stores/${storeId}/orders/${id}`, body });
    },
    getQuote: (params: QuoteParams): Promise<Result<Quote>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({
        method: 'POST',
        path: path`/v1/stores/${storeId}/orders/quote`,
        body: withMarket(rest),
      });
    },
    checkout: (params: CheckoutParams): Promise<Result<CheckoutResult>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({
        method: 'POST',
        path: path`/v1/stores/${storeId}/orders/checkout`,
        body: withMarket(rest),
      });
    },
    /** Partial refund in minor units. */
    processRefund: (params: OrderRef & { amount: number }): Promise<Result<Order>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({
        method: 'POST',
        path: path`/v1/stores/${storeId}/orders/${rest.id}/refund`,
        body: { amount: rest.amount },
      });
    },
  };
}

/** `sdk.store.processRefund` (seed 000): `id` is the store, `entity` the order. */
export function storeProcessRefund(t: Transport) {
  return (params: {
    id?: string;
    store_id?: string;
    storeId?: string;
    entity: string;
    amount: number;
  }): Promise<Result<Order>> => {
    const storeId = params.id ?? t.scope(params).storeId;
    return t.request({
      method: 'POST',
      path: path`/v1/stores/${storeId}/refund`,
      body: { id: storeId, entity: params.entity, amount: params.amount },
    });
  };
}

/** `sf.eshop.order`: the caller's own orders. */
export function storefrontOrderNamespace(t: Transport) {
  return {
    get: (params: OrderRef): Promise<Result<Order>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/storefront/${storeId}/orders/${rest.id}` });
    },
    find: (params: FindOrdersParams = {}): PageRequest<Order> => {
      const { storeId, rest } = t.scope(params);
      return t.list<Order>(path`/v1/storefront/${storeId}/orders`, rest);
    },
  };
}
