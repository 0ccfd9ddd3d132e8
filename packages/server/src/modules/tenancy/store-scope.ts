import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Permission, PermissionAction, PermissionCollection } from '@openarky/contract';
import type { Ctx, Db, StoreCtx } from '../../lib/context.ts';
import { AppError, forbidden, notFound, unauthenticated } from '../../lib/errors.ts';
import { fromJson } from '../../lib/json.ts';
import { BUILT_IN_PERMISSIONS, allows, isBuiltInRole, permissionStrings } from './permissions.ts';
import { routePermission } from './route-permissions.ts';

/** The account principal of a request, or 401 (with the reason a presented credential failed). */
export function requireAccount(ctx: Ctx, authFailure?: string) {
  if (ctx.principal.kind === 'account') return ctx.principal;
  if (ctx.principal.kind === 'profile') throw forbidden('A profile token cannot use the admin API');
  throw unauthenticated(authFailure);
}

/** The permission documents of a role in a store (built-in, or the custom role's row). */
export async function rolePermissions(db: Db, storeId: string, role: string): Promise<readonly Permission[]> {
  if (isBuiltInRole(role)) return BUILT_IN_PERMISSIONS[role];
  const row = await db
    .selectFrom('roles')
    .select('permissions')
    .where('store_id', '=', storeId)
    .where('id', '=', role)
    .executeTakeFirst();
  return row ? fromJson<Permission[]>(row.permissions, []) : [];
}

/** The caller's role in a store: membership, or `super` for platform super-admins; 404 when none. */
export async function resolveStoreAccess(ctx: Ctx, storeId: string, authFailure?: string): Promise<StoreCtx> {
  const principal = requireAccount(ctx, authFailure);
  const row = await ctx.db
    .selectFrom('stores')
    .leftJoin('memberships', (join) =>
      join
        .onRef('memberships.store_id', '=', 'stores.id')
        .on('memberships.account_id', '=', principal.accountId),
    )
    .select(['stores.id', 'memberships.role'])
    .where('stores.id', '=', storeId)
    .executeTakeFirst();
  // Not a member: the store is not visible to this caller (404, never a hint that it exists).
  const role: string | null = principal.superAdmin ? 'super' : (row?.role ?? null);
  if (!row || !role) throw notFound('store', 'Store not found'); // the id is not echoed back
  return { ...ctx, store: { id: row.id, role, permissions: await rolePermissions(ctx.db, row.id, role) } };
}

/** 403 `forbidden` with `details.required` unless the caller's role allows `action` on `collection`. */
export function requirePermission(
  ctx: StoreCtx,
  collection: PermissionCollection,
  action: PermissionAction,
): void {
  if (!allows(ctx.store.permissions, ctx.store.id, collection, action)) {
    const required = `${action}:/stores/${ctx.store.id}/${collection}`;
    throw new AppError('forbidden', `Your role does not allow ${required}`, { required });
  }
}

/**
 * 403 unless the caller is a store `owner` (or `super`), or `super` for `min = 'super'`: the
 * owner-only and platform-only decisions that no custom role can be given.
 */
export function requireRole(ctx: StoreCtx, min: 'owner' | 'super', action = 'this action'): void {
  const ok =
    min === 'super' ? ctx.store.role === 'super' : ctx.store.role === 'owner' || ctx.store.role === 'super';
  if (!ok)
    throw new AppError('forbidden', `Only a store ${min} can perform ${action}`, {
      required: `admin:/stores/${ctx.store.id}`,
    });
}

declare module 'fastify' {
  interface FastifyRequest {
    storeCtx: StoreCtx;
  }
}

/**
 * Registers the guard on every route of an encapsulated plugin under `/v1/stores/:storeId/…`:
 * each request resolves the caller's membership of that store, then checks the route's entry of
 * `ROUTE_PERMISSIONS` before its handler runs, so no store-scoped route can forget the check.
 */
export function installStoreGuard(app: FastifyInstance): void {
  app.decorateRequest('storeCtx', null as unknown as StoreCtx);
  // Before body validation: a caller without the permission learns nothing from validation errors.
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const storeId = (request.params as { storeId?: string }).storeId;
    if (!storeId) throw new AppError('internal_error', 'store guard on a route without :storeId');
    const needed = routePermission(request.method, request.routeOptions.url ?? '');
    if (!needed || needed === 'public')
      throw new AppError(
        'internal_error',
        `no permission entry for ${request.method} ${request.routeOptions.url}`,
      );
    request.storeCtx = await resolveStoreAccess(request.ctx, storeId, request.authFailure);
    requirePermission(request.storeCtx, needed[0], needed[1]);
  });
}

/** `User.permissions` (seed 003): the permission strings of every given membership, in order. */
export async function membershipPermissions(
  db: Db,
  memberships: readonly { store_id: string; role: string }[],
): Promise<string[]> {
  const out: string[] = [];
  for (const m of memberships)
    out.push(...permissionStrings(await rolePermissions(db, m.store_id, m.role), m.store_id));
  return out;
}
