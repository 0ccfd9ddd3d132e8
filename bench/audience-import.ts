/**
 * Audience CSV import (issue 16): POST a 10,000-row CSV (BENCH_IMPORT_ROWS) to
 * `/v1/stores/{id}/profile-lists/{listId}/profiles/import` on a scratch database (PostgreSQL when
 * BENCH_DATABASE_URL is set, else SQLite) and time it: a first run that creates every profile and
 * membership, then the same file again (every row skipped). Prints wall-clock milliseconds.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../packages/server/src/app.ts';
import { loadConfig } from '../packages/server/src/config.ts';
import { createDb, createScratchDatabase } from '../packages/server/src/db/create-db.ts';

async function api(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as any;
  if (res.status >= 300)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

export async function audienceImport(): Promise<void> {
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
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
  });
  const app = await buildApp(config, { db: handle, runJobs: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    const auth = await api(base, '', 'POST', '/v1/auth/register', {
      email: `bench-${Date.now()}@example.com`,
      password: 'bench password 123',
    });
    const token = auth.access_token as string;
    const store = await api(base, token, 'POST', '/v1/stores', {
      key: `bench-${Date.now().toString(36)}`,
      timezone: 'UTC',
      billing_email: 'b@example.com',
    });
    const list = await api(base, token, 'POST', `/v1/stores/${store.id}/profile-lists`, { key: 'bench' });
    const csv = [
      'email,first_name,city',
      ...Array.from({ length: rows }, (_, i) => `person-${i}@example.com,Person ${i},City ${i % 100}`),
    ].join('\n');
    const url = `/v1/stores/${store.id}/profile-lists/${list.id}/profiles/import`;
    for (const label of ['first run (creates)', 'second run (skips)']) {
      const started = performance.now();
      const report = await api(base, token, 'POST', url, { csv });
      const ms = performance.now() - started;
      console.log(
        `audience import ${label} (${engine}, ${rows} rows, ${(csv.length / 1024).toFixed(0)} KiB): ${ms.toFixed(0)} ms ` +
          `(${((rows / ms) * 1000).toFixed(0)} rows/s) → imported ${report.imported}, created ${report.created}, skipped ${report.skipped}, errors ${report.errors.length}`,
      );
    }
  } finally {
    await app.close();
    await handle.close();
    await scratch.drop();
  }
}
