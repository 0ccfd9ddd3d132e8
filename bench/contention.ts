/**
 * `npm run bench -- contention`: cash checkout of one SKU by BENCH_CONNECTIONS (50) concurrent
 * buyers against the production server (its own process), BENCH_DURATION s × BENCH_RUNS. Prints
 * orders/s, p50/p99, server CPU ms per order and, on PostgreSQL, the mean lock wait per order
 * (pg_stat_activity sampled every 10 ms, Little's law), then checks stock against the orders
 * written (no oversell, nothing lost). BENCH_BASE_ROOT=<another built checkout> runs that
 * revision's server on its own database too, the two loaded alternately, for a before figure.
 * BENCH_IDEMPOTENCY=1 sends a fresh Idempotency-Key with every checkout, as the SDK does.
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import {
  connections,
  duration,
  engine,
  load,
  runs,
  scratchDb,
  seedStore,
  sleep,
  spawnOpenArky,
  type LoadResult,
  type ScratchDb,
  type Seeded,
  type Spawned,
  type Target,
} from './harness.ts';
import { sampleLockWaits, stockOf } from './side.ts';

interface Subject {
  name: string;
  db: ScratchDb;
  server: Spawned;
  seeded: Seeded;
  results: { r: LoadResult; waitMs: number }[];
}

async function subject(name: string, entry?: string): Promise<Subject> {
  const db = await scratchDb(entry ? 'contention_base' : 'contention');
  const saved = process.env.BENCH_SERVER_ENTRY;
  if (entry) process.env.BENCH_SERVER_ENTRY = entry;
  try {
    const server = await spawnOpenArky(db);
    return { name, db, server, seeded: await seedStore(server.base), results: [] };
  } finally {
    if (entry) process.env.BENCH_SERVER_ENTRY = saved;
  }
}

const list = (xs: number[], digits = 0) => xs.map((x) => x.toFixed(digits)).join(' / ');

export async function contention(): Promise<void> {
  const subjects: Subject[] = [];
  try {
    subjects.push(await subject('this tree'));
    const baseRoot = process.env.BENCH_BASE_ROOT;
    if (baseRoot)
      subjects.push(
        await subject(`base ${baseRoot}`, join(resolve(baseRoot), 'packages/server/dist/main.js')),
      );
    const before = await Promise.all(subjects.map((s) => stockOf(s.db, s.seeded.variantIds[0]!)));
    const loads: number[] = [];
    for (let i = 0; i < runs; i++) {
      for (const s of subjects) {
        const t: Target = {
          method: 'POST',
          token: s.seeded.token,
          path: `/v1/stores/${s.seeded.storeId}/orders/checkout`,
          body: {
            market: 'us',
            payment_method_id: 'cash',
            items: [{ variant_id: s.seeded.variantIds[0], quantity: 1 }],
          },
          idempotencyKeys: process.env.BENCH_IDEMPOTENCY === '1',
        };
        loads.push(loadavg()[0]!);
        const w = await sampleLockWaits(s.db.url, load(s.server, t));
        // autocannon stops its clock with requests still queued in the server: let them finish.
        await sleep(2000);
        s.results.push({ r: w.result, waitMs: (w.waiting / Math.max(w.result.rps, 1)) * 1000 });
      }
    }
    console.log(
      `cash checkout of one SKU (${engine}${process.env.BENCH_IDEMPOTENCY === '1' ? ', an Idempotency-Key each' : ''}), ${connections} connections, ${duration} s × ${runs} runs alternately; 1-min load average ${list(loads, 1)}`,
    );
    for (const [k, s] of subjects.entries()) {
      const after = await stockOf(s.db, s.seeded.variantIds[0]!);
      const sold = before[k]!.available - after.available;
      const ordered = after.orders - before[k]!.orders;
      const rs = s.results.map((x) => x.r);
      const bad = rs.reduce((a, r) => a + r.non2xx + r.errors, 0);
      console.log(
        `${s.name}: ${list(rs.map((r) => r.rps))} orders/s, p50 ${list(rs.map((r) => r.p50))} ms, p99 ${list(rs.map((r) => r.p99))} ms, server CPU ${list(
          rs.map((r) => r.cpuPerReq),
          2,
        )} ms/order` +
          (engine === 'postgres'
            ? `, lock wait ${list(
                s.results.map((x) => x.waitMs),
                1,
              )} ms/order`
            : '') +
          `, ${bad} non-2xx/errors; stock: ${sold} sold, ${ordered} ordered, ${after.reserved} reserved → ${sold === ordered && after.reserved === before[k]!.reserved ? 'consistent' : 'INCONSISTENT'}`,
      );
    }
  } finally {
    for (const s of subjects) {
      await s.server.stop();
      await s.db.drop();
    }
  }
}
