import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/types.ts';
import { forUpdateSkipLocked } from '../db/create-db.ts';
import type { Db } from './context.ts';
import { newId, randomBase62 } from './ids.ts';
import { fromJson, toJson } from './json.ts';
import type { EventBus } from './events.ts';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** What a job handler receives besides its payload. */
export interface JobContext {
  readonly db: Kysely<Database>;
  readonly log: FastifyBaseLogger;
  readonly now: () => number;
  readonly attempt: number;
  readonly signal: AbortSignal;
}

/**
 * A job kind: its name and the schema of its payload. `enqueue` accepts only a payload of that
 * type, and `handleJob` hands the handler exactly that type (checked again when the job runs).
 */
export interface JobKind<S extends TSchema> {
  readonly kind: string;
  readonly payload: S;
}

/** Declares a job kind (a module exports it next to the code that enqueues it). */
export function jobKind<S extends TSchema>(kind: string, payload: S): JobKind<S> {
  return { kind, payload };
}

/** A job kind with its handler, as a module manifest lists it. */
export interface JobHandlerDef {
  readonly kind: string;
  /** Recurring jobs run every this many seconds somewhere in the cluster (one row per kind). */
  readonly everySeconds?: number;
  /** Validates the stored payload against the kind's schema, then runs the handler. */
  readonly run: (payload: unknown, ctx: JobContext) => Promise<void>;
}

/** Work every job-loop tick repeats while it reports progress (it claims its own rows). */
export interface Poller {
  readonly name: string;
  readonly run: (ctx: JobContext) => Promise<number>;
}

/** A payload that does not match its kind's schema: never retried. */
export class InvalidJobPayload extends Error {}

/** The handler of a job kind; `payload` has the type of the kind's schema. */
export function handleJob<S extends TSchema>(
  kind: JobKind<S>,
  handler: (payload: Static<S>, ctx: JobContext) => Promise<void>,
): JobHandlerDef {
  return {
    kind: kind.kind,
    run: async (payload, ctx) => {
      if (!Value.Check(kind.payload, payload)) {
        const first = Value.Errors(kind.payload, payload).First();
        throw new InvalidJobPayload(
          `payload of ${kind.kind} does not match its schema${first ? ` at ${first.path || '/'}: ${first.message}` : ''}`,
        );
      }
      await handler(payload, ctx);
    },
  };
}

/** A job that runs every `everySeconds` somewhere in the cluster; it has no payload. */
export function recurringJob(
  kind: string,
  everySeconds: number,
  handler: (ctx: JobContext) => Promise<void>,
): JobHandlerDef {
  return { kind, everySeconds, run: (_payload, ctx) => handler(ctx) };
}

const NoPayload = Type.Object({});

export interface EnqueueOptions {
  runAt?: number;
  /** At most one pending job per key: enqueueing again is a no-op. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/** Adds a job in the caller's transaction; the payload must match the kind's schema. */
export async function enqueue<S extends TSchema>(
  db: Db,
  now: number,
  job: JobKind<S>,
  payload: Static<S>,
  options: EnqueueOptions = {},
): Promise<void> {
  await enqueueRow(db, now, job.kind, payload, options);
}

async function enqueueRow(
  db: Db,
  now: number,
  kind: string,
  payload: unknown,
  options: EnqueueOptions,
): Promise<void> {
  const values = {
    id: newId('job'),
    kind,
    dedupe_key: options.dedupeKey ?? null,
    payload: toJson(payload),
    state: 'pending' as const,
    run_at: options.runAt ?? now,
    attempts: 0,
    max_attempts: options.maxAttempts ?? 5,
    locked_by: null,
    locked_until: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  };
  if (options.dedupeKey) {
    await db
      .insertInto('jobs')
      .values(values)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  } else {
    await db.insertInto('jobs').values(values).execute();
  }
}

/** Exponential backoff with jitter, in seconds. */
export function backoffSeconds(attempt: number, baseSeconds = 10): number {
  const exp = baseSeconds * 2 ** Math.max(0, attempt - 1);
  return Math.round(exp * (0.75 + Math.random() * 0.5));
}

interface Recurring {
  kind: string;
  everySeconds: number;
}

/**
 * Runs due jobs and dispatches the outbox. Every process of a cluster runs one; a job is claimed
 * with `FOR UPDATE SKIP LOCKED` and a lease, so it runs in one process at a time, and a job whose
 * process died is picked up again when its lease runs out.
 */
export class JobRunner {
  readonly #handlers = new Map<string, JobHandlerDef>();
  readonly #recurring: Recurring[] = [];
  readonly #pollers: Poller[] = [];
  readonly #workerId = `${hostname()}:${process.pid}:${randomBase62(6)}`;
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;
  #started = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: FastifyBaseLogger,
    private readonly bus: EventBus,
    private readonly options: {
      pollIntervalMs: number;
      leaseSeconds?: number;
      /** Jobs one process runs at once (default 10). */
      batch?: number;
      /** Jobs of one kind one process runs at once (default 3): a slow kind cannot take every slot. */
      perKind?: number;
      now?: () => number;
      /** False (PROCESS_ROLE=web): `start` and `tick` do nothing. */
      enabled?: boolean;
    },
  ) {}

  #now(): number {
    return (this.options.now ?? (() => Math.floor(Date.now() / 1000)))();
  }

  /** Installs a handler (from a module manifest); a kind has exactly one. */
  register(def: JobHandlerDef): void {
    if (this.#handlers.has(def.kind)) throw new Error(`job kind ${def.kind} has two handlers`);
    this.#handlers.set(def.kind, def);
    if (def.everySeconds !== undefined)
      this.#recurring.push({ kind: def.kind, everySeconds: def.everySeconds });
  }

  /** Makes sure each recurring job has its one row (idempotent across processes). */
  async scheduleRecurring(): Promise<void> {
    for (const r of this.#recurring) {
      await enqueue(
        this.db,
        this.#now(),
        jobKind(r.kind, NoPayload),
        {},
        { dedupeKey: `recurring:${r.kind}`, maxAttempts: 1_000_000 },
      );
    }
  }

  /**
   * Work every process runs on each tick, right after the outbox, repeated while it reports
   * progress. A poller claims its own rows (e.g. webhook deliveries, with their own lease).
   */
  poll(poller: Poller): void {
    this.#pollers.push(poller);
  }

  async start(): Promise<void> {
    if (this.options.enabled === false) return;
    this.#stopped = false;
    this.#started = true;
    await this.scheduleRecurring();
    this.#schedule(0);
  }

  #schedule(delay: number): void {
    if (this.#stopped || !this.#started) return;
    this.#timer = setTimeout(() => {
      this.#running = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.log.error({ err: error }, 'job runner tick failed'))
        .finally(() => {
          this.#running = null;
          this.#schedule(this.options.pollIntervalMs);
        });
    }, delay);
    this.#timer.unref();
  }

  /**
   * One pass: dispatch the outbox, run the pollers, then run due jobs until none is left. Jobs run
   * concurrently, at most `batch` at once and `perKind` of one kind, and a freed slot is refilled at
   * once, so a slow job holds only its own slot: other kinds keep running. Returns the number of
   * jobs run.
   */
  async tick(): Promise<number> {
    if (this.options.enabled === false) return 0;
    while ((await this.bus.dispatch(this.db, this.#now())) > 0) {
      if (this.#stopped) break;
    }
    for (const poller of this.#pollers) {
      const ctx = {
        db: this.db,
        log: this.log,
        now: () => this.#now(),
        attempt: 1,
        signal: this.#abort.signal,
      };
      try {
        while (!this.#stopped && (await poller.run(ctx)) > 0);
      } catch (error) {
        this.log.error({ err: error, poller: poller.name }, 'poller failed');
      }
    }
    const batch = this.options.batch ?? 10;
    const perKind = this.options.perKind ?? 3;
    const running = new Set<Promise<void>>();
    const byKind = new Map<string, number>();
    let total = 0;
    let finished = 0;
    for (;;) {
      const full = [...byKind].filter(([, n]) => n >= perKind).map(([kind]) => kind);
      // A kind not yet full can take the rest of its share in this claim and no more.
      const busiest = Math.max(0, ...[...byKind.values()].filter((n) => n < perKind));
      const limit = Math.min(batch - running.size, perKind - busiest);
      if (!this.#stopped && limit > 0) {
        const before = finished;
        const claimed = await this.#claim(limit, full);
        for (const job of claimed) {
          byKind.set(job.kind, (byKind.get(job.kind) ?? 0) + 1);
          total += 1;
          const run: Promise<void> = this.#run(job)
            .catch((error: unknown) => this.log.error({ err: error, job: job.id }, 'job bookkeeping failed'))
            .finally(() => {
              running.delete(run);
              finished += 1;
              byKind.set(job.kind, (byKind.get(job.kind) ?? 1) - 1);
            });
          running.add(run);
        }
        // Claim again at once: free slots may remain for kinds not yet full, or jobs finished
        // while this claim ran (their kind's rows were left out of it).
        if (claimed.length || finished !== before) continue;
      }
      if (!running.size) break;
      await Promise.race(running);
    }
    return total;
  }

  /**
   * One statement claims up to `limit` due jobs not of the `full` kinds: `UPDATE … WHERE id IN
   * (SELECT … FOR UPDATE SKIP LOCKED)`. On PostgreSQL concurrent claimers skip each other's rows;
   * on SQLite the statement is atomic.
   */
  async #claim(limit: number, full: readonly string[]) {
    const now = this.#now();
    const lease = this.options.leaseSeconds ?? 300;
    let select = this.db
      .selectFrom('jobs')
      .select('id')
      .where('state', '=', 'pending')
      .where('run_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]));
    if (full.length) select = select.where('kind', 'not in', full);
    // The due rows are picked in a CTE: PostgreSQL runs a CTE with row locks exactly once, whereas
    // an `IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` subquery may be re-run and claim more than n.
    return this.db
      .with('due', () => forUpdateSkipLocked(this.db, select.orderBy('run_at').limit(limit)))
      .updateTable('jobs')
      .set({
        locked_by: this.#workerId,
        locked_until: now + lease,
        attempts: (eb) => eb('attempts', '+', 1),
        updated_at: now,
      })
      .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
      .where('state', '=', 'pending')
      .returningAll()
      .execute();
  }

  async #run(job: {
    id: string;
    kind: string;
    payload: string;
    attempts: number;
    max_attempts: number;
    dedupe_key: string | null;
  }) {
    const handler = this.#handlers.get(job.kind);
    const recurring = this.#recurring.find((r) => r.kind === job.kind);
    const now = () => this.#now();
    try {
      if (!handler) throw new Error(`no handler registered for job kind ${job.kind}`);
      await handler.run(fromJson(job.payload, {}), {
        db: this.db,
        log: this.log,
        now,
        attempt: job.attempts,
        signal: this.#abort.signal,
      });
      if (recurring) {
        await this.db
          .updateTable('jobs')
          .set({
            run_at: now() + recurring.everySeconds,
            attempts: 0,
            locked_by: null,
            locked_until: null,
            last_error: null,
            updated_at: now(),
          })
          .where('id', '=', job.id)
          .execute();
      } else {
        await this.db
          .updateTable('jobs')
          .set({ state: 'done', dedupe_key: null, locked_by: null, locked_until: null, updated_at: now() })
          .where('id', '=', job.id)
          .execute();
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn({ job: job.id, kind: job.kind, attempt: job.attempts, err: message }, 'job failed');
      const final = !recurring && (job.attempts >= job.max_attempts || error instanceof InvalidJobPayload);
      await this.db
        .updateTable('jobs')
        .set({
          state: final ? 'failed' : 'pending',
          ...(final ? { dedupe_key: null } : {}),
          run_at: now() + (recurring ? recurring.everySeconds : backoffSeconds(job.attempts)),
          locked_by: null,
          locked_until: null,
          last_error: message.slice(0, 2000),
          updated_at: now(),
        })
        .where('id', '=', job.id)
        .execute();
    }
  }

  /** Stops claiming new work and waits for the jobs in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#running) await this.#running;
  }
}
