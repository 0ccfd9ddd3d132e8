import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../test/helpers.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createDb } from '../db/create-db.ts';
import { EventBus, emit, type OutboxEvent } from './events.ts';
import { Type } from '@sinclair/typebox';
import { JobRunner } from './job-runner.ts';
import { enqueue, handleJob, jobKind, recurringJob } from './jobs.ts';
import { InstalledModules } from './module.ts';
import type { Ctx } from './context.ts';
import { loadConfig } from '../config.ts';

let tdb: TestDatabase;
const log = pino({ level: 'silent' });
let clock = 1_000_000;
const now = () => clock;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await migrateToLatest(tdb.handle.db);
});
afterAll(async () => tdb?.drop());

function ctxOf(db: TestDatabase['handle']['db']): Ctx {
  return {
    db,
    config: loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: 'x'.repeat(32),
      ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
    }),
    log,
    now,
    requestId: 'test',
    principal: { kind: 'anonymous' },
    modules: new InstalledModules([]),
  };
}

describe('outbox', () => {
  it('keeps events of a rolled-back transaction out, and dispatches committed ones once, in order', async () => {
    const db = tdb.handle.db;
    const seen: OutboxEvent[] = [];
    const bus = new EventBus();
    bus.subscribe(async (_tx, e) => {
      seen.push(e);
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await emit({ ...ctxOf(db), db: trx }, 'store.updated', { n: 0 } as never, null);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await db.transaction().execute(async (trx) => {
      for (let n = 1; n <= 3; n++)
        await emit({ ...ctxOf(db), db: trx }, 'store.updated', { n } as never, 'store_x');
    });
    expect(await bus.dispatch(db, now())).toBe(3);
    expect(await bus.dispatch(db, now())).toBe(0);
    expect(seen.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3]);
    expect(seen.every((e) => e.type === 'store.updated' && e.store_id === 'store_x')).toBe(true);
  });

  it('rolls back the dispatch mark when a subscriber fails, so the event is retried', async () => {
    const db = tdb.handle.db;
    await emit(ctxOf(db), 'store.deleted', { id: 'store_x' }, null);
    const bus = new EventBus();
    let calls = 0;
    bus.subscribe(async () => {
      calls += 1;
      if (calls === 1) throw new Error('subscriber down');
    });
    await expect(bus.dispatch(db, now())).rejects.toThrow('subscriber down');
    expect(await bus.dispatch(db, now())).toBe(1);
    expect(calls).toBe(2);
  });
});

describe('job runner', () => {
  it('runs each job once even with two runners (two connection pools) claiming at once', async () => {
    const second = createDb({
      url: tdb.url?.startsWith('postgres') ? tdb.url : null,
      sqliteFile: tdb.url?.startsWith('postgres') ? undefined : (tdb.url ?? undefined),
      poolMax: 5,
    });
    const runs = new Map<number, number>();
    const COUNT = jobKind('test.count', Type.Object({ n: Type.Integer() }));
    const handler = handleJob(COUNT, async (payload) => {
      runs.set(payload.n, (runs.get(payload.n) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 5));
    });
    const a = new JobRunner(tdb.handle.db, log, new EventBus(), { pollIntervalMs: 10, now, batch: 5 });
    const b = new JobRunner(second.db, log, new EventBus(), { pollIntervalMs: 10, now, batch: 5 });
    a.register(handler);
    b.register(handler);
    for (let n = 0; n < 60; n++) await enqueue(tdb.handle.db, now(), COUNT, { n });
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    expect(ra + rb).toBe(60);
    expect([...runs.values()].every((c) => c === 1)).toBe(true);
    expect(runs.size).toBe(60);
    await second.close();
  });

  it('retries a failing job with backoff, then marks it failed', async () => {
    const runner = new JobRunner(tdb.handle.db, log, new EventBus(), { pollIntervalMs: 10, now });
    let attempts = 0;
    const FAIL = jobKind('test.fail', Type.Object({}));
    runner.register(
      handleJob(FAIL, async () => {
        attempts += 1;
        throw new Error('boom');
      }),
    );
    await enqueue(tdb.handle.db, now(), FAIL, {}, { maxAttempts: 2 });
    await runner.tick();
    const row = await tdb.handle.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'test.fail')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'pending', attempts: 1, last_error: 'boom' });
    expect(row.run_at).toBeGreaterThan(now());
    await runner.tick();
    expect(attempts).toBe(1); // not due yet
    clock = row.run_at;
    await runner.tick();
    expect(attempts).toBe(2);
    const final = await tdb.handle.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'test.fail')
      .executeTakeFirstOrThrow();
    expect(final.state).toBe('failed');
  });

  it('picks up a job whose worker died once its lease runs out', async () => {
    const runner = new JobRunner(tdb.handle.db, log, new EventBus(), {
      pollIntervalMs: 10,
      now,
      leaseSeconds: 60,
    });
    let ran = 0;
    const LEASE = jobKind('test.lease', Type.Object({}));
    runner.register(
      handleJob(LEASE, async () => {
        ran += 1;
      }),
    );
    await enqueue(tdb.handle.db, now(), LEASE, {});
    // Simulate a worker that claimed it and died.
    await tdb.handle.db
      .updateTable('jobs')
      .set({ locked_by: 'dead', locked_until: now() + 60 })
      .where('kind', '=', 'test.lease')
      .execute();
    await runner.tick();
    expect(ran).toBe(0);
    clock += 61;
    await runner.tick();
    expect(ran).toBe(1);
  });

  it('keeps one row per recurring job and reschedules it', async () => {
    const runner = new JobRunner(tdb.handle.db, log, new EventBus(), { pollIntervalMs: 10_000, now });
    let ran = 0;
    runner.register(
      recurringJob('test.recurring', 300, async () => {
        ran += 1;
      }),
    );
    await runner.scheduleRecurring();
    const other = new JobRunner(tdb.handle.db, log, new EventBus(), { pollIntervalMs: 10_000, now });
    other.register(
      recurringJob('test.recurring', 300, async () => {
        ran += 1;
      }),
    );
    await other.scheduleRecurring();
    const rows = await tdb.handle.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'test.recurring')
      .execute();
    expect(rows).toHaveLength(1);
    await runner.tick();
    const ranAfterFirst = ran;
    expect(ranAfterFirst).toBeGreaterThanOrEqual(1);
    const row = await tdb.handle.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'test.recurring')
      .executeTakeFirstOrThrow();
    expect(row.run_at).toBe(now() + 300);
    await runner.tick();
    expect(ran).toBe(ranAfterFirst);
  });

  it('fails a job whose stored payload does not match its kind, at once and without running it', async () => {
    const runner = new JobRunner(tdb.handle.db, log, new EventBus(), { pollIntervalMs: 10, now });
    const TYPED = jobKind('test.typed', Type.Object({ store_id: Type.String() }));
    let ran = 0;
    runner.register(
      handleJob(TYPED, async () => {
        ran += 1;
      }),
    );
    // A row written by an older version (or by hand) with the wrong shape.
    await enqueue(
      tdb.handle.db,
      now(),
      jobKind('test.typed', Type.Unknown()),
      { storeId: 42 },
      { maxAttempts: 5 },
    );
    await runner.tick();
    expect(ran).toBe(0);
    const row = await tdb.handle.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'test.typed')
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('failed');
    expect(row.last_error).toMatch(/does not match its schema/);
  });

  it('keeps running other kinds while slow jobs of one kind hold their slots', async () => {
    const db = tdb.handle.db;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let fastDone!: () => void;
    const fast = new Promise<void>((r) => (fastDone = r));
    let slowStarted = 0;
    const SLOW = jobKind('test.slow', Type.Object({ n: Type.Integer() }));
    const FAST = jobKind('test.fast', Type.Object({}));
    const runner = new JobRunner(db, log, new EventBus(), { pollIntervalMs: 10, now, batch: 4, perKind: 2 });
    runner.register(
      handleJob(SLOW, async () => {
        slowStarted += 1;
        await gate;
      }),
    );
    runner.register(handleJob(FAST, async () => fastDone()));
    // More slow jobs than the batch, all due before the fast one: a runner that waited for its
    // whole batch (or filled it with one kind) would never reach the fast job while the gate is shut.
    for (let n = 0; n < 6; n++) await enqueue(db, now() - 100 + n, SLOW, { n });
    await enqueue(db, now(), FAST, {});
    const tick = runner.tick();
    await fast;
    expect(slowStarted).toBe(2);
    const fastRow = await db
      .selectFrom('jobs')
      .select('state')
      .where('kind', '=', 'test.fast')
      .executeTakeFirstOrThrow();
    expect(fastRow.state).not.toBe('failed');
    release();
    expect(await tick).toBe(7);
    const states = await db
      .selectFrom('jobs')
      .select(['kind', 'state'])
      .where('kind', 'in', ['test.slow', 'test.fast'])
      .execute();
    expect(states).toHaveLength(7);
    expect(states.every((r) => r.state === 'done')).toBe(true);
  });

  it('refuses a second handler for the same kind', () => {
    const runner = new JobRunner(tdb.handle.db, log, new EventBus(), { pollIntervalMs: 10, now });
    runner.register(recurringJob('test.twice', 60, async () => {}));
    expect(() => runner.register(recurringJob('test.twice', 60, async () => {}))).toThrow(/two handlers/);
  });
});
