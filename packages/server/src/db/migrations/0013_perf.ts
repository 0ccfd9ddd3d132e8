import { sql, type Kysely } from 'kysely';
import { engineOf } from '../create-db.ts';

/**
 * Storefront reads (issue 15): each product keeps its wire document (without stock, which is
 * overlaid at read time) so a page is one indexed query; `query` searches an index instead of
 * scanning — SQLite FTS5 with the trigram tokenizer (substring matching, kept in sync by
 * triggers), PostgreSQL pg_trgm (a GIN index the planner uses for `LIKE '%q%'`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('products').addColumn('document', 'text').execute();
  await db.schema.alterTable('products').addColumn('document_stock', 'text').execute();
  if (engineOf(db) === 'postgres') {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
    await sql`CREATE INDEX products_search_trgm ON products USING gin (search_text gin_trgm_ops)`.execute(db);
    return;
  }
  // The FTS rowid is kept in products.search_rowid (a real column): a products rowid would not
  // survive VACUUM, since products has a text primary key.
  await db.schema.alterTable('products').addColumn('search_rowid', 'integer').execute();
  await sql`CREATE VIRTUAL TABLE products_fts USING fts5(product_id UNINDEXED, search_text, tokenize = 'trigram')`.execute(
    db,
  );
  await sql`CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (product_id, search_text) VALUES (new.id, new.search_text);
    UPDATE products SET search_rowid = last_insert_rowid() WHERE id = new.id;
  END`.execute(db);
  await sql`CREATE TRIGGER products_fts_update AFTER UPDATE OF search_text ON products BEGIN
    UPDATE products_fts SET search_text = new.search_text WHERE rowid = new.search_rowid;
  END`.execute(db);
  await sql`CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    DELETE FROM products_fts WHERE rowid = old.search_rowid;
  END`.execute(db);
  const rows = await db.selectFrom('products').select(['id', 'search_text']).execute();
  for (const row of rows as { id: string; search_text: string }[]) {
    const r = await sql<{
      id: number;
    }>`INSERT INTO products_fts (product_id, search_text) VALUES (${row.id}, ${row.search_text}) RETURNING rowid AS id`.execute(
      db,
    );
    await db.updateTable('products').set({ search_rowid: r.rows[0]!.id }).where('id', '=', row.id).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') {
    await sql`DROP INDEX IF EXISTS products_search_trgm`.execute(db);
  } else {
    for (const t of ['products_fts_insert', 'products_fts_update', 'products_fts_delete'])
      await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(db);
    await sql`DROP TABLE IF EXISTS products_fts`.execute(db);
    await db.schema.alterTable('products').dropColumn('search_rowid').execute();
  }
  await db.schema.alterTable('products').dropColumn('document_stock').execute();
  await db.schema.alterTable('products').dropColumn('document').execute();
}
