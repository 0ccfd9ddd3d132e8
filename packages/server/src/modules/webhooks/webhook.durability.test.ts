import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createScratchDatabase, type DbHandle } from '../../db/create-db.ts';
import { emit } from '../../lib/events.ts';
import type { Ctx } from '../../lib/context.ts';
import { ENGINE } from '../../../test/helpers.ts';
import { spawnServer, type ServerProcess } from '../../../test/spawn.ts';
import { WebhookReceiver } from '../../../test/webhook-receiver.ts';

/**
 * At least once, never lost (CONTRACT §10.1): the real server as a child process is killed with
 * SIGKILL while 1,000 events wait; after a restart every event reaches both webhooks, in order.
 * On PostgreSQL two processes then deliver side by side and never send the same attempt twice.
 */
const EVENTS = 1000;
let env: Record<string, string>;
let drop: () => Promise<void>;
let handle: DbHandle;
const servers: ServerProcess[] = [];
let receiver: WebhookReceiver;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'openarky-wh-'));
  const scratch = await createScratchDatabase(ENGINE, {
    adminUrl: process.env.TEST_DATABASE_URL,
    dir,
    name: `oa_wh_${randomBytes(4).toString('hex')}`,
  });
  drop = scratch.drop;
  env = {
    ...(scratch.url ? { DATABASE_URL: scratch.url } : {}),
    DATA_DIR: dir,
    OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
    JOB_POLL_INTERVAL_MS: '50',
    LOG_LEVEL: 'info', // spawnServer waits for the 'listening' line
    WEBHOOK_RETRY_BASE_SECONDS: '1',
  };
  // The server keeps SQLite at DATA_DIR/openarky.db; the test opens the same database to write events.
  handle = createDb({ url: scratch.url, sqliteFile: join(dir, 'openarky.db') });
  receiver = await new WebhookReceiver().start();
  receiver.delayMs = 2;
});
afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  await receiver?.stop();
  await handle?.close();
  await drop?.();
});

async function json(
  url: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<any> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return res.json();
}

async function start(): Promise<ServerProcess> {
  const s = await spawnServer(env, 45_000);
  servers.push(s);
  return s;
}

/** Unique (webhook path, webhook-id) pairs seen by the receiver. */
function unique(): Set<string> {
  return new Set(receiver.received.map((r) => `${r.path} ${String(r.headers['webhook-id'])}`));
}

async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let report = Date.now();
  while (!predicate()) {
    if (process.env.WH_DEBUG && Date.now() - report > 2000) {
      report = Date.now();
      console.log(`[webhooks] ${new Date().toISOString()} ${unique().size} unique`);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('webhook delivery across a crash', () => {
  it(`delivers all ${EVENTS} events to both webhooks after SIGKILL and restart, in order, never the same attempt twice`, async () => {
    const first = await start();
    const auth = await json(`${first.url}/v1/auth/register`, {
      method: 'POST',
      body: { email: `crash-${randomBytes(3).toString('hex')}@example.com`, password: 'long enough pw' },
    });
    const store = await json(`${first.url}/v1/stores`, {
      method: 'POST',
      token: auth.access_token,
      body: {
        key: `crash-${randomBytes(3).toString('hex')}`,
        timezone: 'UTC',
        billing_email: 'b@example.com',
      },
    });
    for (const path of ['a', 'b']) {
      const wh = await json(`${first.url}/v1/stores/${store.id}/webhooks`, {
        method: 'POST',
        token: auth.access_token,
        body: { key: `hook-${path}`, url: `${receiver.url}/${path}`, events: ['store.updated'] },
      });
      expect(wh.id).toMatch(/^wh_/);
    }

    // 1,000 committed changes, written the way every module writes them: in one transaction with the outbox.
    await handle.db.transaction().execute(async (trx) => {
      const ctx = { db: trx, now: () => Math.floor(Date.now() / 1000) } as unknown as Ctx;
      for (let n = 1; n <= EVENTS; n++)
        await emit(ctx, 'store.updated', { id: store.id, n } as never, store.id);
    });

    await until(() => unique().size >= 300, 30_000, 'the first deliveries');
    first.child.kill('SIGKILL');
    await first.exited;
    const beforeRestart = unique().size;
    expect(beforeRestart).toBeLessThan(2 * EVENTS);

    const restarted = [await start()];
    if (ENGINE === 'postgres') restarted.push(await start());
    await until(
      () => unique().size >= 2 * EVENTS,
      60_000,
      `${2 * EVENTS} unique deliveries (have ${unique().size})`,
    );
    for (const s of restarted) {
      s.child.kill('SIGTERM');
      await s.exited;
    }

    expect(unique().size).toBe(2 * EVENTS);
    // Never the same attempt twice: (webhook, event, attempt) is unique across all processes.
    const attempts = receiver.received.map(
      (r) => `${r.path} ${String(r.headers['webhook-id'])} ${String(r.headers['x-arky-attempt'])}`,
    );
    expect(new Set(attempts).size).toBe(attempts.length);
    // Order per webhook: first arrivals follow the order the events were written.
    for (const path of ['/a', '/b']) {
      const seen = new Set<number>();
      const order: number[] = [];
      for (const r of receiver.received.filter((x) => x.path === path)) {
        const n = r.json.data.n as number;
        if (!seen.has(n)) order.push(n);
        seen.add(n);
      }
      expect(order).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
    }
    const log = await handle.db
      .selectFrom('webhook_deliveries')
      .select((eb) => [eb.fn.countAll().as('n')])
      .where('status', '=', 'delivered')
      .executeTakeFirstOrThrow();
    expect(Number(log.n)).toBe(2 * EVENTS);
    console.log(
      `[webhooks] ${ENGINE}: ${beforeRestart} delivered before SIGKILL, ${receiver.received.length - 2 * EVENTS} duplicates in total`,
    );
  }, 120_000);
});
