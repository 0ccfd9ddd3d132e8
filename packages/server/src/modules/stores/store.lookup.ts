import type { Db } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';
import { fromJson } from '../../lib/json.ts';

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
