import type { Kysely } from 'kysely';

/** Forms and submissions (CONTRACT §8.3), audiences (profile lists) and memberships (§10.6). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('forms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('schema', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('forms_store_key', ['store_id', 'key'])
    .execute();
  await db.schema
    .createIndex('forms_store_created')
    .on('forms')
    .columns(['store_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('form_submissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id').onDelete('cascade'))
    .addColumn('form_id', 'text', (c) => c.notNull().references('forms.id').onDelete('cascade'))
    .addColumn('profile_id', 'text', (c) => c.references('profiles.id').onDelete('set null'))
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('form_submissions_store_created')
    .on('form_submissions')
    .columns(['store_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('form_submissions_form')
    .on('form_submissions')
    .columns(['form_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('form_submissions_profile')
    .on('form_submissions')
    .columns(['store_id', 'profile_id'])
    .execute();

  await db.schema
    .createTable('profile_lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('profile_lists_store_key', ['store_id', 'key'])
    .execute();
  await db.schema
    .createIndex('profile_lists_store_created')
    .on('profile_lists')
    .columns(['store_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('profile_list_members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id').onDelete('cascade'))
    .addColumn('profile_list_id', 'text', (c) =>
      c.notNull().references('profile_lists.id').onDelete('cascade'),
    )
    .addColumn('profile_id', 'text', (c) => c.notNull().references('profiles.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('lead_description', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text')
    .addColumn('pending_plan_id', 'text')
    .addColumn('payment', 'text')
    .addColumn('start_date', 'bigint')
    .addColumn('end_date', 'bigint')
    // Double opt-in: only the SHA-256 of the emailed token is kept; cleared when used.
    .addColumn('confirm_token_hash', 'text', (c) => c.unique())
    .addColumn('confirm_expires_at', 'bigint')
    // Paid lists: the Stripe Checkout Session / subscription this membership waits for.
    .addColumn('provider_ref', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('profile_list_members_list_profile', ['profile_list_id', 'profile_id'])
    .execute();
  await db.schema
    .createIndex('profile_list_members_store_created')
    .on('profile_list_members')
    .columns(['store_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('profile_list_members_list_status')
    .on('profile_list_members')
    .columns(['profile_list_id', 'status'])
    .execute();
  await db.schema
    .createIndex('profile_list_members_profile')
    .on('profile_list_members')
    .columns(['store_id', 'profile_id'])
    .execute();
  await db.schema
    .createIndex('profile_list_members_provider')
    .on('profile_list_members')
    .column('provider_ref')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['profile_list_members', 'profile_lists', 'form_submissions', 'forms']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
