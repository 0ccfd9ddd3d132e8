import type { Ctx, StoreCtx } from '../../lib/context.ts';
import { forbidden, unauthenticated } from '../../lib/errors.ts';
import { requirePermission, resolveStoreAccess } from '../tenancy/index.ts';

/** Who is buying: a store member (admin surface) or a profile of the store (storefront). */
export type Buyer = { kind: 'admin'; ctx: StoreCtx } | { kind: 'profile'; ctx: Ctx; profileId: string };

/**
 * Quote and checkout accept a member's credentials or a profile token of that store (CONTRACT
 * §1.1 exception): the explicit check for routes registered outside `storeScoped`.
 */
export async function resolveBuyer(
  ctx: Ctx,
  storeId: string,
  authFailure: string | undefined,
  action: 'read' | 'write',
): Promise<Buyer> {
  const p = ctx.principal;
  if (p.kind === 'profile') {
    if (p.storeId !== storeId) throw forbidden('This profile token belongs to another store');
    return { kind: 'profile', ctx, profileId: p.profileId };
  }
  if (p.kind === 'anonymous') throw unauthenticated(authFailure);
  const scoped = await resolveStoreAccess(ctx, storeId, authFailure);
  requirePermission(scoped, 'orders', action);
  return { kind: 'admin', ctx: scoped };
}

/** A storefront route that needs the caller's own profile (`current` cart, orders). */
export function requireProfile(ctx: Ctx, storeId: string, authFailure?: string): string {
  const p = ctx.principal;
  if (p.kind === 'profile') {
    if (p.storeId !== storeId) throw forbidden('This profile token belongs to another store');
    return p.profileId;
  }
  if (p.kind === 'account') throw forbidden('The storefront needs a guest or profile token');
  throw unauthenticated(authFailure ?? 'A guest or profile token is required (identify first)');
}
