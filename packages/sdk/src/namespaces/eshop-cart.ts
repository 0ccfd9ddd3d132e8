import type {
  Cart,
  CartItemInput,
  CheckoutResult,
  CreateCartBody,
  ListCartsQuery,
  Quote,
  UpdateCartBody,
} from '@openarky/contract';
import type { PageRequest } from '../paginate.ts';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { StoreParam } from '../params.ts';

export type { Cart, CartItemInput };
export type CartRef = StoreParam & { id: string };
export type RemoveItemParams = CartRef & { item_id?: string; product_id?: string; variant_id?: string };

/** The sub-paths carts share on both surfaces (CONTRACT §6.2). */
function cartCalls(t: Transport, prefix: 'stores' | 'storefront') {
  const base = (storeId: string, id: string) =>
    `/v1/${prefix}/${encodeURIComponent(storeId)}/carts/${encodeURIComponent(id)}`;
  const send = <T>(
    params: CartRef,
    sub: string,
    method: 'GET' | 'POST' | 'PUT',
    body?: Record<string, unknown>,
    query?: Record<string, unknown>,
  ) => {
    const { storeId } = t.scope(params);
    // The storefront body also carries store_id and id (0.9.x wire shape).
    const payload =
      method === 'GET'
        ? undefined
        : prefix === 'storefront'
          ? { store_id: storeId, id: params.id, ...body }
          : (body ?? {});
    return t.request<T>({
      method,
      path: base(storeId, params.id) + sub,
      ...(payload ? { body: payload } : {}),
      ...(query ? { query } : {}),
    });
  };
  return {
    update: (params: CartRef & UpdateCartBody): Promise<Result<Cart>> => {
      const {
        store_id: _s,
        storeId: _t,
        id: _i,
        ...body
      } = params as CartRef & UpdateCartBody & { storeId?: string };
      return send<Cart>(params, '', 'PUT', body);
    },
    addItem: (params: CartRef & { item: CartItemInput }): Promise<Result<Cart>> =>
      send<Cart>(params, '/items', 'POST', { item: params.item }),
    removeItem: (params: RemoveItemParams): Promise<Result<Cart>> =>
      send<Cart>(params, '/items/remove', 'POST', {
        item_id: params.item_id,
        product_id: params.product_id,
        variant_id: params.variant_id,
      }),
    clear: (params: CartRef): Promise<Result<Cart>> => send<Cart>(params, '/clear', 'POST'),
    quote: (params: CartRef): Promise<Result<Quote>> => send<Quote>(params, '/quote', 'POST'),
    checkout: (
      params: CartRef & { payment_method_id?: 'cash' | 'credit_card' },
    ): Promise<Result<CheckoutResult>> =>
      send<CheckoutResult>(
        params,
        '/checkout',
        'POST',
        params.payment_method_id ? { payment_method_id: params.payment_method_id } : {},
      ),
    get: (params: CartRef & { token?: string }): Promise<Result<Cart>> =>
      send<Cart>(params, '', 'GET', undefined, params.token ? { token: params.token } : undefined),
  };
}

/** `sdk.eshop.cart`: carts of any profile of the store. */
export function eshopCartNamespace(t: Transport) {
  return {
    ...cartCalls(t, 'stores'),
    find: (params: StoreParam & Partial<ListCartsQuery> = {}): PageRequest<Cart> => {
      const { storeId, rest } = t.scope(params);
      return t.list<Cart>(path`/v1/stores/${storeId}/carts`, rest);
    },
    create: (
      params: StoreParam & Omit<CreateCartBody, 'market'> & { market?: string },
    ): Promise<Result<Cart>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({
        method: 'POST',
        path: path`/v1/stores/${storeId}/carts`,
        body: { ...rest, market: rest.market ?? t.config.market },
      });
    },
  };
}

/** `sf.eshop.cart`: the shopper's own carts (profile token) or a recovery `token`. */
export function storefrontCartNamespace(t: Transport) {
  return {
    ...cartCalls(t, 'storefront'),
    /** The caller's active cart, created when needed; `market` defaults to the client's market. */
    current: (params: StoreParam & { market?: string } = {}): Promise<Result<Cart>> => {
      const { storeId, rest } = t.scope(params);
      const market = rest.market ?? t.config.market;
      return t.request({
        method: 'POST',
        path: path`/v1/storefront/${storeId}/carts/current`,
        body: { store_id: storeId, ...(market ? { market } : {}) },
      });
    },
  };
}
