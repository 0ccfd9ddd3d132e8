import type { Kysely } from 'kysely';

/**
 * Hardening (issue 10): idempotency keys record each committed transaction of their request and
 * the attempt that owns them; promo uses move to a commerce-owned table whose unique index makes
 * per-user limits hold under concurrency.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('idempotency_keys').addColumn('tx_results', 'text').execute();
  await db.schema
    .alterTable('idempotency_keys')
    .addColumn('owner', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await db.schema.alterTable('webhook_deliveries').addColumn('ordering_key', 'text').execute();
  await db.schema
    .createIndex('webhook_deliveries_ordering')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'ordering_key', 'status', 'seq'])
    .execute();

  await db.schema
    .createTable('promo_uses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id').onDelete('cascade'))
    .addColumn('promo_code_id', 'text', (c) => c.notNull().references('promo_codes.id').onDelete('cascade'))
    .addColumn('profile_id', 'text', (c) => c.notNull().references('profiles.id').onDelete('cascade'))
    .addColumn('order_id', 'text', (c) => c.unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('promo_uses_profile_promo')
    .on('promo_uses')
    .columns(['profile_id', 'promo_code_id'])
    .execute();

  // Existing counts move over from the JSON column (kept, no longer written, for a rollback).
  const profiles = await db
    .selectFrom('profiles')
    .select(['id', 'store_id', 'promo_usage'])
    .where('promo_usage', '!=', '[]')
    .execute();
  const now = Math.floor(Date.now() / 1000);
  let n = 0;
  for (const p of profiles as { id: string; store_id: string; promo_usage: string }[]) {
    let usage: unknown;
    try {
      usage = JSON.parse(p.promo_usage);
    } catch {
      continue;
    }
    for (const u of (Array.isArray(usage) ? usage : []) as { promo_code_id?: unknown; uses?: unknown }[]) {
      if (typeof u.promo_code_id !== 'string' || typeof u.uses !== 'number') continue;
      const exists = await db
        .selectFrom('promo_codes')
        .select('id')
        .where('id', '=', u.promo_code_id)
        .executeTakeFirst();
      if (!exists) continue;
      for (let i = 0; i < Math.min(u.uses, 10_000); i++) {
        await db
          .insertInto('promo_uses')
          .values({
            id: `promo_migrated${String(n++).padStart(10, '0')}`,
            store_id: p.store_id,
            promo_code_id: u.promo_code_id,
            profile_id: p.id,
            order_id: null,
            created_at: now,
          })
          .execute();
      }
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('promo_uses').execute();
  await db.schema.dropIndex('webhook_deliveries_ordering').execute();
  await db.schema.alterTable('webhook_deliveries').dropColumn('ordering_key').execute();
  await db.schema.alterTable('idempotency_keys').dropColumn('owner').execute();
  await db.schema.alterTable('idempotency_keys').dropColumn('tx_results').execute();
}
