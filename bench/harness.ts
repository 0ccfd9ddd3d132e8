/**
 * Shared pieces of the process-level scenarios: spawning servers (OpenArky and the ceiling) as
 * separate processes on loopback, seeding a store through the HTTP API, and one autocannon run.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createScratchDatabase } from '../packages/server/src/db/create-db.ts';

export const engine: 'sqlite' | 'postgres' =
  process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL ? 'postgres' : 'sqlite';
export const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
export const duration = Number(process.env.BENCH_DURATION ?? 10);
export const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
export const runs = Number(process.env.BENCH_RUNS ?? 2);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Spawned {
  base: string;
  child: ChildProcess;
  rssMiB(): number;
  /** User + system CPU time of the process so far (ms; /proc clock ticks, 10 ms resolution). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Spawns a node process that serves HTTP on `port` and waits until `readyPath` answers. */
export async function spawnServer(
  args: string[],
  env: Record<string, string>,
  port: number,
  readyPath = '/healthz',
): Promise<Spawned> {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    try {
      const res = await fetch(base + readyPath);
      if (res.ok) break;
    } catch {
      /* not yet listening */
    }
    if (Date.now() > deadline) throw new Error(`${args.join(' ')} did not start`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    base,
    child,
    cpuMs: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    },
    rssMiB: () =>
      Math.round(
        Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
      ),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export interface ScratchDb {
  dir: string;
  url: string | null;
  sqliteFile?: string;
  drop(): Promise<void>;
}

export async function scratchDb(tag: string): Promise<ScratchDb> {
  const dir = mkdtempSync(join(tmpdir(), `openarky-bench-${tag}-`));
  const s = await createScratchDatabase(engine, {
    adminUrl,
    dir,
    name: `oa_bench_${tag}_${Date.now().toString(36)}`,
  });
  return { dir, ...s };
}

/**
 * The real server (`NODE_ENV=production`) on a scratch database; `poolMax` connections on
 * PostgreSQL. The compiled build (`packages/server/dist/main.js`, rebuilt when a source is newer)
 * unless BENCH_SERVER_ENTRY names another entry (a `.ts` one runs through tsx). The global flood
 * limit is off: a load generator is one IP.
 */
export async function spawnOpenArky(db: ScratchDb, extraEnv: Record<string, string> = {}): Promise<Spawned> {
  const port = await freePort();
  const entry = process.env.BENCH_SERVER_ENTRY ?? 'packages/server/dist/main.js';
  if (!process.env.BENCH_SERVER_ENTRY)
    execFileSync(process.execPath, ['packages/server/scripts/build.js', '--if-stale'], { stdio: 'inherit' });
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, ...(entry.endsWith('.js') ? [entry] : ['--import', 'tsx', entry])];
  return spawnServer(
    args,
    {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: db.dir,
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
      ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      DATABASE_POOL_MAX: process.env.BENCH_POOL_MAX ?? '20',
      RATE_LIMIT_MAX: '0',
      ...(db.url ? { DATABASE_URL: db.url } : {}),
      ...extraEnv,
    },
    port,
  );
}

export async function api(
  base: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<any> {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as any;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export interface Seeded {
  token: string;
  storeId: string;
  productIds: string[];
  variantIds: string[];
}

/** One store, market `us` (7 % tax) and `eu`, 20 products × 3 variants, seeded through the API. */
export async function seedStore(base: string, stock = 10_000_000): Promise<Seeded> {
  const tag = Date.now().toString(36);
  const auth = await api(base, null, 'POST', '/v1/auth/register', {
    email: `bench-${tag}@example.com`,
    password: 'bench password 123',
  });
  const token = auth.access_token as string;
  const store = await api(base, token, 'POST', '/v1/stores', {
    key: `bench-${tag}`,
    timezone: 'UTC',
    billing_email: 'b@example.com',
  });
  await api(base, token, 'PUT', `/v1/stores/${store.id}/markets/us`, { tax_bps: 700 });
  const productIds: string[] = [];
  const variantIds: string[] = [];
  for (let i = 0; i < 20; i++) {
    const p = await api(base, token, 'POST', `/v1/stores/${store.id}/products`, {
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
        inventory: stock,
      })),
    });
    productIds.push(p.id);
    variantIds.push(...p.variants.map((v: { id: string }) => v.id));
  }
  return { token, storeId: store.id, productIds, variantIds };
}

export interface Target {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  token?: string;
  /** A fresh Idempotency-Key on every request (as the SDK sends on POST). */
  idempotencyKeys?: boolean;
}

export type CaseName = 'list' | 'product' | 'quote' | 'checkout';

/** The benches' requests on a seeded store (cpu, profile, side). */
export function targets(s: Seeded): Record<CaseName, Target> {
  return {
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
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  bytes: number;
  /** Server CPU per answered request (ms): robust when other work shares the machine. */
  cpuPerReq: number;
}

let keySeq = 0;

/** One autocannon run against `base`; waits for in-flight requests before returning. */
export async function load(
  server: Spawned,
  target: Target,
  seconds = duration,
  conns = connections,
): Promise<LoadResult> {
  const cpu0 = server.cpuMs();
  const r = await autocannon({
    url: server.base + target.path,
    method: target.method,
    headers: {
      'content-type': 'application/json',
      ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
    },
    ...(target.body === undefined ? {} : { body: JSON.stringify(target.body) }),
    ...(target.idempotencyKeys
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request) => ({
                ...req,
                headers: { ...req.headers, 'idempotency-key': `bench-${++keySeq}-${process.pid}` },
              }),
            },
          ],
        }
      : {}),
    duration: seconds,
    connections: conns,
  });
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    bytes: r.requests.total ? Math.round(r.throughput.total / r.requests.total) : 0,
    cpuPerReq: (server.cpuMs() - cpu0) / Math.max(r.requests.total, 1),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
