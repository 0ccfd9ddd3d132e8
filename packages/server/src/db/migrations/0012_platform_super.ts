import type { Kysely } from 'kysely';

/** Platform super-admins recorded in the database (`openarky create-user --super`), besides PLATFORM_SUPER_ADMINS. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('platform_super', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('platform_super').execute();
}
