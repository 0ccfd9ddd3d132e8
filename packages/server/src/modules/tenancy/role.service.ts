import type { Static } from '@sinclair/typebox';
import type { CreateRoleBody, Permission, StoreRole, UpdateRoleBody } from '@openarky/contract';
import { BUILT_IN_ROLES } from '@openarky/contract';
import { withTx, type StoreCtx } from '../../lib/context.ts';
import { AppError, inUse, notFound, validationError, type FieldError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import {
  BUILT_IN_NAMES,
  BUILT_IN_PERMISSIONS,
  includesAll,
  isBuiltInRole,
  parseResource,
  permissionStrings,
} from './permissions.ts';
import type { RoleTable } from './tenancy.table.ts';

function toRole(row: RoleTable): StoreRole {
  return {
    id: row.id,
    store_id: row.store_id,
    name: row.name,
    built_in: false,
    permissions: fromJson<Permission[]>(row.permissions, []),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function builtIn(storeId: string, id: (typeof BUILT_IN_ROLES)[number]): StoreRole {
  return {
    id,
    store_id: storeId,
    name: BUILT_IN_NAMES[id],
    built_in: true,
    permissions: [...BUILT_IN_PERMISSIONS[id]],
    created_at: null,
    updated_at: null,
  };
}

/** Resources must name this store (or the `{storeId}` placeholder); the caller grants only what it holds. */
function checkPermissions(ctx: StoreCtx, permissions: Permission[]): Permission[] {
  const errors: FieldError[] = [];
  permissions.forEach((p, i) => {
    if (!parseResource(p.resource, ctx.store.id)) {
      errors.push({
        field: `permissions.${i}.resource`,
        reason: 'invalid_value',
        message: 'resource must be /stores/{storeId}, /stores/{storeId}/* or /stores/{storeId}/<collection>',
      });
    }
  });
  if (errors.length) throw validationError(errors);
  const normalized = permissions.map((p) => ({
    action: p.action,
    resource: p.resource.trim().replace(`/stores/${ctx.store.id}`, '/stores/{storeId}'),
    conditions: [],
  }));
  if (!includesAll(ctx.store.permissions, normalized, ctx.store.id)) {
    throw new AppError('forbidden', 'A role may hold only permissions the caller holds itself', {
      required: permissionStrings(normalized, ctx.store.id).join(' '),
    });
  }
  return normalized;
}

async function findRow(ctx: StoreCtx, id: string): Promise<RoleTable> {
  const row = await ctx.db
    .selectFrom('roles')
    .selectAll()
    .where('store_id', '=', ctx.store.id)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('role', `No role ${id}`);
  return row;
}

export async function listRoles(ctx: StoreCtx): Promise<StoreRole[]> {
  const rows = await ctx.db
    .selectFrom('roles')
    .selectAll()
    .where('store_id', '=', ctx.store.id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return [...BUILT_IN_ROLES.map((id) => builtIn(ctx.store.id, id)), ...rows.map(toRole)];
}

export async function getRole(ctx: StoreCtx, id: string): Promise<StoreRole> {
  return isBuiltInRole(id) ? builtIn(ctx.store.id, id) : toRole(await findRow(ctx, id));
}

export async function createRole(ctx: StoreCtx, input: Static<typeof CreateRoleBody>): Promise<StoreRole> {
  const permissions = checkPermissions(ctx, input.permissions);
  const now = ctx.now();
  const row: RoleTable = {
    id: newId('role'),
    store_id: ctx.store.id,
    name: input.name,
    permissions: toJson(permissions),
    created_at: now,
    updated_at: now,
  };
  return withTx(ctx, async (tx) => {
    await tx.db.insertInto('roles').values(row).execute();
    return toRole(row);
  });
}

const readOnly = (id: string) => inUse('built_in', `The built-in role ${id} cannot be changed`);

export async function updateRole(
  ctx: StoreCtx,
  id: string,
  input: Static<typeof UpdateRoleBody>,
): Promise<StoreRole> {
  if (isBuiltInRole(id)) throw readOnly(id);
  return withTx(ctx, async (tx) => {
    const row = await findRow(tx, id);
    const permissions = input.permissions ? checkPermissions(tx, input.permissions) : undefined;
    const next: RoleTable = {
      ...row,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(permissions ? { permissions: toJson(permissions) } : {}),
      updated_at: tx.now(),
    };
    await tx.db
      .updateTable('roles')
      .set({ name: next.name, permissions: next.permissions, updated_at: next.updated_at })
      .where('id', '=', id)
      .execute();
    return toRole(next);
  });
}

export async function deleteRole(ctx: StoreCtx, id: string): Promise<void> {
  if (isBuiltInRole(id)) throw readOnly(id);
  await withTx(ctx, async (tx) => {
    await findRow(tx, id);
    const used = await tx.db
      .selectFrom('memberships')
      .select('account_id')
      .where('store_id', '=', ctx.store.id)
      .where('role', '=', id)
      .executeTakeFirst();
    if (used) throw inUse('role_in_use', 'A member has this role');
    await tx.db.deleteFrom('roles').where('id', '=', id).execute();
  });
}
