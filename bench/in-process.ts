/**
 * The in-process server of the API-level scenarios: the real app on a scratch database
 * (PostgreSQL when BENCH_DATABASE_URL is set, else SQLite), listening on a loopback port.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../packages/server/src/app.ts';
import { loadConfig } from '../packages/server/src/config.ts';
import { createDb, createScratchDatabase, type DbHandle } from '../packages/server/src/db/create-db.ts';

export interface InProcessServer {
  base: string;
  handle: DbHandle;
  close(): Promise<void>;
}

/**
 * Starts the app, jobs off unless `runJobs` (then the job loop and pollers, e.g. webhook delivery,
 * run as in production); `env` adds configuration (e.g. `STRIPE_API_URL`).
 */
export async function inProcessServer(
  env: Record<string, string> = {},
  options: { runJobs?: boolean } = {},
): Promise<InProcessServer> {
  const engine = process.env.BENCH_DATABASE_URL ? 'postgres' : 'sqlite';
  const dir = mkdtempSync(join(tmpdir(), 'openarky-bench-'));
  const scratch = await createScratchDatabase(engine, {
    adminUrl: process.env.BENCH_DATABASE_URL,
    dir,
    name: `oa_bench_${Date.now().toString(36)}`,
  });
  const handle = createDb({ url: scratch.url, sqliteFile: scratch.sqliteFile, poolMax: 20 });
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dir,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    ...env,
  });
  const app = await buildApp(config, { db: handle, runJobs: options.runJobs ?? false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    handle,
    close: async () => {
      await app.close();
      await handle.close();
      await scratch.drop();
    },
  };
}
