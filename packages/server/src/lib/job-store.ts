import type { Kysely } from 'kysely';
import type { Database } from '../db/types.ts';
import { forUpdateSkipLocked } from '../db/create-db.ts';
import type { Db } from './context.ts';
import { newId } from './ids.ts';
import { toJson } from './json.ts';

/** The SQL of the job queue (`jobs` table): insert, claim with a lease, and the three outcomes. */

export interface EnqueueOptions {
  runAt?: number;
  /** At most one pending job per key: enqueueing again is a no-op. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/** Inserts one pending job (the payload already checked by its kind's type). */
export async function insertJob(
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

/** A claimed row, as the runner needs it. */
export interface ClaimedJob {
  id: string;
  kind: string;
  payload: string;
  attempts: number;
  max_attempts: number;
  dedupe_key: string | null;
}

/**
 * One statement claims up to `limit` due jobs not of the `full` kinds: `UPDATE … WHERE id IN
 * (SELECT … FOR UPDATE SKIP LOCKED)`. On PostgreSQL concurrent claimers skip each other's rows;
 * on SQLite the statement is atomic.
 */
export async function claimDueJobs(
  db: Kysely<Database>,
  claim: { now: number; leaseSeconds: number; workerId: string; limit: number; full: readonly string[] },
): Promise<ClaimedJob[]> {
  const { now, limit, full } = claim;
  let select = db
    .selectFrom('jobs')
    .select('id')
    .where('state', '=', 'pending')
    .where('run_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]));
  if (full.length) select = select.where('kind', 'not in', full);
  // The due rows are picked in a CTE: PostgreSQL runs a CTE with row locks exactly once, whereas
  // an `IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` subquery may be re-run and claim more than n.
  return db
    .with('due', () => forUpdateSkipLocked(db, select.orderBy('run_at').limit(limit)))
    .updateTable('jobs')
    .set({
      locked_by: claim.workerId,
      locked_until: now + claim.leaseSeconds,
      attempts: (eb) => eb('attempts', '+', 1),
      updated_at: now,
    })
    .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
    .where('state', '=', 'pending')
    .returningAll()
    .execute();
}

/** A recurring job ran: its one row waits for the next period. */
export async function rescheduleRecurring(db: Db, id: string, runAt: number, now: number): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      run_at: runAt,
      attempts: 0,
      locked_by: null,
      locked_until: null,
      last_error: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** A one-off job ran: done, and its dedupe key is free again. */
export async function markJobDone(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ state: 'done', dedupe_key: null, locked_by: null, locked_until: null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** A job failed: retried at `runAt`, or `final` (failed for good, dedupe key freed). */
export async function recordJobFailure(
  db: Db,
  id: string,
  failure: { final: boolean; runAt: number; message: string; now: number },
): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      state: failure.final ? 'failed' : 'pending',
      ...(failure.final ? { dedupe_key: null } : {}),
      run_at: failure.runAt,
      locked_by: null,
      locked_until: null,
      last_error: failure.message.slice(0, 2000),
      updated_at: failure.now,
    })
    .where('id', '=', id)
    .execute();
}
