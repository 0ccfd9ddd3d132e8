import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Ctx } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import type { TypedApp } from '../../lib/http/typed-app.ts';
import { installStoreGuard } from './store-scope.ts';
import { requireStorefrontStore } from './store.lookup.ts';
import type { StoreTable } from './tenancy.table.ts';

// `any` matches every Fastify instance shape (plain, typed, with decorators) a module may hold.
type AnyFastify = FastifyInstance<any, any, any, any, any>;

/**
 * Registers routes under `/v1/stores/:storeId/…` behind the store guard. Every admin module puts
 * its store routes inside this, so membership is checked before any handler runs.
 */
export async function storeScoped(
  app: AnyFastify,
  routes: (scoped: TypedApp) => Promise<void>,
): Promise<void> {
  await app.register(async (child: FastifyInstance) => {
    installStoreGuard(child);
    await routes(child.withTypeProvider<TypeBoxTypeProvider>());
  });
}

/** What a storefront route knows about its caller once `storefrontScoped` ran. */
export interface StorefrontAccess {
  /** The store of `:storeId`; only `active` stores have a storefront. */
  readonly store: StoreTable;
  /** The caller's profile in this store (a `pt_` token of it), or null (anonymous, other store). */
  readonly profileId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    storefront: StorefrontAccess;
  }
}

/** The caller's profile id in this store, or null when anonymous or holding another store's token. */
export function profileOf(ctx: Ctx, storeId: string): string | null {
  const p = ctx.principal;
  return p.kind === 'profile' && p.storeId === storeId ? p.profileId : null;
}

/**
 * Registers routes under `/v1/storefront/:storeId/…`: before each handler the store is loaded
 * (404 unless it exists and is active) and `request.storefront` carries it with the caller's
 * profile id, so no storefront route can forget the active-store check.
 */
export async function storefrontScoped(
  app: AnyFastify,
  routes: (scoped: TypedApp) => Promise<void>,
): Promise<void> {
  await app.register(async (child: FastifyInstance) => {
    child.decorateRequest('storefront', null as unknown as StorefrontAccess);
    child.addHook('preHandler', async (request: FastifyRequest) => {
      const storeId = (request.params as { storeId?: string }).storeId;
      if (!storeId) throw new AppError('internal_error', 'storefront scope on a route without :storeId');
      const store = await requireStorefrontStore(request.ctx.db, storeId);
      request.storefront = { store, profileId: profileOf(request.ctx, store.id) };
    });
    await routes(child.withTypeProvider<TypeBoxTypeProvider>());
  });
}
