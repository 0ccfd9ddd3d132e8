/**
 * `npm run bench -- cpu [case]`: server CPU time per request, measured in-process with
 * `app.inject` one request at a time (no sockets, no concurrency). It is the figure that stays
 * comparable when other work shares the machine, unlike req/s. BENCH_SERVER_ROOT=<checkout of
 * another revision> measures that revision's server (before/after a change) with this harness.
 * Includes light-my-request's own cost (building the request, parsing the JSON answer).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function cpu(): Promise<void> {
  const root = resolve(process.env.BENCH_SERVER_ROOT ?? '.');
  const { buildApp } = await import(pathToFileURL(join(root, 'packages/server/src/app.ts')).href);
  const { loadConfig } = await import(pathToFileURL(join(root, 'packages/server/src/config.ts')).href);
  const dir = mkdtempSync(join(tmpdir(), 'openarky-cpu-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: dir,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
    LOG_LEVEL: 'warn',
  });
  const app = await buildApp(config, { runJobs: false });
  const call = async (method: string, url: string, token?: string, body?: unknown): Promise<any> => {
    const r = await app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(body ? { payload: body } : {}),
    });
    if (r.statusCode >= 300) throw new Error(`${url}: ${r.body}`);
    return r.json();
  };
  try {
    const auth = await call('POST', '/v1/auth/register', undefined, {
      email: 'cpu@example.com',
      password: 'bench password 123',
    });
    const token = auth.access_token as string;
    const store = await call('POST', '/v1/stores', token, {
      key: 'cpu',
      timezone: 'UTC',
      billing_email: 'b@example.com',
    });
    await call('PUT', `/v1/stores/${store.id}/markets/us`, token, { tax_bps: 700 });
    const pids: string[] = [];
    const vids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const p = await call('POST', `/v1/stores/${store.id}/products`, token, {
        key: `product-${i}`,
        blocks: [
          { key: 'name', value: `Product ${i}` },
          { key: 'description', value: 'A sturdy thing for benchmarks, made to last and easy to repair.' },
        ],
        variants: ['s', 'm', 'l'].map((size, j) => ({
          sku: `P${i}-${size}`,
          attributes: { size },
          prices: [
            { market: 'us', amount: 1000 + i * 10 + j },
            { market: 'eu', amount: 1100 + i * 10 + j },
          ],
          inventory: 10_000_000,
        })),
      });
      pids.push(p.id);
      vids.push(...p.variants.map((v: { id: string }) => v.id));
    }
    const cases: Record<string, () => Promise<unknown>> = {
      list: () => call('GET', `/v1/storefront/${store.id}/products?limit=20`),
      product: () => call('GET', `/v1/storefront/${store.id}/products/${pids[0]}`),
      quote: () =>
        call('POST', `/v1/stores/${store.id}/orders/quote`, token, {
          market: 'us',
          items: vids.slice(0, 10).map((variant_id, i) => ({ variant_id, quantity: 1 + (i % 3) })),
        }),
      checkout: () =>
        call('POST', `/v1/stores/${store.id}/orders/checkout`, token, {
          market: 'us',
          payment_method_id: 'cash',
          items: [{ variant_id: vids[0], quantity: 1 }],
        }),
    };
    const only = process.argv[3];
    for (const [name, f] of Object.entries(cases)) {
      if (only && only !== name) continue;
      for (let i = 0; i < 200; i++) await f();
      const n = name === 'checkout' ? 1000 : 3000;
      const c0 = process.cpuUsage();
      for (let i = 0; i < n; i++) await f();
      const c = process.cpuUsage(c0);
      console.log(
        `${name}: ${((c.user + c.system) / 1000 / n).toFixed(3)} ms CPU/request (${root === resolve('.') ? 'this tree' : root}, in-process inject, sequential)`,
      );
    }
  } finally {
    await app.close();
  }
}
