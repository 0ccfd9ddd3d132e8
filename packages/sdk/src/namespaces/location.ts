import type { Country, CreateLocationBody, Location, UpdateLocationBody } from '@openarky/contract';
import type { PageRequest } from '../paginate.ts';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { Deleted, StoreParam } from '../params.ts';

export type { Location };

/** A location by id or key. */
export type LocationRef = StoreParam & { id: string };

/** The platform country catalogue, offered next to locations as 0.9.x does (CONTRACT §10.5). */
function countries(t: Transport) {
  return {
    /** Every country with its states (one page). */
    getCountries: (): PageRequest<Country> => t.list<Country>('/v1/platform/countries'),
    /** One country by ISO 3166-1 alpha-2 code, any case. */
    getCountry: (params: { code: string }): Promise<Result<Country>> =>
      t.request({ method: 'GET', path: path`/v1/platform/countries/${params.code}` }),
  };
}

/** `sdk.store.location`: warehouses, shops and pickup points (CONTRACT §5). */
export function locationNamespace(t: Transport) {
  return {
    list: (params: StoreParam = {}): Promise<Result<Location[]>> =>
      t.request({ method: 'GET', path: path`/v1/stores/${t.scope(params).storeId}/locations` }),
    get: (params: LocationRef): Promise<Result<Location>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/stores/${storeId}/locations/${rest.id}` });
    },
    create: (params: CreateLocationBody & StoreParam): Promise<Result<Location>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/locations`, body: rest });
    },
    /** Partial update; `address` replaces the whole address. */
    update: (params: UpdateLocationBody & LocationRef): Promise<Result<Location>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({ method: 'PUT', path: path`/v1/stores/${storeId}/locations/${id}`, body });
    },
    /** Fails with `in_use` while a shipping method picks up there. */
    delete: (params: LocationRef): Promise<Result<Deleted>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'DELETE', path: path`/v1/stores/${storeId}/locations/${rest.id}` });
    },
    ...countries(t),
  };
}

/** `sf.store.location`: public reads of the store's locations, plus the country catalogue. */
export function storefrontLocationNamespace(t: Transport) {
  return {
    list: (params: StoreParam = {}): Promise<Result<Location[]>> =>
      t.request({ method: 'GET', path: path`/v1/storefront/${t.scope(params).storeId}/locations` }),
    get: (params: LocationRef): Promise<Result<Location>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/storefront/${storeId}/locations/${rest.id}` });
    },
    ...countries(t),
  };
}

/** `sdk.store.location`. */
export type LocationNamespace = ReturnType<typeof locationNamespace>;
/** `sf.store.location`. */
export type StorefrontLocationNamespace = ReturnType<typeof storefrontLocationNamespace>;
