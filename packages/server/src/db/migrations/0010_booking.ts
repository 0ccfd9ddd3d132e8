import type { Kysely } from 'kysely';

const storeRef = 'stores.id';

/** Booking: services, providers, their link (working time), slugs and reminder markers. */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['services', 'providers'] as const) {
    let t = db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('store_id', 'text', (c) => c.notNull().references(storeRef).onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('slug', 'text', (c) => c.notNull())
      .addColumn('blocks', 'text', (c) => c.notNull())
      .addColumn('taxonomies', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull());
    if (table === 'services') t = t.addColumn('location', 'text');
    await t
      .addColumn('search_text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint(`${table}_store_key`, ['store_id', 'key'])
      .execute();
    await db.schema
      .createIndex(`${table}_store_created`)
      .on(table)
      .columns(['store_id', 'created_at', 'id'])
      .execute();
  }

  await db.schema
    .createTable('booking_slugs')
    .addColumn('store_id', 'text', (c) => c.notNull().references(storeRef).onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('booking_slugs_pk', ['store_id', 'kind', 'locale', 'slug'])
    .execute();
  await db.schema.createIndex('booking_slugs_entity').on('booking_slugs').column('entity_id').execute();

  await db.schema
    .createTable('service_providers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references(storeRef).onDelete('cascade'))
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull().references('providers.id').onDelete('cascade'))
    .addColumn('working_days', 'text', (c) => c.notNull())
    .addColumn('outcast_dates', 'text', (c) => c.notNull())
    .addColumn('specific_dates', 'text', (c) => c.notNull())
    .addColumn('prices', 'text', (c) => c.notNull())
    .addColumn('durations', 'text', (c) => c.notNull())
    .addColumn('slot_interval', 'integer', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('forms', 'text', (c) => c.notNull())
    .addColumn('reminders', 'text', (c) => c.notNull())
    .addColumn('min_advance', 'integer', (c) => c.notNull())
    .addColumn('max_advance', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('service_providers_link', ['service_id', 'provider_id'])
    .execute();
  await db.schema
    .createIndex('service_providers_provider')
    .on('service_providers')
    .column('provider_id')
    .execute();

  await db.schema
    .createTable('booking_reminders')
    .addColumn('item_id', 'text', (c) => c.notNull().references('order_items.id').onDelete('cascade'))
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull().references(storeRef).onDelete('cascade'))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('fired_at', 'bigint')
    .addColumn('outcome', 'text')
    .addPrimaryKeyConstraint('booking_reminders_pk', ['item_id', 'minutes'])
    .execute();
  await db.schema
    .createIndex('booking_reminders_due')
    .on('booking_reminders')
    .columns(['fired_at', 'due_at'])
    .execute();
  // Overlap counts of one provider's bookings (availability, checkout) read this index.
  await db.schema
    .createIndex('order_items_provider_window')
    .on('order_items')
    .columns(['provider_id', 'from_at', 'to_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('order_items_provider_window').execute();
  for (const t of ['booking_reminders', 'service_providers', 'booking_slugs', 'providers', 'services'])
    await db.schema.dropTable(t).execute();
}
