import type { Kysely } from 'kysely';

/**
 * Ranked `query` (issue 15): `products.search_name` holds the lower-cased values of the `name`
 * block (every locale, one per line) so a product whose name is, or starts with, the query ranks
 * before one that only contains it somewhere (see `productRelevance`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('products')
    .addColumn('search_name', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  const rows = (await db.selectFrom('products').select(['id', 'blocks']).execute()) as {
    id: string;
    blocks: string;
  }[];
  for (const row of rows) {
    const blocks = JSON.parse(row.blocks) as { key: string; value: unknown[] }[];
    const names: string[] = [];
    for (const b of blocks.filter((x) => x.key === 'name'))
      for (const v of b.value ?? [])
        if (typeof v === 'string') names.push(v);
        else if (v && typeof v === 'object')
          for (const s of Object.values(v)) if (typeof s === 'string') names.push(s);
    if (names.length)
      await db
        .updateTable('products')
        .set({ search_name: names.join('\n').toLowerCase() })
        .where('id', '=', row.id)
        .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('products').dropColumn('search_name').execute();
}
