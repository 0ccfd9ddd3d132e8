import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Availability,
  AvailabilityQuery,
  BookingParams,
  CreateProviderBody,
  CreateServiceBody,
  CreateServiceProviderBody,
  Deleted,
  ListProvidersQuery,
  ListReservationsQuery,
  ListServiceProvidersQuery,
  ListServicesQuery,
  Page,
  Provider,
  ProviderWindowQuery,
  Reservation,
  Service,
  ServiceProvider,
  StoreIdParams,
  UpdateProviderBody,
  UpdateServiceBody,
  UpdateServiceProviderBody,
} from '@openarky/contract';
import { Type } from '@sinclair/typebox';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped } from '../tenancy/index.ts';
import { getAvailability } from './availability.service.ts';
import {
  createProvider,
  createService,
  deleteEntity,
  findProviders,
  findServices,
  getProvider,
  getService,
  updateProvider,
  updateService,
} from './entity.service.ts';
import { findReservations } from './reservation.service.ts';
import {
  createServiceProvider,
  deleteServiceProvider,
  findServiceProviders,
  updateServiceProvider,
} from './service-provider.service.ts';

const tags = ['booking'];
const deleted = { deleted: true as const };

/** Services, providers, their links, availability and reservations (CONTRACT §7). */
export const bookingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storeScoped(app, async (s) => {
    s.post(
      '/v1/stores/:storeId/services',
      {
        schema: {
          tags,
          summary: 'Create a service',
          params: StoreIdParams,
          body: CreateServiceBody,
          response: { 201: Service, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await createService(req.storeCtx, req.body)),
    );
    s.get(
      '/v1/stores/:storeId/services',
      {
        schema: {
          tags,
          summary: 'Find services',
          params: StoreIdParams,
          querystring: ListServicesQuery,
          response: { 200: Page(Service), ...errorResponses },
        },
      },
      async (req) => findServices(req.storeCtx, req.storeCtx.store.id, req.query, false),
    );
    s.get(
      '/v1/stores/:storeId/services/availability',
      {
        schema: {
          tags,
          summary: 'Free slots of a service per provider and local date',
          params: StoreIdParams,
          querystring: AvailabilityQuery,
          response: { 200: Availability, ...errorResponses },
        },
      },
      async (req) => getAvailability(req.storeCtx, req.storeCtx.store.id, req.query, false),
    );
    s.get(
      '/v1/stores/:storeId/services/:id',
      {
        schema: {
          tags,
          summary: 'Get a service (id or store:locale:slug) with its providers',
          params: BookingParams,
          response: { 200: Service, ...errorResponses },
        },
      },
      async (req) => getService(req.storeCtx, req.storeCtx.store.id, req.params.id, false),
    );
    s.put(
      '/v1/stores/:storeId/services/:id',
      {
        schema: {
          tags,
          summary: 'Update a service',
          params: BookingParams,
          body: UpdateServiceBody,
          response: { 200: Service, ...errorResponses },
        },
      },
      async (req) => updateService(req.storeCtx, req.params.id, req.body),
    );
    s.delete(
      '/v1/stores/:storeId/services/:id',
      {
        schema: {
          tags,
          summary: 'Delete a service and its provider links',
          params: BookingParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await deleteEntity(req.storeCtx, 'service', req.params.id);
        return deleted;
      },
    );

    s.get(
      '/v1/stores/:storeId/service-providers',
      {
        schema: {
          tags,
          summary: 'Find service-provider links',
          params: StoreIdParams,
          querystring: ListServiceProvidersQuery,
          response: { 200: Type.Array(ServiceProvider), ...errorResponses },
        },
      },
      async (req) => findServiceProviders(req.storeCtx, req.storeCtx.store.id, req.query, false),
    );
    s.post(
      '/v1/stores/:storeId/service-providers',
      {
        schema: {
          tags,
          summary: 'Link a provider to a service (prices, durations, working time)',
          params: StoreIdParams,
          body: CreateServiceProviderBody,
          response: { 201: ServiceProvider, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await createServiceProvider(req.storeCtx, req.body)),
    );
    s.put(
      '/v1/stores/:storeId/service-providers/:id',
      {
        schema: {
          tags,
          summary: 'Update a service-provider link',
          params: BookingParams,
          body: UpdateServiceProviderBody,
          response: { 200: ServiceProvider, ...errorResponses },
        },
      },
      async (req) => updateServiceProvider(req.storeCtx, req.params.id, req.body),
    );
    s.delete(
      '/v1/stores/:storeId/service-providers/:id',
      {
        schema: {
          tags,
          summary: 'Delete a service-provider link',
          params: BookingParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await deleteServiceProvider(req.storeCtx, req.params.id);
        return deleted;
      },
    );

    s.post(
      '/v1/stores/:storeId/providers',
      {
        schema: {
          tags,
          summary: 'Create a provider',
          params: StoreIdParams,
          body: CreateProviderBody,
          response: { 201: Provider, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await createProvider(req.storeCtx, req.body)),
    );
    s.get(
      '/v1/stores/:storeId/providers',
      {
        schema: {
          tags,
          summary: 'Find providers (timeline with from/to)',
          params: StoreIdParams,
          querystring: ListProvidersQuery,
          response: { 200: Page(Provider), ...errorResponses },
        },
      },
      async (req) => findProviders(req.storeCtx, req.storeCtx.store.id, req.query, false),
    );
    s.get(
      '/v1/stores/:storeId/providers/:id',
      {
        schema: {
          tags,
          summary: 'Get a provider (id or store:locale:slug)',
          params: BookingParams,
          querystring: ProviderWindowQuery,
          response: { 200: Provider, ...errorResponses },
        },
      },
      async (req) => getProvider(req.storeCtx, req.storeCtx.store.id, req.params.id, false, req.query),
    );
    s.put(
      '/v1/stores/:storeId/providers/:id',
      {
        schema: {
          tags,
          summary: 'Update a provider',
          params: BookingParams,
          body: UpdateProviderBody,
          response: { 200: Provider, ...errorResponses },
        },
      },
      async (req) => updateProvider(req.storeCtx, req.params.id, req.body),
    );
    s.delete(
      '/v1/stores/:storeId/providers/:id',
      {
        schema: {
          tags,
          summary: 'Delete a provider and its service links',
          params: BookingParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await deleteEntity(req.storeCtx, 'provider', req.params.id);
        return deleted;
      },
    );

    s.get(
      '/v1/stores/:storeId/reservations',
      {
        schema: {
          tags,
          summary: 'Find reservations (service lines of orders)',
          params: StoreIdParams,
          querystring: ListReservationsQuery,
          response: { 200: Page(Reservation), ...errorResponses },
        },
      },
      async (req) => findReservations(req.storeCtx, req.storeCtx.store.id, req.query),
    );
  });
};
