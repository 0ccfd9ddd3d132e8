import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../lib/context.ts';
import { engineOf } from './create-db.ts';

/**
 * `query` over products (CONTRACT §1.4: case-insensitive substring of key and text values, kept
 * in `products.search_text`, lower-cased). Indexed on both engines from three characters: SQLite
 * FTS5 trigram phrase match, PostgreSQL `LIKE` served by the pg_trgm GIN index (migration 0013).
 * Shorter queries cannot use a trigram index and scan the store's products.
 */
export function productSearch(db: Db, query: string): Expression<SqlBool> {
  const q = query.toLowerCase();
  // `%`, `_` and `\\` are text to find, never wildcards.
  const like = sql<SqlBool>`products.search_text LIKE ${`%${q.replace(/[%_\\]/g, '\\$&')}%`} ESCAPE '\\'`;
  if (engineOf(db) === 'postgres' || [...q].length < 3) return like;
  // A phrase of trigrams is a substring match; `"` is doubled inside an FTS5 string.
  const phrase = `"${q.replace(/"/g, '""')}"`;
  return sql<SqlBool>`products.id IN (SELECT product_id FROM products_fts WHERE products_fts MATCH ${phrase})`;
}
