import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { createDb, type Engine } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

/**
 * A migrated database each test file's database starts as a copy of: migrating once per engine per
 * run instead of once per file (about 1.5 s of PostgreSQL DDL each). `global-setup.ts` makes
 * it; `createTestDatabase()` copies it (PostgreSQL `CREATE DATABASE … TEMPLATE`, SQLite a file copy),
 * so every file still has its own database. Apps still run `migrateToLatest` on start, which finds
 * nothing to do on a copy.
 */
export interface DbTemplate {
  engine: Engine;
  /** PostgreSQL: database name on the server of TEST_DATABASE_URL; SQLite: path of the file. */
  ref: string;
}

export async function createDbTemplate(
  engine: Engine,
  adminUrl?: string,
): Promise<{ template: DbTemplate; drop(): Promise<void> }> {
  const suffix = `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'openarky-template-'));
    const file = join(dir, 'template.db');
    const handle = createDb({ url: null, sqliteFile: file });
    try {
      await migrateToLatest(handle.db);
      // Everything into the main file, so a plain copy of it is the whole database.
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(handle.db);
    } finally {
      await handle.close();
    }
    return {
      template: { engine, ref: file },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is required for the PostgreSQL template database');
  const name = `oa_tmpl_${suffix}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = createDb({ url: url.toString(), poolMax: 1 });
  try {
    await migrateToLatest(handle.db);
  } finally {
    // No session may stay connected to a template while it is copied.
    await handle.close();
  }
  return {
    template: { engine, ref: name },
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated database this project's test databases are copied from (`createTestDatabase`). */
    dbTemplate: DbTemplate;
  }
}

/** A new database of the run's engine as a copy of the template. */
export async function copyDbTemplate(
  template: DbTemplate,
  opts: { adminUrl?: string; dir: string; name: string },
): Promise<{ url: string | null; sqliteFile?: string; drop(): Promise<void> }> {
  if (template.engine === 'sqlite') {
    mkdirSync(opts.dir, { recursive: true });
    const sqliteFile = join(opts.dir, `${opts.name}.db`);
    copyFileSync(template.ref, sqliteFile);
    return {
      url: null,
      sqliteFile,
      drop: async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(sqliteFile + suffix, { force: true });
      },
    };
  }
  if (!opts.adminUrl) throw new Error('adminUrl is required for a PostgreSQL test database');
  const adminUrl = opts.adminUrl;
  const name = opts.name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await adminQuery(adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${template.ref}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}
