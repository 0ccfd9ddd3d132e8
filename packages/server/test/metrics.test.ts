import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Type } from '@sinclair/typebox';
import { createTestApp, ENGINE, type TestApp } from './helpers.ts';
import { newId } from '../src/lib/ids.ts';
import { enqueue, handleJob, jobKind } from '../src/lib/jobs.ts';

const TOKEN = 'metrics-token-for-tests';
const auth = { authorization: `Bearer ${TOKEN}` };
const logLines: Record<string, unknown>[] = [];
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({
    env: { METRICS_TOKEN: TOKEN, LOG_LEVEL: 'info' },
    build: {
      logStream: { write: (line) => void logLines.push(JSON.parse(line) as Record<string, unknown>) },
    },
  });
});
afterAll(async () => {
  await t.close();
});

/** One metric's sample lines from a Prometheus text body. */
const samples = (body: string, name: string) => body.split('\n').filter((l) => l.startsWith(name));

describe('/metrics', () => {
  it('needs the METRICS_TOKEN', async () => {
    expect((await t.app.inject('/metrics')).statusCode).toBe(401);
    const wrong = await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: 'unauthenticated' });
  });

  it('times requests by route pattern and status, never by raw URL', async () => {
    await t.app.inject('/v1/platform/currencies');
    await t.app.inject('/v1/stores/store_metricsprobe/products/prod_metricsprobe');
    await t.app.inject('/no/such/route/abc123');
    const res = await t.app.inject({ url: '/metrics', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const lines = samples(res.body, 'openarky_http_request_duration_seconds_count');
    expect(lines).toContainEqual(
      expect.stringMatching(/route="\/v1\/platform\/currencies",status_code="200"/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/route="\/v1\/stores\/:storeId\/products\/:id",status_code="401"/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/route="unmatched",status_code="404"/));
    expect(res.body).not.toContain('metricsprobe');
    expect(res.body).not.toContain('abc123');
    expect(samples(res.body, 'openarky_db_pool_connections{state="max"}')).toHaveLength(1);
    expect(samples(res.body, 'openarky_process_resident_memory_bytes')).toHaveLength(1);
  });

  it('reads the queue, the outbox and failing webhook deliveries from the database', async () => {
    const db = t.app.deps.db.db;
    const now = t.app.deps.now();
    const job = (kind: string, state: 'pending' | 'failed') => ({
      id: newId('job'),
      kind,
      dedupe_key: null,
      payload: '{}',
      state,
      run_at: now + 3600,
      attempts: 0,
      max_attempts: 3,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    });
    await db
      .insertInto('jobs')
      .values([
        job('test.metrics_a', 'pending'),
        job('test.metrics_a', 'pending'),
        job('test.metrics_b', 'failed'),
      ])
      .execute();
    await db
      .insertInto('outbox_events')
      .values({
        id: newId('evt'),
        store_id: null,
        type: 'store.updated',
        data: '{}',
        created_at: now - 42,
        dispatched_at: null,
      })
      .execute();
    const res = await t.app.inject({ url: '/metrics', headers: auth });
    expect(res.body).toContain('openarky_jobs{kind="test.metrics_a",state="pending"} 2');
    expect(res.body).toContain('openarky_jobs{kind="test.metrics_b",state="failed"} 1');
    const lag = Number(samples(res.body, 'openarky_outbox_lag_seconds ')[0]?.split(' ')[1]);
    expect(lag).toBeGreaterThanOrEqual(42);
    expect(res.body).toContain('openarky_webhook_deliveries_failing{status="failed"} 0');
  });

  it('counts the job failures of this process by kind, and those that gave up', async () => {
    const FAILING = jobKind('test.metrics_fail', Type.Object({ n: Type.Number() }));
    t.app.deps.jobs.register(
      handleJob(FAILING, async () => {
        throw new Error('always fails');
      }),
    );
    const db = t.app.deps.db.db;
    const now = t.app.deps.now();
    await enqueue(db, now, FAILING, { n: 1 }, { maxAttempts: 1 });
    await enqueue(db, now, FAILING, { n: 2 }, { maxAttempts: 3 });
    // A payload its kind's schema refuses gives up at its first attempt.
    await enqueue(db, now, FAILING, { n: 'x' } as unknown as { n: number }, { maxAttempts: 3 });
    await t.app.deps.jobs.tick();
    const body = (await t.app.inject({ url: '/metrics', headers: auth })).body;
    expect(samples(body, 'openarky_job_failures_total{kind="test.metrics_fail"')).toEqual([
      'openarky_job_failures_total{kind="test.metrics_fail",final="true"} 2',
      'openarky_job_failures_total{kind="test.metrics_fail",final="false"} 1',
    ]);
    // The rows: the failed ones kept (the gauge), the retried one pending again.
    expect(body).toContain('openarky_jobs{kind="test.metrics_fail",state="failed"} 2');
    expect(body).toContain('openarky_jobs{kind="test.metrics_fail",state="pending"} 1');
  });

  it('reports the database connection in use and the queries waiting for it', async () => {
    const { db, poolStats } = t.app.deps.db;
    const idle = poolStats().idle;
    let queued: Promise<unknown> | undefined;
    await db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      const during = poolStats();
      expect(during.total - during.idle).toBeGreaterThanOrEqual(1);
      if (ENGINE === 'sqlite') {
        // The one connection is held by this transaction: a query outside it waits.
        expect(during).toEqual({ total: 1, idle: 0, waiting: 0, max: 1 });
        queued = sql`select 2`.execute(db);
        await new Promise((r) => setImmediate(r));
        expect(poolStats()).toEqual({ total: 1, idle: 0, waiting: 1, max: 1 });
      }
    });
    await queued;
    expect(poolStats()).toMatchObject({ idle, waiting: 0 });
    const body = (await t.app.inject({ url: '/metrics', headers: auth })).body;
    if (ENGINE === 'sqlite') expect(body).toContain('openarky_db_pool_connections{state="idle"} 1');
    expect(body).toContain('openarky_db_pool_connections{state="waiting"} 0');
  });

  it('logs a refused request with its error code', async () => {
    await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'x@example.com' } });
    const line = logLines.find((l) => l.msg === 'request rejected' && l.error === 'validation_error');
    expect(line).toMatchObject({ statusCode: 400, field: 'password' });
  });
});

describe('/metrics on a production worker', () => {
  it('is served by PROCESS_ROLE=worker, behind its token', async () => {
    const worker = await createTestApp({
      env: {
        PROCESS_ROLE: 'worker',
        NODE_ENV: 'production',
        METRICS_TOKEN: TOKEN,
        JWT_SECRET: 'p'.repeat(40),
        ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      },
    });
    try {
      expect((await worker.app.inject('/metrics')).statusCode).toBe(401);
      const res = await worker.app.inject({ url: '/metrics', headers: auth });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('openarky_outbox_lag_seconds');
    } finally {
      await worker.close();
    }
  });
});
