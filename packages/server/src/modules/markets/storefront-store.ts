import type { Ctx } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';

/** Storefront reads are public, but an unknown store is a 404 before anything else is read. */
export async function requireStorefrontStore(ctx: Ctx, storeId: string): Promise<string> {
  const row = await ctx.db.selectFrom('stores').select('id').where('id', '=', storeId).executeTakeFirst();
  if (!row) throw notFound('store', `No store ${storeId}`);
  return row.id;
}
