import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  CreateRoleBody,
  Deleted,
  RoleParams,
  StoreIdParams,
  StoreRole,
  UpdateRoleBody,
} from '@openarky/contract';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped } from './scoped.ts';
import { createRole, deleteRole, getRole, listRoles, updateRole } from './role.service.ts';

const tags = ['stores'];

/** Built-in and custom roles of a store (CONTRACT §1.7 v1.1). */
export const roleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storeScoped(app, async (scoped) => {
    scoped.get(
      '/v1/stores/:storeId/roles',
      {
        schema: {
          tags,
          summary: 'Built-in and custom roles',
          params: StoreIdParams,
          response: { 200: Type.Array(StoreRole), ...errorResponses },
        },
      },
      async (req) => listRoles(req.storeCtx),
    );
    scoped.post(
      '/v1/stores/:storeId/roles',
      {
        schema: {
          tags,
          summary: 'Create a custom role',
          params: StoreIdParams,
          body: CreateRoleBody,
          response: { 201: StoreRole, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await createRole(req.storeCtx, req.body)),
    );
    scoped.get(
      '/v1/stores/:storeId/roles/:id',
      {
        schema: {
          tags,
          summary: 'Get a role',
          params: RoleParams,
          response: { 200: StoreRole, ...errorResponses },
        },
      },
      async (req) => getRole(req.storeCtx, req.params.id),
    );
    scoped.put(
      '/v1/stores/:storeId/roles/:id',
      {
        schema: {
          tags,
          summary: 'Update a custom role',
          params: RoleParams,
          body: UpdateRoleBody,
          response: { 200: StoreRole, ...errorResponses },
        },
      },
      async (req) => updateRole(req.storeCtx, req.params.id, req.body),
    );
    scoped.delete(
      '/v1/stores/:storeId/roles/:id',
      {
        schema: {
          tags,
          summary: 'Delete a custom role (not in use)',
          params: RoleParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await deleteRole(req.storeCtx, req.params.id);
        return { deleted: true as const };
      },
    );
  });
};
