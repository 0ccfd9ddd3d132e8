import type {
  Availability,
  AvailabilityQuery,
  CreateProviderBody,
  CreateServiceBody,
  CreateServiceProviderBody,
  ListProvidersQuery,
  ListReservationsQuery,
  ListServicesQuery,
  Provider,
  Reservation,
  Service,
  ServiceProvider,
  UpdateProviderBody,
  UpdateServiceBody,
  UpdateServiceProviderBody,
} from '@openarky/contract';
import type { PageRequest } from '../paginate.ts';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { Deleted, StoreParam } from '../params.ts';

export type { Availability, Provider, Reservation, Service, ServiceProvider };
/** A service or provider by id or `{storeId}:{locale}:{slug}`. */
export type BookingRef = StoreParam & { id: string };
export type FindServicesParams = StoreParam & Partial<ListServicesQuery>;
export type FindProvidersParams = StoreParam & Partial<ListProvidersQuery>;
export type FindServiceProvidersParams = StoreParam & { service_id?: string; provider_id?: string };
export type AvailabilityParams = StoreParam & AvailabilityQuery;
export type FindReservationsParams = StoreParam &
  Partial<ListReservationsQuery> & { sort_order?: 'asc' | 'desc' };

/** Reads shared by the admin and storefront surfaces (`base` = `/v1/stores` or `/v1/storefront`). */
function serviceReads(t: Transport, base: 'stores' | 'storefront') {
  return {
    /** With `providers` (the service-provider links). */
    get: (params: BookingRef): Promise<Result<Service>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/${base}/${storeId}/services/${rest.id}` });
    },
    find: (params: FindServicesParams = {}): PageRequest<Service> => {
      const { storeId, rest } = t.scope(params);
      return t.list<Service>(path`/v1/${base}/${storeId}/services`, rest);
    },
    /** Free slots per provider and local date of [from, to) (unix seconds, at most 62 days). */
    getAvailability: (params: AvailabilityParams): Promise<Result<Availability>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({
        method: 'GET',
        path: path`/v1/${base}/${storeId}/services/availability`,
        query: rest,
      });
    },
    /** Service-provider links (a bare array). */
    findProviders: (params: FindServiceProvidersParams = {}): Promise<Result<ServiceProvider[]>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/${base}/${storeId}/service-providers`, query: rest });
    },
  };
}

function providerReads(t: Transport, base: 'stores' | 'storefront') {
  return {
    /** `from`/`to` fill `timeline`. */
    get: (params: BookingRef & { from?: number; to?: number }): Promise<Result<Provider>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...query } = rest;
      return t.request({ method: 'GET', path: path`/v1/${base}/${storeId}/providers/${id}`, query });
    },
    find: (params: FindProvidersParams = {}): PageRequest<Provider> => {
      const { storeId, rest } = t.scope(params);
      return t.list<Provider>(path`/v1/${base}/${storeId}/providers`, rest);
    },
  };
}

/** `sdk.eshop.service` (CONTRACT §7): services, their provider links, availability, reservations. */
export function eshopServiceNamespace(t: Transport) {
  return {
    ...serviceReads(t, 'stores'),
    create: (params: CreateServiceBody & StoreParam): Promise<Result<Service>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/services`, body: rest });
    },
    update: (params: UpdateServiceBody & BookingRef): Promise<Result<Service>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({ method: 'PUT', path: path`/v1/stores/${storeId}/services/${id}`, body });
    },
    delete: (params: BookingRef): Promise<Result<Deleted>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'DELETE', path: path`/v1/stores/${storeId}/services/${rest.id}` });
    },
    /** Links a provider to a service with prices, durations and working time. */
    createProvider: (params: CreateServiceProviderBody & StoreParam): Promise<Result<ServiceProvider>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/service-providers`, body: rest });
    },
    updateProvider: (
      params: UpdateServiceProviderBody & StoreParam & { id: string },
    ): Promise<Result<ServiceProvider>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({ method: 'PUT', path: path`/v1/stores/${storeId}/service-providers/${id}`, body });
    },
    deleteProvider: (params: StoreParam & { id: string }): Promise<Result<Deleted>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'DELETE', path: path`/v1/stores/${storeId}/service-providers/${rest.id}` });
    },
    /** Service lines of orders (seed 002 reservations). */
    findReservations: (params: FindReservationsParams = {}): PageRequest<Reservation> => {
      const { storeId, rest } = t.scope(params);
      return t.list<Reservation>(path`/v1/stores/${storeId}/reservations`, rest);
    },
  };
}

/** `sdk.eshop.provider` (CONTRACT §7). */
export function eshopProviderNamespace(t: Transport) {
  return {
    ...providerReads(t, 'stores'),
    create: (params: CreateProviderBody & StoreParam): Promise<Result<Provider>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/providers`, body: rest });
    },
    update: (params: UpdateProviderBody & BookingRef): Promise<Result<Provider>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({ method: 'PUT', path: path`/v1/stores/${storeId}/providers/${id}`, body });
    },
    delete: (params: BookingRef): Promise<Result<Deleted>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'DELETE', path: path`/v1/stores/${storeId}/providers/${rest.id}` });
    },
  };
}

/** `sf.eshop.service`: active services, their links and availability. */
export const storefrontServiceNamespace = (t: Transport) => serviceReads(t, 'storefront');
/** `sf.eshop.provider`: active providers. */
export const storefrontProviderNamespace = (t: Transport) => providerReads(t, 'storefront');
