/**
 * Commerce load scenarios against a real server started in-process on a scratch database
 * (PostgreSQL when BENCH_DATABASE_URL is set, else SQLite), seeded through the HTTP API:
 *   products — storefront product list (20 products, 3 variants each, prices in two markets)
 *   quote    — a 10-line quote
 *   checkout — cash checkout, always the same SKU (contended stock row)
 * Runs autocannon for BENCH_DURATION seconds (default 10) with BENCH_CONNECTIONS (default 10).
 */
import autocannon from 'autocannon';
import { inProcessServer } from './in-process.ts';
import { api } from './harness.ts';

type Scenario = 'products' | 'quote' | 'checkout';

async function run(scenario: Scenario): Promise<void> {
  const engine = process.env.BENCH_DATABASE_URL ? 'postgres' : 'sqlite';
  const server = await inProcessServer();
  const { base, handle } = server;
  try {
    const auth = await api(base, null, 'POST', '/v1/auth/register', {
      email: `bench-${Date.now()}@example.com`,
      password: 'bench password 123',
    });
    const token = auth.access_token as string;
    const store = await api(base, token, 'POST', '/v1/stores', {
      key: `bench-${Date.now().toString(36)}`,
      timezone: 'UTC',
      billing_email: 'b@example.com',
    });
    await api(base, token, 'PUT', `/v1/stores/${store.id}/markets/us`, { tax_bps: 700 });
    const variants: string[] = [];
    for (let i = 0; i < 20; i++) {
      const p = await api(base, token, 'POST', `/v1/stores/${store.id}/products`, {
        key: `product-${i}`,
        blocks: [
          { key: 'name', value: `Product ${i}` },
          { key: 'description', value: 'A sturdy thing for benchmarks.' },
        ],
        variants: ['s', 'm', 'l'].map((size, j) => ({
          sku: `P${i}-${size}`,
          attributes: { size },
          prices: [
            { market: 'us', amount: 1000 + i * 10 + j },
            { market: 'eu', amount: 1100 + i * 10 + j },
          ],
          inventory: 1_000_000,
        })),
      });
      variants.push(...p.variants.map((v: { id: string }) => v.id));
    }
    const target = {
      products: { method: 'GET' as const, path: `/v1/storefront/${store.id}/products?limit=20` },
      quote: {
        method: 'POST' as const,
        path: `/v1/stores/${store.id}/orders/quote`,
        body: {
          market: 'us',
          items: variants.slice(0, 10).map((variant_id, i) => ({ variant_id, quantity: 1 + (i % 3) })),
        },
      },
      checkout: {
        method: 'POST' as const,
        path: `/v1/stores/${store.id}/orders/checkout`,
        body: { market: 'us', payment_method_id: 'cash', items: [{ variant_id: variants[0], quantity: 1 }] },
      },
    }[scenario];
    const result = await autocannon({
      url: base + target.path,
      method: target.method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      ...('body' in target ? { body: JSON.stringify(target.body) } : {}),
      duration: Number(process.env.BENCH_DURATION ?? 10),
      connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
    });
    // autocannon stops its clock with requests still in flight: let the server finish them.
    await new Promise((r) => setTimeout(r, 3000));
    const orders =
      scenario === 'checkout'
        ? await handle.db
            .selectFrom('orders')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        : null;
    console.log(
      `${scenario} (${engine}, ${result.connections} connections, ${result.duration}s): ` +
        `${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
        `${result['2xx']} ok, ${result.non2xx} non-2xx, ${result.errors} errors` +
        (orders ? `, ${orders.n} orders written` : ''),
    );
  } finally {
    await server.close();
  }
}

export const products = () => run('products');
export const quote = () => run('quote');
export const checkout = () => run('checkout');
