import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../src/db/create-db.ts';
import { ENGINE } from './helpers.ts';
import { Agent, request } from 'undici';
import { spawnServer } from './spawn.ts';

/** The real entry point as a separate process: crash recovery and graceful shutdown. */
let env: Record<string, string>;
let drop: () => Promise<void>;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'openarky-proc-'));
  const scratch = await createScratchDatabase(ENGINE, {
    adminUrl: process.env.TEST_DATABASE_URL,
    dir,
    name: `oa_proc_${randomBytes(4).toString('hex')}`,
  });
  drop = scratch.drop;
  env = scratch.url ? { DATABASE_URL: scratch.url, DATA_DIR: dir } : { DATA_DIR: dir };
});
afterAll(async () => drop?.());

const register = (url: string, i: number) =>
  fetch(`${url}/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `proc-${i}-${randomBytes(3).toString('hex')}@example.com`,
      password: 'long enough pw',
    }),
  });

describe('server process', { timeout: 120_000 }, () => {
  it('serves the built dashboard at /admin from the compiled entry point (npm start)', async () => {
    const server = await spawnServer(env);
    try {
      const admin = await fetch(`${server.url}/admin/`);
      expect(admin.status).toBe(200);
      expect(await admin.text()).toContain('/admin/assets/');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 60_000);

  it('starts again after kill -9 during writes, with committed data intact', async () => {
    const first = await spawnServer(env);
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) writes.push(register(first.url, i).catch(() => null));
    await new Promise((r) => setTimeout(r, 150));
    first.child.kill('SIGKILL');
    await first.exited;
    await Promise.all(writes);

    const second = await spawnServer(env);
    try {
      const ready = await fetch(`${second.url}/readyz`);
      expect(ready.status).toBe(200);
      const res = await register(second.url, 999);
      expect(res.status).toBe(201);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const server = await spawnServer(env);
    const inflight = Array.from({ length: 5 }, (_, i) => register(server.url, 100 + i));
    // Signal once all five have reached the server (each spends ~100 ms hashing a password).
    while ((server.output().match(/"url":"\/v1\/auth\/register"/g) ?? []).length < 5)
      await new Promise((r) => setTimeout(r, 5));
    server.child.kill('SIGTERM');
    const statuses = await Promise.all(
      inflight.map((p) =>
        p.then(
          (r) => r.status,
          () => 0,
        ),
      ),
    );
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutting down');
  });

  it(
    'answers requests sent on kept-alive connections after SIGTERM, with Connection: close; /readyz turns 503 (issue 10 defect 11)',
    { timeout: 120_000 },
    async () => {
      const server = await spawnServer(env);
      const agent = new Agent({ connections: 8, keepAliveTimeout: 60_000 });
      try {
        const get = (path = '/healthz') =>
          request(`${server.url}${path}`, { dispatcher: agent }).then(async (r) => ({
            status: r.statusCode,
            connection: r.headers.connection,
            body: await r.body.text(),
          }));
        // Open 8 keep-alive sockets, then leave them idle.
        await Promise.all(Array.from({ length: 8 }, get));
        server.child.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 50));
        const results = await Promise.all(
          ['/readyz', ...Array<string>(8).fill('/healthz')].map((path) =>
            get(path).catch((e: Error) => ({ status: 0, connection: undefined, body: String(e) })),
          ),
        );
        // Draining: not ready (a load balancer stops sending), still alive, every answer closes.
        const [ready, ...alive] = results;
        expect(ready).toMatchObject({ status: 503, body: expect.stringContaining('"status":"draining"') });
        expect(alive.map((r) => r.status)).toEqual(Array(8).fill(200));
        expect(results.every((r) => r.connection === 'close')).toBe(true);
        expect(await server.exited).toBe(0);
      } finally {
        await agent.close();
        if (server.child.exitCode === null) server.child.kill('SIGKILL');
      }
    },
  );
});
