/**
 * `npm run bench -- cpu [list|product|quote|checkout|availability]`: server CPU time per request of
 * the compiled production server (a separate process; its utime + stime from /proc), driven by a
 * few keep-alive connections, next to the storage ceiling for the two reads. It is the figure that
 * stays comparable when other work shares the machine, unlike req/s. BENCH_BASE_ROOT=<another
 * checkout, built> runs that revision's `packages/server/dist/main.js` too, the servers measured
 * alternately BENCH_CPU_ROUNDS times (default 3); the minimum of the rounds is printed, since
 * contention only ever adds CPU time.
 */
import { join, resolve } from 'node:path';
import { Agent, request } from 'undici';
import {
  scratchDb,
  seedStore,
  spawnOpenArky,
  targets,
  type CaseName,
  type ScratchDb,
  type Spawned,
  type Target,
} from './harness.ts';
import { buildCeilingDb, spawnCeiling } from './side.ts';

/** Sends `n` requests over `conns` keep-alive connections, `conns` at a time. */
async function drive(base: string, t: Target, n: number, conns = 4): Promise<void> {
  const dispatcher = new Agent({ connections: conns, pipelining: 1 });
  const body = t.body === undefined ? undefined : JSON.stringify(t.body);
  const headers = {
    'content-type': 'application/json',
    ...(t.token ? { authorization: `Bearer ${t.token}` } : {}),
  };
  let left = n;
  const worker = async () => {
    while (left-- > 0) {
      const r = await request(base + t.path, { method: t.method, headers, body, dispatcher });
      const text = await r.body.text();
      if (r.statusCode >= 300) throw new Error(`${t.path}: ${r.statusCode} ${text}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: conns }, worker));
  } finally {
    await dispatcher.close();
  }
}

interface Subject {
  name: string;
  server: Spawned;
  cases: Partial<Record<CaseName, Target>>;
}

async function openArky(name: string, db: ScratchDb, entry?: string): Promise<Subject & { file: string }> {
  const saved = process.env.BENCH_SERVER_ENTRY;
  if (entry) process.env.BENCH_SERVER_ENTRY = entry;
  const server = await spawnOpenArky(db);
  if (entry) process.env.BENCH_SERVER_ENTRY = saved;
  const s = await seedStore(server.base);
  const file = join(db.dir, 'ceiling.db');
  await buildCeilingDb(server, s, file);
  const cases = targets(s);
  return { name, server, cases, file };
}

export async function cpu(): Promise<void> {
  const rounds = Number(process.env.BENCH_CPU_ROUNDS ?? 3);
  const baseRoot = process.env.BENCH_BASE_ROOT;
  const dbs: ScratchDb[] = [];
  const subjects: Subject[] = [];
  try {
    const db = await scratchDb('cpu');
    dbs.push(db);
    const mine = await openArky('this tree', db);
    subjects.push(mine);
    if (baseRoot) {
      const baseDb = await scratchDb('cpu-base');
      dbs.push(baseDb);
      subjects.push(
        await openArky(`base ${baseRoot}`, baseDb, join(resolve(baseRoot), 'packages/server/dist/main.js')),
      );
    }
    const ceiling = await spawnCeiling(mine.file);
    subjects.push({
      name: 'ceiling',
      server: ceiling,
      cases: { list: mine.cases.list!, product: mine.cases.product! },
    });
    const only = process.argv[3];
    for (const name of ['list', 'product', 'quote', 'checkout'] as const) {
      if (only && only !== name) continue;
      const n = name === 'checkout' ? 1500 : 3000;
      const best = new Map<string, number>();
      for (let r = 0; r < rounds; r++) {
        for (const sub of subjects) {
          const t = sub.cases[name];
          if (!t) continue;
          await drive(sub.server.base, t, 200);
          const c0 = sub.server.cpuMs();
          await drive(sub.server.base, t, n);
          const ms = (sub.server.cpuMs() - c0) / n;
          best.set(sub.name, Math.min(best.get(sub.name) ?? Infinity, ms));
        }
      }
      const ceil = best.get('ceiling');
      const line = [...best]
        .map(
          ([who, ms]) =>
            `${who} ${ms.toFixed(3)}${ceil && who !== 'ceiling' ? ` (ceiling/this ${(ceil / ms).toFixed(2)})` : ''}`,
        )
        .join('; ');
      console.log(`${name}: ms server CPU/request, min of ${rounds} rounds: ${line}`);
    }
  } finally {
    for (const sub of subjects) await sub.server.stop();
    for (const db of dbs) await db.drop();
  }
}
