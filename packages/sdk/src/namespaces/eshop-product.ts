import type { CreateProductBody, ListProductsQuery, Product, UpdateProductBody } from '@openarky/contract';
import type { PageRequest } from '../paginate.ts';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { Deleted, StoreParam } from '../params.ts';

export type { Product };
/** A product by id or `{storeId}:{locale}:{slug}`. */
export type ProductRef = StoreParam & { id: string };
export type FindProductsParams = StoreParam & Partial<ListProductsQuery>;

/** `sdk.eshop.product` (CONTRACT §6.1). */
export function eshopProductNamespace(t: Transport) {
  return {
    create: (params: CreateProductBody & StoreParam): Promise<Result<Product>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/products`, body: rest });
    },
    /** `variants` is the complete list: entries without id are created, missing ones deleted. */
    update: (params: UpdateProductBody & ProductRef): Promise<Result<Product>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({ method: 'PUT', path: path`/v1/stores/${storeId}/products/${id}`, body });
    },
    delete: (params: ProductRef): Promise<Result<Deleted>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'DELETE', path: path`/v1/stores/${storeId}/products/${rest.id}` });
    },
    get: (params: ProductRef): Promise<Result<Product>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/stores/${storeId}/products/${rest.id}` });
    },
    find: (params: FindProductsParams = {}): PageRequest<Product> => {
      const { storeId, rest } = t.scope(params);
      return t.list<Product>(path`/v1/stores/${storeId}/products`, rest);
    },
  };
}

/** `sf.eshop.product`: active products only. */
export function storefrontProductNamespace(t: Transport) {
  return {
    get: (params: ProductRef): Promise<Result<Product>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/storefront/${storeId}/products/${rest.id}` });
    },
    find: (params: FindProductsParams = {}): PageRequest<Product> => {
      const { storeId, rest } = t.scope(params);
      return t.list<Product>(path`/v1/storefront/${storeId}/products`, rest);
    },
  };
}
