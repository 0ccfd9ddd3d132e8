import type { Kysely } from 'kysely';

/**
 * Issue 11 follow-up: a PaymentIntent whose cancel failed when its order's hold expired (Stripe
 * unreachable) is marked `cancel_owed_since`; reconciliation retries the cancel until Stripe
 * answers, so the intent cannot stay payable for an order that can no longer take the money.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('payment_intents').addColumn('cancel_owed_since', 'bigint').execute();
  await db.schema
    .createIndex('payment_intents_cancel_owed')
    .on('payment_intents')
    .column('cancel_owed_since')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('payment_intents_cancel_owed').execute();
  await db.schema.alterTable('payment_intents').dropColumn('cancel_owed_since').execute();
}
