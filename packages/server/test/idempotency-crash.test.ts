import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createScratchDatabase } from '../src/db/create-db.ts';
import { ENGINE } from './helpers.ts';
import { spawnServer, type ServerProcess } from './spawn.ts';

/**
 * Issue 10 defect 1, end to end: two server processes on one PostgreSQL, concurrent checkouts with
 * Idempotency-Keys, kill -9 of one mid-load, a restart, and retries of every key (the SDK's
 * behaviour): orders must equal distinct keys. SQLite is single-process by design, so this runs on
 * PostgreSQL only.
 */
const KEYS = 200;
let env: Record<string, string>;
let dbUrl = '';
let drop: () => Promise<void>;

beforeAll(async () => {
  if (ENGINE !== 'postgres') return;
  const dir = mkdtempSync(join(tmpdir(), 'openarky-idem-'));
  const scratch = await createScratchDatabase(ENGINE, {
    adminUrl: process.env.TEST_DATABASE_URL,
    dir,
    name: `oa_idem_${randomBytes(4).toString('hex')}`,
  });
  drop = scratch.drop;
  dbUrl = scratch.url!;
  env = { DATABASE_URL: dbUrl, DATA_DIR: dir };
});
afterAll(async () => drop?.());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function json(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
) {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe.runIf(ENGINE === 'postgres')('idempotency under kill -9 (two processes, PostgreSQL)', () => {
  it(
    'orders = distinct keys after a crash mid-load and retries with the same keys',
    { timeout: 180_000 },
    async () => {
      const a = await spawnServer(env);
      const b = await spawnServer(env);
      let a2: ServerProcess | undefined;
      try {
        const reg = await json(`${a.url}/v1/auth/register`, {
          method: 'POST',
          body: { email: `crash-${randomBytes(3).toString('hex')}@example.com`, password: 'long enough pw' },
        });
        expect(reg.status).toBe(201);
        const auth = { authorization: `Bearer ${reg.body.access_token}` };
        const store = await json(`${a.url}/v1/stores`, {
          method: 'POST',
          headers: auth,
          body: {
            key: `crash-${randomBytes(3).toString('hex')}`,
            timezone: 'UTC',
            billing_email: 'b@example.com',
            languages: [{ id: 'en' }],
          },
        });
        expect(store.status).toBe(201);
        const storeId = store.body.id as string;
        const product = await json(`${a.url}/v1/stores/${storeId}/products`, {
          method: 'POST',
          headers: auth,
          body: {
            key: 'crash-product',
            variants: [{ sku: 'C-1', prices: [{ market: 'us', amount: 1000 }], inventory: 100_000 }],
          },
        });
        expect(product.status).toBe(201);
        const body = { market: 'us', items: [{ variant_id: product.body.variants[0].id, quantity: 1 }] };
        const checkout = (base: string, key: string) =>
          json(`${base}/v1/stores/${storeId}/orders/checkout`, {
            method: 'POST',
            headers: { ...auth, 'idempotency-key': key },
            body,
          });

        const keys = Array.from({ length: KEYS }, (_, i) => `order-${i}`);
        // First wave: keys alternate between the two processes, 16 in flight per process.
        const firstWave = Promise.all(
          [0, 1].map(async (lane) => {
            const mine = keys.filter((_, i) => i % 2 === lane);
            const base = lane === 0 ? a.url : b.url;
            let next = 0;
            await Promise.all(
              Array.from({ length: 16 }, async () => {
                while (next < mine.length) {
                  const key = mine[next++]!;
                  await checkout(base, key).catch(() => null);
                }
              }),
            );
          }),
        );
        // Kill A once it has some work committed and more in flight.
        const pg = createDb({ url: dbUrl, dataDir: '' });
        const count = async () =>
          Number(
            (
              await pg.db
                .selectFrom('orders')
                .select((eb) => eb.fn.countAll().as('n'))
                .where('store_id', '=', storeId)
                .executeTakeFirstOrThrow()
            ).n,
          );
        while ((await count()) < KEYS / 4) await sleep(20);
        a.child.kill('SIGKILL');
        await a.exited;
        await firstWave;
        a2 = await spawnServer(env);

        // Retries of every key, on both live processes, as the SDK would: in progress → wait, retry.
        const statuses = new Map<string, number>();
        const ids = new Map<string, string>();
        let next = 0;
        await Promise.all(
          Array.from({ length: 16 }, async (_, lane) => {
            while (next < keys.length) {
              const key = keys[next++]!;
              for (;;) {
                const res = await checkout(lane % 2 ? a2!.url : b.url, key).catch(() => null);
                if (res && res.status === 409 && res.body?.error === 'idempotency_conflict') {
                  await sleep(500);
                  continue;
                }
                if (!res || res.status >= 500) continue;
                statuses.set(key, res.status);
                ids.set(key, res.body.order_id);
                break;
              }
            }
          }),
        );
        const orders = await count();
        await pg.close();
        console.log(`[idempotency-crash] keys=${KEYS} orders=${orders} duplicates=${orders - KEYS}`);
        expect([...statuses.values()].every((s) => s === 201)).toBe(true);
        expect(new Set(ids.values()).size).toBe(KEYS);
        expect(orders).toBe(KEYS);
      } finally {
        for (const p of [a, b, a2]) {
          if (p && p.child.exitCode === null && p.child.signalCode === null) {
            p.child.kill('SIGTERM');
            await p.exited;
          }
        }
      }
    },
  );
});
