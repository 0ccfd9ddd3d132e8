import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Logger,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import type { Database } from './types.ts';
import { countConnectionUse } from './connection-use.ts';

/**
 * The only module that knows which database engine is in use. Everything else receives a
 * `Kysely<Database>` and the small set of engine-aware helpers exported here.
 */
export type Engine = 'sqlite' | 'postgres';

export interface DbHandle {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  /** Where the data lives, without credentials (for logs). */
  readonly describe: string;
  /**
   * Connections open, idle and queries waiting for one. SQLite: its single connection, idle or
   * held by a query or transaction, and the queries queued behind it.
   */
  poolStats(): PoolStats;
  close(): Promise<void>;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface DbOptions {
  /** postgres:// URL, or null for SQLite. */
  url: string | null;
  /** SQLite file; `:memory:` allowed. Defaults to `<dataDir>/openarky.db`. */
  sqliteFile?: string;
  dataDir?: string;
  poolMax?: number;
  /** Called after every query with its SQL and duration (tracing). */
  log?: Logger;
}

// int8 (bigint) columns hold unix seconds and counters: parse them as numbers, not strings.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export function createDb(options: DbOptions): DbHandle {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolMax ?? 10 });
    // An idle client that loses its connection must not crash the process.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: options.log });
    const u = new URL(options.url);
    return {
      db,
      engine: 'postgres',
      describe: `postgres://${u.host}${u.pathname}`,
      poolStats: () => ({
        total: pool.totalCount,
        idle: pool.idleCount,
        waiting: pool.waitingCount,
        max: options.poolMax ?? 10,
      }),
      close: () => db.destroy(),
    };
  }
  const file = options.sqliteFile ?? join(options.dataDir ?? './data', 'openarky.db');
  if (file !== ':memory:') mkdirSync(join(file, '..'), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  const { dialect, use } = countConnectionUse(new SqliteDialect({ database: cachedStatements(database) }));
  const db = new Kysely<Database>({ dialect, log: options.log });
  return {
    db,
    engine: 'sqlite',
    describe: `sqlite:${file}`,
    poolStats: () => ({ total: 1, idle: 1 - use.inUse, waiting: use.waiting, max: 1 }),
    close: () => db.destroy(),
  };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query anew (about a third of a simple read's time); this
 * keeps the last prepared statements by SQL text. Safe because Kysely runs one query at a time on
 * the single connection (a streamed query holds the connection until it ends), and SQLite
 * re-prepares a cached statement by itself after a schema change.
 */
function cachedStatements(database: SQLite.Database): {
  prepare(sql: string): SQLite.Statement;
  close(): void;
} {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(text: string) {
      let stmt = cache.get(text);
      if (stmt) {
        // Map order is insertion order: re-inserting marks it most recently used.
        cache.delete(text);
      } else {
        stmt = database.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, stmt);
      return stmt;
    },
    close: () => database.close(),
  };
}

/** Which engine a Kysely instance or transaction runs on (read from its adapter). */
export function engineOf(db: Kysely<Database> | Transaction<Database>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** `FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serializes writers, so nothing is needed there. */
export function forUpdateSkipLocked<QB extends { forUpdate(): QB; skipLocked(): QB }>(
  db: Kysely<Database> | Transaction<Database>,
  qb: QB,
): QB {
  return engineOf(db) === 'postgres' ? qb.forUpdate().skipLocked() : qb;
}

/** `FOR UPDATE` on PostgreSQL (row lock inside a transaction); a no-op on SQLite. */
export function forUpdate<QB extends { forUpdate(): QB }>(
  db: Kysely<Database> | Transaction<Database>,
  qb: QB,
): QB {
  return engineOf(db) === 'postgres' ? qb.forUpdate() : qb;
}

/** True when the error is a unique-constraint violation on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** Cheap liveness query. */
export async function ping(db: Kysely<Database> | Transaction<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

/**
 * Creates an empty database for one test run or benchmark and returns it with a `drop` that
 * removes it. PostgreSQL: a new database on the server named by `adminUrl`; SQLite: a temp file.
 */
export async function createScratchDatabase(
  engine: Engine,
  opts: { adminUrl?: string; dir: string; name: string },
): Promise<{ url: string | null; sqliteFile?: string; drop(): Promise<void> }> {
  if (engine === 'sqlite') {
    mkdirSync(opts.dir, { recursive: true });
    const sqliteFile = join(opts.dir, `${opts.name}.db`);
    const { rmSync } = await import('node:fs');
    return {
      url: null,
      sqliteFile,
      drop: async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(sqliteFile + suffix, { force: true });
      },
    };
  }
  if (!opts.adminUrl) throw new Error('adminUrl is required for a PostgreSQL scratch database');
  const name = opts.name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new pg.Client({ connectionString: opts.adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(opts.adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: opts.adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
