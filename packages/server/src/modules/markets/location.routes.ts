import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  CreateLocationBody,
  Deleted,
  Location,
  LocationParams,
  StoreIdParams,
  UpdateLocationBody,
} from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped } from '../tenancy/index.ts';
import { listLocations } from './location.repo.ts';
import { createLocation, deleteLocation, getLocation, updateLocation } from './location.service.ts';

const tags = ['locations'];

/** Admin CRUD of locations: warehouses, shops and pickup points (CONTRACT §5). */
export const locationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storeScoped(app, async (scoped) => {
    scoped.get(
      '/v1/stores/:storeId/locations',
      {
        schema: {
          tags,
          summary: 'Locations of the store',
          params: StoreIdParams,
          response: { 200: Type.Array(Location), ...errorResponses },
        },
      },
      async (req) => listLocations(req.storeCtx.db, req.storeCtx.store.id),
    );

    scoped.post(
      '/v1/stores/:storeId/locations',
      {
        schema: {
          tags,
          summary: 'Create a location',
          params: StoreIdParams,
          body: CreateLocationBody,
          response: { 201: Location, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await createLocation(req.storeCtx, req.body)),
    );

    scoped.get(
      '/v1/stores/:storeId/locations/:id',
      {
        schema: {
          tags,
          summary: 'A location by id or key',
          params: LocationParams,
          response: { 200: Location, ...errorResponses },
        },
      },
      async (req) => getLocation(req.storeCtx, req.storeCtx.store.id, req.params.id),
    );

    scoped.put(
      '/v1/stores/:storeId/locations/:id',
      {
        schema: {
          tags,
          summary: 'Update a location (partial)',
          params: LocationParams,
          body: UpdateLocationBody,
          response: { 200: Location, ...errorResponses },
        },
      },
      async (req) => updateLocation(req.storeCtx, req.params.id, req.body),
    );

    scoped.delete(
      '/v1/stores/:storeId/locations/:id',
      {
        schema: {
          tags,
          summary: 'Delete a location no shipping method picks up at',
          params: LocationParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await deleteLocation(req.storeCtx, req.params.id);
        return { deleted: true as const };
      },
    );
  });
};
