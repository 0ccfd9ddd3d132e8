import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp, type BuildOptions } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { createDb, createScratchDatabase, type DbHandle, type Engine } from '../src/db/create-db.ts';
import { copyDbTemplate } from './db-template.ts';

export const ENGINE: Engine = process.env.TEST_DB_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDatabase {
  url: string | null;
  handle: DbHandle;
  drop(): Promise<void>;
}

/**
 * A fresh database of its own for one test file on the engine of this run: a copy of the run's
 * migrated template (test/global-setup.ts), or an empty one where no template was provided.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'openarky-test-'));
  const name = `oa_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const template = inject('dbTemplate');
  const opts = { adminUrl: process.env.TEST_DATABASE_URL, dir, name };
  const scratch =
    template?.engine === ENGINE
      ? await copyDbTemplate(template, opts)
      : await createScratchDatabase(ENGINE, opts);
  const handle = createDb({ url: scratch.url, sqliteFile: scratch.sqliteFile, poolMax: 10 });
  return {
    url: scratch.url ?? scratch.sqliteFile ?? null,
    handle,
    drop: async () => {
      await handle.close();
      await scratch.drop();
    },
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  const dir = mkdtempSync(join(tmpdir(), 'openarky-data-'));
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dir,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SEED_DEMO: 'false',
    OUTBOUND_ALLOWED_HOSTS: '127.0.0.1,localhost',
    // scrypt at 2^10 (the lowest the config accepts) keeps suites fast; production hashes at 2^17.
    PASSWORD_HASH_COST: '10',
    ...overrides,
  });
}

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

/** The real app on a fresh migrated database. Jobs do not run by themselves: call `app.deps.jobs.tick()`. */
export async function createTestApp(
  options: { env?: Record<string, string>; build?: Omit<BuildOptions, 'db'> } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = testConfig(options.env);
  const app = await buildApp(config, { runJobs: false, ...options.build, db: db.handle });
  await app.ready();
  return {
    app,
    db,
    config,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
