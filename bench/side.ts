/**
 * `ceiling` and `side`: the real server (`NODE_ENV=production`, its own process) next to the
 * storage ceiling (bare Fastify + better-sqlite3, its own process) serving the very documents
 * OpenArky returned. Servers are loaded one at a time, alternately, BENCH_RUNS times (default 2),
 * BENCH_CONNECTIONS (50) for BENCH_DURATION s (10). PostgreSQL when BENCH_DATABASE_URL is set.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { createDb } from '../packages/server/src/db/create-db.ts';
import {
  api,
  connections,
  duration,
  engine,
  freePort,
  load,
  runs,
  scratchDb,
  seedStore,
  sleep,
  spawnOpenArky,
  spawnServer,
  targets,
  type CaseName,
  type LoadResult,
  type ScratchDb,
  type Seeded,
  type Spawned,
} from './harness.ts';

const label: Record<CaseName, string> = {
  list: 'storefront list, 20 products × 3 variants',
  product: 'one product by id',
  quote: 'quote of 10 lines',
  checkout: 'cash checkout, one contended SKU',
};

/** Writes OpenArky's own product documents into the ceiling's table (one row per product). */
export async function buildCeilingDb(oa: Spawned, s: Seeded, file: string): Promise<void> {
  const page = await api(oa.base, null, 'GET', `/v1/storefront/${s.storeId}/products?limit=100`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(
    'CREATE TABLE product_docs (id TEXT PRIMARY KEY, store_id TEXT NOT NULL, created_at INTEGER NOT NULL, doc TEXT NOT NULL)',
  );
  db.exec('CREATE INDEX product_docs_page ON product_docs (store_id, created_at, id)');
  const insert = db.prepare('INSERT INTO product_docs VALUES (?, ?, ?, ?)');
  for (const p of page.items as { id: string; store_id: string; created_at: number }[])
    insert.run(p.id, p.store_id, p.created_at, JSON.stringify(p));
  db.close();
}

/** The ceiling server (bench/ceiling-server.ts) as its own process on `file`. */
export async function spawnCeiling(file: string): Promise<Spawned> {
  const port = await freePort();
  return spawnServer(
    ['--import', 'tsx', 'bench/ceiling-server.ts'],
    { NODE_ENV: 'production', CEILING_DB: file, PORT: String(port) },
    port,
  );
}

/**
 * PostgreSQL only: samples pg_stat_activity every 10 ms while `during` runs. Mean backends waiting
 * on a lock ÷ orders per second = mean lock wait per order (Little's law).
 */
export async function sampleLockWaits<T>(
  url: string | null,
  during: Promise<T>,
): Promise<{ result: T; waiting: number; active: number }> {
  if (!url) return { result: await during, waiting: NaN, active: NaN };
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  let done = false;
  let n = 0;
  let waiting = 0;
  let active = 0;
  const poll = (async () => {
    while (!done) {
      const r = await c.query<{ w: string; a: string }>(
        "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock') AS w, count(*) FILTER (WHERE state = 'active') - 1 AS a FROM pg_stat_activity WHERE datname = current_database()",
      );
      waiting += Number(r.rows[0]!.w);
      active += Number(r.rows[0]!.a);
      n++;
      await sleep(10);
    }
  })();
  const result = await during;
  done = true;
  await poll;
  await c.end();
  return { result, waiting: waiting / Math.max(n, 1), active: active / Math.max(n, 1) };
}

interface StockState {
  available: number;
  reserved: number;
  orders: number;
}

export async function stockOf(db: ScratchDb, variantId: string): Promise<StockState> {
  const h = createDb({ url: db.url, sqliteFile: join(db.dir, 'openarky.db') });
  try {
    const level = await h.db
      .selectFrom('inventory_levels')
      .select(['available', 'reserved'])
      .where('variant_id', '=', variantId)
      .executeTakeFirstOrThrow();
    const orders = await h.db
      .selectFrom('order_items')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('quantity'), sql<number>`0`).as('n'))
      .where('variant_id', '=', variantId)
      .executeTakeFirstOrThrow();
    return { available: Number(level.available), reserved: Number(level.reserved), orders: Number(orders.n) };
  } finally {
    await h.close();
  }
}

const fmt = (r: LoadResult) => `${r.rps.toLocaleString('en-US')}`;

export async function ceiling(): Promise<void> {
  const db = await scratchDb('ceiling');
  const oa = await spawnOpenArky(db);
  const s = await seedStore(oa.base);
  const file = join(db.dir, 'ceiling.db');
  await buildCeilingDb(oa, s, file);
  await oa.stop();
  const c = await spawnCeiling(file);
  try {
    const t = targets(s);
    for (const name of ['list', 'product'] as const) {
      for (let i = 0; i < runs; i++) {
        const r = await load(c, t[name]);
        console.log(
          `ceiling ${label[name]}: ${fmt(r)} req/s, ${r.cpuPerReq.toFixed(2)} ms CPU/req, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.bytes} B/response, ${r.non2xx} non-2xx, ${r.errors} errors`,
        );
      }
    }
  } finally {
    await c.stop();
    await db.drop();
  }
}

export async function side(): Promise<void> {
  const db = await scratchDb('side');
  const oa = await spawnOpenArky(db);
  let c: Spawned | undefined;
  try {
    const s = await seedStore(oa.base);
    const file = join(db.dir, 'ceiling.db');
    await buildCeilingDb(oa, s, file);
    c = await spawnCeiling(file);
    const t = targets(s);
    const oaRuns: Record<CaseName, LoadResult[]> = { list: [], product: [], quote: [], checkout: [] };
    const ceilRuns: Record<'list' | 'product', LoadResult[]> = { list: [], product: [] };
    let waits: { waiting: number; active: number }[] = [];
    const before = await stockOf(db, s.variantIds[0]!);
    for (let i = 0; i < runs; i++) {
      for (const name of ['list', 'product'] as const) {
        ceilRuns[name].push(await load(c, t[name]));
        oaRuns[name].push(await load(oa, t[name]));
      }
      oaRuns.quote.push(await load(oa, t.quote));
      const w = await sampleLockWaits(db.url, load(oa, t.checkout));
      oaRuns.checkout.push(w.result);
      waits.push(w);
      // autocannon stops its clock with requests still queued in the server: let them finish.
      await sleep(3000);
    }
    const after = await stockOf(db, s.variantIds[0]!);
    const sold = before.available - after.available;
    const consistent = sold === after.orders - before.orders;
    const rssAfter = oa.rssMiB();

    // Oversell probe: 100 units, 50 buyers hammering for 3 s; exactly 100 must be sold.
    await api(oa.base, s.token, 'PUT', `/v1/stores/${s.storeId}/products/${s.productIds[1]}`, {
      variants: [{ id: s.variantIds[3], inventory: 100 }, { id: s.variantIds[4] }, { id: s.variantIds[5] }],
    });
    const probeBefore = await stockOf(db, s.variantIds[3]!);
    const probe = await load(
      oa,
      {
        ...t.checkout,
        body: { ...(t.checkout.body as object), items: [{ variant_id: s.variantIds[3], quantity: 1 }] },
      },
      3,
    );
    await sleep(3000);
    const probeAfter = await stockOf(db, s.variantIds[3]!);
    const probeSold = probeAfter.orders - probeBefore.orders;

    const avg = (xs: LoadResult[], k: 'rps' | 'p50' | 'p99' | 'cpuPerReq') =>
      xs.reduce((a, r) => a + r[k], 0) / Math.max(xs.length, 1);
    console.log(
      `\nOpenArky (${engine}, NODE_ENV=production) vs ceiling (bare Fastify + better-sqlite3), ${connections} connections, ${duration} s × ${runs} runs, loopback, load generator on the same machine`,
    );
    console.log(
      '| case | OpenArky req/s (runs) | p50 / p99 ms | ceiling req/s (runs) | ceiling p50 / p99 ms | OpenArky / ceiling req/s | server CPU ms/req OpenArky (ceiling) | bytes |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const name of ['list', 'product', 'quote', 'checkout'] as const) {
      const o = oaRuns[name];
      const ce = name === 'list' || name === 'product' ? ceilRuns[name] : undefined;
      const ratio = ce ? (avg(o, 'rps') / avg(ce, 'rps')).toFixed(2) : '–';
      const bad = o.reduce((a, r) => a + r.non2xx + r.errors, 0);
      console.log(
        `| ${label[name]} | ${o.map(fmt).join(' / ')} | ${avg(o, 'p50').toFixed(0)} / ${avg(o, 'p99').toFixed(0)} | ${ce ? ce.map(fmt).join(' / ') : '–'} | ${ce ? `${avg(ce, 'p50').toFixed(0)} / ${avg(ce, 'p99').toFixed(0)}` : '–'} | ${ratio} | ${avg(o, 'cpuPerReq').toFixed(2)}${ce ? ` (${avg(ce, 'cpuPerReq').toFixed(2)})` : ''} | ${o[0]?.bytes ?? 0}${bad ? ` (${bad} non-2xx/errors)` : ''} |`,
      );
    }
    const orders = avg(oaRuns.checkout, 'rps');
    if (engine === 'postgres') {
      const waiting = waits.reduce((a, w) => a + w.waiting, 0) / waits.length;
      const active = waits.reduce((a, w) => a + w.active, 0) / waits.length;
      console.log(
        `checkout lock wait: ${waiting.toFixed(1)} backends waiting on a lock on average (of ${active.toFixed(1)} active) → ≈ ${((waiting / orders) * 1000).toFixed(1)} ms lock wait per order`,
      );
    } else {
      console.log(
        'checkout lock wait: SQLite serializes writers on one connection; wait = time queued for it (≈ p50 minus service time)',
      );
    }
    console.log(
      `checkout stock: ${sold} units sold, ${after.orders - before.orders} ordered: ${consistent ? 'consistent' : 'INCONSISTENT'}`,
    );
    console.log(
      `oversell probe (100 in stock, ${connections} buyers, 3 s): ${probeSold} sold, available ${probeAfter.available}, ${probe.ok} × 2xx, ${probe.non2xx} × non-2xx → ${probeSold <= 100 && probeAfter.available === 100 - probeSold ? `no oversell${probeSold < 100 ? ' (not sold out within 3 s)' : ''}` : 'OVERSOLD OR STOCK LOST'}`,
    );
    console.log(`server RSS after the run: ${rssAfter} MiB`);
    waits = [];
  } finally {
    await c?.stop();
    await oa.stop();
    await db.drop();
  }
}
