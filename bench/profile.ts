/**
 * `npm run bench -- profile [list|product|quote|checkout]`: runs the production server with
 * `--cpu-prof` under load for BENCH_DURATION s and prints the heaviest functions (self time).
 * The .cpuprofile is kept under the printed directory for Chrome DevTools.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, scratchDb, seedStore, spawnOpenArky, type Target } from './harness.ts';

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
    const t: Record<string, Target> = {
      list: { method: 'GET', path: `/v1/storefront/${s.storeId}/products?limit=20` },
      product: { method: 'GET', path: `/v1/storefront/${s.storeId}/products/${s.productIds[0]}` },
      quote: {
        method: 'POST',
        token: s.token,
        path: `/v1/stores/${s.storeId}/orders/quote`,
        body: {
          market: 'us',
          items: s.variantIds.slice(0, 10).map((variant_id, i) => ({ variant_id, quantity: 1 + (i % 3) })),
        },
      },
      checkout: {
        method: 'POST',
        token: s.token,
        path: `/v1/stores/${s.storeId}/orders/checkout`,
        body: {
          market: 'us',
          payment_method_id: 'cash',
          items: [{ variant_id: s.variantIds[0], quantity: 1 }],
        },
      },
    };
    const r = await load(oa, t[which]!);
    console.log(`${which}: ${r.rps} req/s p99 ${r.p99} ms (profiling overhead included)`);
  } finally {
    await oa.stop();
    await db.drop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile written');
  const prof = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Node[]; samples: number[] };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const id of prof.samples) self.set(id, (self.get(id) ?? 0) + 1);
  const agg = new Map<string, number>();
  for (const [id, n] of self) {
    const f = byId.get(id)!.callFrame;
    const k = `${f.functionName || '(anon)'} ${f.url.replace(/^.*node_modules\//, '~').replace(/^.*packages\//, '')}:${f.lineNumber + 1}`;
    agg.set(k, (agg.get(k) ?? 0) + n);
  }
  const total = prof.samples.length;
  console.log(`profile: ${join(dir, file)} (${total} samples); self time:`);
  for (const [k, n] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.BENCH_TOP ?? 35)))
    console.log(`${((n / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}
