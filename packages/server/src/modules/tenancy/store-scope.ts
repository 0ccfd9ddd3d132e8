import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx, Role, StoreCtx } from '../../lib/context.ts';
import { AppError, forbidden, notFound, unauthenticated } from '../../lib/errors.ts';

const RANK: Record<Role, number> = { admin: 1, owner: 2, super: 3 };

/** The account principal of a request, or 401 (with the reason a presented credential failed). */
export function requireAccount(ctx: Ctx, authFailure?: string) {
  if (ctx.principal.kind === 'account') return ctx.principal;
  if (ctx.principal.kind === 'profile') throw forbidden('A profile token cannot use the admin API');
  throw unauthenticated(authFailure);
}

/** The caller's role in a store: membership, or `super` for platform super-admins; 404 when none. */
export async function resolveStoreAccess(ctx: Ctx, storeId: string, authFailure?: string): Promise<StoreCtx> {
  const principal = requireAccount(ctx, authFailure);
  const row = await ctx.db
    .selectFrom('stores')
    .leftJoin('memberships', (join) =>
      join.onRef('memberships.store_id', '=', 'stores.id').on('memberships.account_id', '=', principal.accountId),
    )
    .select(['stores.id', 'memberships.role'])
    .where('stores.id', '=', storeId)
    .executeTakeFirst();
  // Not a member: the store is not visible to this caller (404, never a hint that it exists).
  const role: Role | null = principal.superAdmin ? 'super' : (row?.role ?? null);
  if (!row || !role) throw notFound('store', 'Store not found'); // the id is not echoed back
  return { ...ctx, store: { id: row.id, role } };
}

/** 403 unless the caller's role in the store is at least `min`. */
export function requireRole(ctx: StoreCtx, min: Role, action = 'this action'): void {
  if (RANK[ctx.store.role] < RANK[min]) throw forbidden(`Only a store ${min} can perform ${action}`);
}

export function roleRank(role: Role): number {
  return RANK[role];
}

declare module 'fastify' {
  interface FastifyRequest {
    storeCtx: StoreCtx;
  }
}

/**
 * Registers the guard on every route of an encapsulated plugin under `/v1/stores/:storeId/…`:
 * each request resolves the caller's membership of that store before its handler runs, so no
 * store-scoped route can forget the check.
 */
export function installStoreGuard(app: FastifyInstance): void {
  app.decorateRequest('storeCtx', null as unknown as StoreCtx);
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const storeId = (request.params as { storeId?: string }).storeId;
    if (!storeId) throw new AppError('internal_error', 'store guard on a route without :storeId');
    request.storeCtx = await resolveStoreAccess(request.ctx, storeId, request.authFailure);
  });
}
