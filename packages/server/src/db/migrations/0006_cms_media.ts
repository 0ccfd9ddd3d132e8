import type { Kysely } from 'kysely';

/** CMS nodes with per-locale slugs, and media (CONTRACT §8, §9). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('nodes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    // Deleting a node with children is refused by the service (409 in_use); the cascade only
    // matters when the whole store goes.
    .addColumn('parent_id', 'text', (c) => c.references('nodes.id').onDelete('cascade'))
    .addColumn('blocks', 'text', (c) => c.notNull())
    .addColumn('schema', 'text')
    .addColumn('taxonomies', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('nodes_store_key', ['store_id', 'key'])
    .execute();
  await db.schema
    .createIndex('nodes_store_parent')
    .on('nodes')
    .columns(['store_id', 'parent_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('nodes_store_created')
    .on('nodes')
    .columns(['store_id', 'created_at'])
    .execute();
  await db.schema.createIndex('nodes_parent').on('nodes').column('parent_id').execute();

  await db.schema
    .createTable('node_slugs')
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull().references('nodes.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('node_slugs_pk', ['store_id', 'locale', 'slug'])
    .execute();
  await db.schema.createIndex('node_slugs_node').on('node_slugs').column('node_id').execute();

  await db.schema
    .createTable('media')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id').onDelete('cascade'))
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('title_sort', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('alt', 'text')
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text')
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('resolutions', 'text', (c) => c.notNull())
    .addColumn('storage', 'text', (c) => c.notNull())
    .addColumn('files', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('media_store_created')
    .on('media')
    .columns(['store_id', 'created_at'])
    .execute();
  await db.schema.createIndex('media_store_title').on('media').columns(['store_id', 'title_sort']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('media').execute();
  await db.schema.dropTable('node_slugs').execute();
  await db.schema.dropTable('nodes').execute();
}
