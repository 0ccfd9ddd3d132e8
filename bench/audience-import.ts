/**
 * Audience CSV import (issue 16): POST a 10,000-row CSV (BENCH_IMPORT_ROWS) to
 * `/v1/stores/{id}/profile-lists/{listId}/profiles/import` on a scratch database (PostgreSQL when
 * BENCH_DATABASE_URL is set, else SQLite) and time it: a first run that creates every profile and
 * membership, then the same file again (every row skipped). Prints wall-clock milliseconds.
 */
import { inProcessServer } from './in-process.ts';
import { api } from './harness.ts';

export async function audienceImport(): Promise<void> {
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
  const engine = process.env.BENCH_DATABASE_URL ? 'postgres' : 'sqlite';
  const server = await inProcessServer();
  const { base } = server;
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
    await server.close();
  }
}
