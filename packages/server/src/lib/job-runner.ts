import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/types.ts';
import { randomBase62 } from './ids.ts';
import { fromJson } from './json.ts';
import type { EventBus } from './events.ts';
import { backoffSeconds, InvalidJobPayload, type JobHandlerDef, type Poller } from './jobs.ts';
import {
  claimDueJobs,
  insertJob,
  markJobDone,
  recordJobFailure,
  rescheduleRecurring,
  type ClaimedJob,
} from './job-store.ts';

/** One failed run of a job: `final` when it gave up (no retry left, or a payload it cannot run). */
export interface JobFailure {
  kind: string;
  final: boolean;
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
  readonly #failureListeners: ((failure: JobFailure) => void)[] = [];

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
      await insertJob(
        this.db,
        this.#now(),
        r.kind,
        {},
        {
          dedupeKey: `recurring:${r.kind}`,
          maxAttempts: 1_000_000,
        },
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

  /** Called each time a job run by this process fails (metrics: a per-process counter). */
  onFailure(listener: (failure: JobFailure) => void): void {
    this.#failureListeners.push(listener);
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

  #claim(limit: number, full: readonly string[]): Promise<ClaimedJob[]> {
    return claimDueJobs(this.db, {
      now: this.#now(),
      leaseSeconds: this.options.leaseSeconds ?? 300,
      workerId: this.#workerId,
      limit,
      full,
    });
  }

  async #run(job: ClaimedJob) {
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
      if (recurring) await rescheduleRecurring(this.db, job.id, now() + recurring.everySeconds, now());
      else await markJobDone(this.db, job.id, now());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn({ job: job.id, kind: job.kind, attempt: job.attempts, err: message }, 'job failed');
      const final = !recurring && (job.attempts >= job.max_attempts || error instanceof InvalidJobPayload);
      await recordJobFailure(this.db, job.id, {
        final,
        runAt: now() + (recurring ? recurring.everySeconds : backoffSeconds(job.attempts)),
        message,
        now: now(),
      });
      for (const listener of this.#failureListeners) listener({ kind: job.kind, final });
    }
  }

  /** Stops claiming new work and waits for the jobs in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#running) await this.#running;
  }
}
