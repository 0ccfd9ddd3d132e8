import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Availability,
  AvailabilityQuery,
  BookingParams,
  ListProvidersQuery,
  ListServiceProvidersQuery,
  ListServicesQuery,
  Page,
  Provider,
  ProviderWindowQuery,
  Service,
  ServiceProvider,
  StoreIdParams,
} from '@openarky/contract';
import { Type } from '@sinclair/typebox';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storefrontScoped } from '../tenancy/index.ts';
import { getAvailability } from './availability.service.ts';
import { findProviders, findServices, getProvider, getService } from './entity.service.ts';
import { findServiceProviders } from './service-provider.service.ts';

const sf = ['storefront'];

/** Storefront reads of booking (CONTRACT §7): active records only (services, providers and links of active ones). */
export const storefrontBookingRoutes: FastifyPluginAsyncTypebox = async (app) =>
  storefrontScoped(app, async (shop) => {
    shop.get(
      '/v1/storefront/:storeId/services',
      {
        schema: {
          tags: sf,
          summary: 'Find active services',
          params: StoreIdParams,
          querystring: ListServicesQuery,
          response: { 200: Page(Service), ...errorResponses },
        },
      },
      async (req) => {
        return findServices(req.ctx, req.params.storeId, req.query, true);
      },
    );
    shop.get(
      '/v1/storefront/:storeId/services/availability',
      {
        schema: {
          tags: sf,
          summary: 'Free slots of an active service',
          params: StoreIdParams,
          querystring: AvailabilityQuery,
          response: { 200: Availability, ...errorResponses },
        },
      },
      async (req) => {
        return getAvailability(req.ctx, req.params.storeId, req.query, true);
      },
    );
    shop.get(
      '/v1/storefront/:storeId/services/:id',
      {
        schema: {
          tags: sf,
          summary: 'Get an active service with its active providers',
          params: BookingParams,
          response: { 200: Service, ...errorResponses },
        },
      },
      async (req) => {
        return getService(req.ctx, req.params.storeId, req.params.id, true);
      },
    );
    shop.get(
      '/v1/storefront/:storeId/service-providers',
      {
        schema: {
          tags: sf,
          summary: 'Links of active services and providers',
          params: StoreIdParams,
          querystring: ListServiceProvidersQuery,
          response: { 200: Type.Array(ServiceProvider), ...errorResponses },
        },
      },
      async (req) => {
        return findServiceProviders(req.ctx, req.params.storeId, req.query, true);
      },
    );
    shop.get(
      '/v1/storefront/:storeId/providers',
      {
        schema: {
          tags: sf,
          summary: 'Find active providers',
          params: StoreIdParams,
          querystring: ListProvidersQuery,
          response: { 200: Page(Provider), ...errorResponses },
        },
      },
      async (req) => {
        return findProviders(req.ctx, req.params.storeId, req.query, true);
      },
    );
    shop.get(
      '/v1/storefront/:storeId/providers/:id',
      {
        schema: {
          tags: sf,
          summary: 'Get an active provider',
          params: BookingParams,
          querystring: ProviderWindowQuery,
          response: { 200: Provider, ...errorResponses },
        },
      },
      async (req) => {
        return getProvider(req.ctx, req.params.storeId, req.params.id, true, req.query);
      },
    );
  });
