import { Migrator, type Kysely, type MigrationProvider, type Migration } from 'kysely';
import { migrations } from './migrations/index.ts';
import type { Database } from './types.ts';

const provider: MigrationProvider = {
  getMigrations: async (): Promise<Record<string, Migration>> => migrations,
};

function migrator(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider });
}

/** Applies pending migrations; safe to run from several processes at once (Kysely takes a lock). */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applied and pending migration names (readiness). */
export async function migrationStatus(
  db: Kysely<Database>,
): Promise<{ applied: number; expected: number; pending: string[] }> {
  const all = await migrator(db).getMigrations();
  const pending = all.filter((m) => !m.executedAt).map((m) => m.name);
  return { applied: all.length - pending.length, expected: all.length, pending };
}
