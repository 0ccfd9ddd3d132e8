import type { Kysely } from 'kysely';

const storeRef = 'stores.id';

/** Catalogue (products, variants, inventory), promo codes, carts, orders, order items, refunds. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references(storeRef).onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('blocks', 'text', (c) => c.notNull())
    .addColumn('taxonomies', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('products_store_key', ['store_id', 'key'])
    .execute();
  await db.schema
    .createIndex('products_store_created')
    .on('products')
    .columns(['store_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('product_slugs')
    .addColumn('store_id', 'text', (c) => c.notNull().references(storeRef).onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('product_slugs_pk', ['store_id', 'locale', 'slug'])
    .execute();
  await db.schema.createIndex('product_slugs_product').on('product_slugs').column('product_id').execute();

  await db.schema
    .createTable('product_variants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references(storeRef).onDelete('cascade'))
    .addColumn('product_id', 'text', (c) => c.notNull().references('products.id').onDelete('cascade'))
    .addColumn('sku', 'text')
    .addColumn('prices', 'text', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('weight', 'integer')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('product_variants_product')
    .on('product_variants')
    .columns(['product_id', 'position'])
    .execute();

  await db.schema
    .createTable('inventory_levels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references(storeRef).onDelete('cascade'))
    .addColumn('variant_id', 'text', (c) => c.notNull().references('product_variants.id').onDelete('cascade'))
    .addColumn('location_id', 'text')
    .addColumn('available', 'integer', (c) => c.notNull())
    .addColumn('reserved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('inventory_levels_variant')
    .on('inventory_levels')
    .columns(['variant_id', 'position'])
    .execute();

  await db.schema
    .createTable('promo_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references(storeRef).onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('code_canonical', 'text', (c) => c.notNull())
    .addColumn('discounts', 'text', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_uses', 'integer')
    .addColumn('starts_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('promo_codes_store_code', ['store_id', 'code_canonical'])
    .execute();

  await db.schema
    .createTable('carts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references(storeRef).onDelete('cascade'))
    .addColumn('profile_id', 'text', (c) => c.references('profiles.id').onDelete('set null'))
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('created_by_account_id', 'text')
    .addColumn('market', 'text', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('shipping_address', 'text')
    .addColumn('billing_address', 'text')
    .addColumn('forms', 'text', (c) => c.notNull())
    .addColumn('promo_code', 'text')
    .addColumn('payment_method_id', 'text')
    .addColumn('shipping_method_id', 'text')
    .addColumn('quote_snapshot', 'text')
    .addColumn('converted_order_id', 'text')
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('last_activity_at', 'bigint', (c) => c.notNull())
    .addColumn('abandoned_at', 'bigint')
    .addColumn('recovery_sent_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('carts_store_profile')
    .on('carts')
    .columns(['store_id', 'profile_id', 'status'])
    .execute();
  await db.schema
    .createIndex('carts_status_activity')
    .on('carts')
    .columns(['status', 'last_activity_at'])
    .execute();

  await db.schema
    .createTable('order_counters')
    .addColumn('store_id', 'text', (c) => c.primaryKey().references(storeRef).onDelete('cascade'))
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references(storeRef).onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('source_cart_id', 'text')
    .addColumn('profile_id', 'text', (c) => c.references('profiles.id').onDelete('set null'))
    .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('workflow_status', 'text', (c) => c.notNull())
    .addColumn('method_type', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('paid', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('promo_code_id', 'text')
    .addColumn('payment', 'text', (c) => c.notNull())
    .addColumn('shipping_address', 'text')
    .addColumn('billing_address', 'text')
    .addColumn('forms', 'text', (c) => c.notNull())
    .addColumn('blocks', 'text', (c) => c.notNull())
    .addColumn('history', 'text', (c) => c.notNull())
    .addColumn('fired_reminders', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('orders_store_seq', ['store_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('orders_store_created')
    .on('orders')
    .columns(['store_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('orders_store_profile')
    .on('orders')
    .columns(['store_id', 'profile_id'])
    .execute();

  await db.schema
    .createTable('order_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references(storeRef).onDelete('cascade'))
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text')
    .addColumn('variant_id', 'text')
    .addColumn('service_id', 'text')
    .addColumn('provider_id', 'text')
    .addColumn('from_at', 'bigint')
    .addColumn('to_at', 'bigint')
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('location_id', 'text')
    .addColumn('inventory_level_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('expires_at', 'bigint')
    .addColumn('unit_price', 'bigint', (c) => c.notNull())
    .addColumn('subtotal', 'bigint', (c) => c.notNull())
    .addColumn('discount', 'bigint', (c) => c.notNull())
    .addColumn('tax', 'bigint', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('forms', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('order_items_order')
    .on('order_items')
    .columns(['order_id', 'position'])
    .execute();
  await db.schema
    .createIndex('order_items_service_slot')
    .on('order_items')
    .columns(['provider_id', 'from_at'])
    .execute();

  await db.schema
    .createTable('refunds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references(storeRef).onDelete('cascade'))
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider_refund_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('refunds_order').on('refunds').column('order_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'refunds',
    'order_items',
    'orders',
    'order_counters',
    'carts',
    'promo_codes',
    'inventory_levels',
    'product_variants',
    'product_slugs',
    'products',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
