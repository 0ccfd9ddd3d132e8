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
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('idempotency_keys').dropColumn('owner').execute();
  await db.schema.alterTable('idempotency_keys').dropColumn('tx_results').execute();
}
