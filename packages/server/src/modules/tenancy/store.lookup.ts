import type { Db } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';
import { fromJson } from '../../lib/json.ts';
import type { StoreTable } from './tenancy.table.ts';

/** The store's locales, default first (CONTRACT §1.3); null when there is no such store. */
export async function storeLocales(db: Db, storeId: string): Promise<string[] | null> {
  const row = await db.selectFrom('stores').select('languages').where('id', '=', storeId).executeTakeFirst();
  if (!row) return null;
  const langs = fromJson<{ id: string }[]>(row.languages, []);
  return langs.length ? langs.map((l) => l.id) : ['en'];
}

/** 404 unless the store exists, whatever its status (store-branded login codes). */
export async function requireStoreExists(db: Db, storeId: string): Promise<void> {
  if (!(await storeLocales(db, storeId))) throw notFound('store', `No store ${storeId}`);
}

/**
 * The store row behind a storefront route, or 404. Only `active` stores have a storefront
 * (CONTRACT §1.1: the storefront sees only active records); draft and archived ones answer 404.
 */
export async function requireStorefrontStore(db: Db, storeId: string): Promise<StoreTable> {
  const row = await db.selectFrom('stores').selectAll().where('id', '=', storeId).executeTakeFirst();
  if (!row || row.status !== 'active') throw notFound('store', `No store ${storeId}`);
  return row;
}
