import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../lib/context.ts';
import { engineOf } from './create-db.ts';

/** `%`, `_` and `\\` are text to find, never wildcards (used with `ESCAPE '\\'`). */
const escapeLike = (s: string) => s.replace(/[%_\\]/g, '\\$&');

/**
 * `query` over products (CONTRACT §1.4: case-insensitive substring of key and text values, kept
 * in `products.search_text`, lower-cased). Indexed on both engines from three characters: SQLite
 * FTS5 trigram phrase match, PostgreSQL `LIKE` served by the pg_trgm GIN index (migration 0013).
 * Shorter queries cannot use a trigram index and scan the store's products.
 */
export function productSearch(db: Db, query: string): Expression<SqlBool> {
  const q = query.toLowerCase();
  const like = sql<SqlBool>`products.search_text LIKE ${`%${escapeLike(q)}%`} ESCAPE '\\'`;
  if (engineOf(db) === 'postgres' || [...q].length < 3) return like;
  // A phrase of trigrams is a substring match; `"` is doubled inside an FTS5 string.
  const phrase = `"${q.replace(/"/g, '""')}"`;
  return sql<SqlBool>`products.id IN (SELECT product_id FROM products_fts WHERE products_fts MATCH ${phrase})`;
}

/** Relevance tiers are this far apart, so `tier * RANK_STEP + created_at` sorts by tier first. */
const RANK_STEP = 10_000_000_000_000;

/**
 * The order of a `query` without an explicit sort, as one integer per row: a relevance tier — 3 a
 * name (any locale) equal to the query, 2 a name starting with it, 1 a name containing it, 0 a
 * match in the key, slug or other text — then `created_at` within a tier. It depends on the row
 * and the query only (not on corpus statistics such as FTS5 `bm25()`, which move with every write
 * in any store), so the (rank, id) keyset cursor stays exact across pages, and both engines order
 * alike. Names are one per line in `products.search_name` (migration 0014).
 */
export function productRelevance(query: string): RawBuilder<number> {
  const q = escapeLike(query.toLowerCase());
  const name = sql`(${'\n'} || products.search_name || ${'\n'})`;
  return sql<number>`(CASE
    WHEN ${name} LIKE ${`%\n${q}\n%`} ESCAPE '\\' THEN 3
    WHEN ${name} LIKE ${`%\n${q}%`} ESCAPE '\\' THEN 2
    WHEN products.search_name LIKE ${`%${q}%`} ESCAPE '\\' THEN 1
    ELSE 0 END) * ${sql.lit(RANK_STEP)} + products.created_at`;
}
