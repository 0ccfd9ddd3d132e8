import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/types.ts';
import type { Db } from './context.ts';
import { insertJob, type EnqueueOptions } from './job-store.ts';
import { type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export type { EnqueueOptions } from './job-store.ts';

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

/** Adds a job in the caller's transaction; the payload must match the kind's schema. */
export async function enqueue<S extends TSchema>(
  db: Db,
  now: number,
  job: JobKind<S>,
  payload: Static<S>,
  options: EnqueueOptions = {},
): Promise<void> {
  await insertJob(db, now, job.kind, payload, options);
}

/** Exponential backoff with jitter, in seconds. */
export function backoffSeconds(attempt: number, baseSeconds = 10): number {
  const exp = baseSeconds * 2 ** Math.max(0, attempt - 1);
  return Math.round(exp * (0.75 + Math.random() * 0.5));
}
