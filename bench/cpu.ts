/**
 * `npm run bench -- cpu [list|product|quote|checkout]`: server CPU time per request of the
 * compiled production server (a separate process; its utime + stime from /proc), driven by a few
 * keep-alive connections. It is the figure that stays comparable when other work shares the
 * machine, unlike req/s. BENCH_SERVER_ROOT=<checkout of another revision, built> measures that
 * revision's `packages/server/dist/main.js` with this harness (before/after a change).
 */
import { join, resolve } from 'node:path';
import { Agent, request } from 'undici';
import { scratchDb, seedStore, spawnOpenArky, type Target } from './harness.ts';

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

export async function cpu(): Promise<void> {
  const root = process.env.BENCH_SERVER_ROOT;
  if (root) process.env.BENCH_SERVER_ENTRY = join(resolve(root), 'packages/server/dist/main.js');
  const db = await scratchDb('cpu');
  const oa = await spawnOpenArky(db);
  try {
    const s = await seedStore(oa.base);
    const cases: Record<string, Target> = {
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
        body: { market: 'us', payment_method_id: 'cash', items: [{ variant_id: s.variantIds[0], quantity: 1 }] },
      },
    };
    const only = process.argv[3];
    for (const [name, t] of Object.entries(cases)) {
      if (only && only !== name) continue;
      await drive(oa.base, t, 300);
      const n = name === 'checkout' ? 1500 : 4000;
      const c0 = oa.cpuMs();
      await drive(oa.base, t, n);
      const ms = (oa.cpuMs() - c0) / n;
      console.log(`${name}: ${ms.toFixed(3)} ms server CPU/request (${root ?? 'this tree'}, compiled, 4 keep-alive connections)`);
    }
  } finally {
    await oa.stop();
    await db.drop();
  }
}
