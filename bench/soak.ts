/**
 * `npm run bench -- soak`: bounded mixed traffic at BENCH_SOAK_RATE req/s (default 200) for
 * BENCH_SOAK_SECONDS (default 600) against the production server: storefront list and product
 * reads, quotes and cash checkouts in a 10:5:3:2 mix. Prints RSS every minute and start/end/max,
 * so a leak shows as a rising end figure.
 */
import autocannon from 'autocannon';
import { scratchDb, seedStore, sleep, spawnOpenArky } from './harness.ts';

export async function soak(): Promise<void> {
  const seconds = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
  const rate = Number(process.env.BENCH_SOAK_RATE ?? 200);
  const db = await scratchDb('soak');
  const oa = await spawnOpenArky(db);
  try {
    const s = await seedStore(oa.base);
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${s.token}` };
    const list = { method: 'GET' as const, path: `/v1/storefront/${s.storeId}/products?limit=20` };
    const product = (i: number) => ({
      method: 'GET' as const,
      path: `/v1/storefront/${s.storeId}/products/${s.productIds[i % 20]}`,
    });
    const quote = {
      method: 'POST' as const,
      path: `/v1/stores/${s.storeId}/orders/quote`,
      headers: auth,
      body: JSON.stringify({
        market: 'us',
        items: s.variantIds.slice(0, 10).map((variant_id) => ({ variant_id, quantity: 1 })),
      }),
    };
    const checkout = (i: number) => ({
      method: 'POST' as const,
      path: `/v1/stores/${s.storeId}/orders/checkout`,
      headers: auth,
      body: JSON.stringify({
        market: 'us',
        payment_method_id: 'cash',
        items: [{ variant_id: s.variantIds[i % 60], quantity: 1 }],
      }),
    });
    const mix = [
      list,
      product(0),
      list,
      quote,
      list,
      product(1),
      checkout(0),
      list,
      product(2),
      quote,
      list,
      product(3),
      list,
      checkout(1),
      list,
      product(4),
      quote,
      list,
      list,
      list,
    ];
    // Warm up, then measure from a settled heap.
    await autocannon({ url: oa.base, connections: 10, duration: 10, overallRate: rate, requests: mix });
    await sleep(2000);
    const start = oa.rssMiB();
    const samples: number[] = [start];
    const timer = setInterval(() => {
      samples.push(oa.rssMiB());
      console.log(`  t+${(samples.length - 1) * 60}s RSS ${samples.at(-1)} MiB`);
    }, 60_000);
    const r = await autocannon({
      url: oa.base,
      connections: 10,
      duration: seconds,
      overallRate: rate,
      requests: mix,
    });
    clearInterval(timer);
    await sleep(2000);
    const end = oa.rssMiB();
    console.log(
      `soak: ${seconds} s at ${rate} req/s target, ${Math.round(r.requests.average)} req/s served, p99 ${r.latency.p99} ms, ${r['2xx']} × 2xx, ${r.non2xx} non-2xx, ${r.errors} errors; ` +
        `RSS start ${start} MiB, end ${end} MiB, max ${Math.max(...samples, end)} MiB`,
    );
  } finally {
    await oa.stop();
    await db.drop();
  }
}
