/**
 * `npm run bench -- profile [list|product|quote|checkout]`: runs the production server with
 * `--cpu-prof` under load for BENCH_DURATION s and prints the heaviest functions (self time).
 * The .cpuprofile is kept under the printed directory for Chrome DevTools.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duration, load, scratchDb, seedStore, spawnOpenArky, targets, type Target } from './harness.ts';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export async function profile(): Promise<void> {
  const which = process.argv[3] ?? 'list';
  const dir = mkdtempSync(join(tmpdir(), 'openarky-prof-'));
  process.env.BENCH_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${dir}`;
  const db = await scratchDb('prof');
  const oa = await spawnOpenArky(db);
  try {
    const s = await seedStore(oa.base);
    const t: Record<string, Target> = targets(s);
    const r = await load(oa, t[which]!);
    console.log(`${which}: ${r.rps} req/s p99 ${r.p99} ms (profiling overhead included)`);
  } finally {
    await oa.stop();
    await db.drop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile written');
  const prof = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
    nodes: Node[];
    samples: number[];
    timeDeltas: number[];
    endTime: number;
  };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  // Only the samples of the load window (the profile also covers start-up, seeding and shutdown):
  // the last BENCH_DURATION seconds before the stop, less the shutdown grace.
  const times: number[] = [];
  let t = prof.endTime;
  for (let i = prof.samples.length - 1; i >= 0; i--) {
    times[i] = t;
    t -= prof.timeDeltas[i] ?? 0;
  }
  const windowEnd = prof.endTime - 1.6e6;
  const windowStart = windowEnd - duration * 1e6;
  const samples = prof.samples.filter((_, i) => times[i]! >= windowStart && times[i]! <= windowEnd);
  const self = new Map<number, number>();
  for (const id of samples) self.set(id, (self.get(id) ?? 0) + 1);
  // Inclusive time per function: a sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (f: Node['callFrame']) =>
    `${f.functionName || '(anon)'} ${f.url.replace(/^.*node_modules\//, '~').replace(/^.*packages\//, '')}:${f.lineNumber + 1}`;
  const inclusive = new Map<string, number>();
  for (const [id, n] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
      seen.add(label(byId.get(at)!.callFrame));
    for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + n);
  }
  const agg = new Map<string, number>();
  for (const [id, n] of self) {
    const k = label(byId.get(id)!.callFrame);
    agg.set(k, (agg.get(k) ?? 0) + n);
  }
  const idle = agg.get('(idle) :0') ?? 0;
  const total = samples.length - idle;
  const top = Number(process.env.BENCH_TOP ?? 35);
  console.log(`profile: ${join(dir, file)} (${total} busy samples of the load window); self time:`);
  for (const [k, n] of [...agg]
    .filter(([k]) => k !== '(idle) :0')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top))
    console.log(`${((n / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
  console.log('inclusive time:');
  for (const [k, n] of [...inclusive]
    .filter(([k]) => k !== '(idle) :0')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top))
    console.log(`${((n / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}
