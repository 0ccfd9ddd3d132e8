import type { Kysely, Transaction } from 'kysely';
import type { Permission } from '@openarky/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/types.ts';
import type { Clock } from './time.ts';
import type { IdempotencyScope } from './idempotency-scope.ts';
import type { InstalledModules } from './module.ts';
import type { OutboxRow } from './events.ts';

export type Db = Kysely<Database> | Transaction<Database>;

/** Who is calling (CONTRACT §1.6). */
export type Principal =
  | { kind: 'anonymous' }
  | {
      kind: 'account';
      accountId: string;
      email: string;
      tokenId: string;
      via: 'jwt' | 'api_key';
      superAdmin: boolean;
    }
  | { kind: 'profile'; profileId: string; storeId: string; tokenId: string };

/** What every service function receives first (STYLE habit 4). */
export interface Ctx {
  readonly db: Db;
  readonly config: Config;
  readonly log: FastifyBaseLogger;
  readonly now: Clock;
  readonly requestId: string;
  readonly principal: Principal;
  /** The request's Idempotency-Key, when it has one: `withTx` records each committed phase in it. */
  readonly idempotency?: IdempotencyScope | undefined;
  /** The installed module manifests: store counters, deletion and merge hooks, extensions. */
  readonly modules: InstalledModules;
  /**
   * Set by a transaction that writes its events itself, in its last statement (checkout): `emit`
   * appends the rows here instead of inserting them, and that transaction must insert them.
   */
  readonly outbox?: OutboxRow[] | undefined;
}

/** A membership's role: built-in (`owner`, `admin`, `member`, `viewer`, `super`) or a custom role id. */
export type Role = string;

/** The store a store-scoped route acts on, with the caller's role in it and what the role allows. */
export interface StoreAccess {
  readonly id: string;
  readonly role: Role;
  /** The role's permission documents (`{storeId}` placeholders allowed), CONTRACT §1.7 v1.1. */
  readonly permissions: readonly Permission[];
}

/** Context of a route under `/v1/stores/{storeId}/…`, after the store guard ran. */
export interface StoreCtx extends Ctx {
  readonly store: StoreAccess;
}

/**
 * Runs `fn` in a transaction, reusing the caller's when there is one (opened once at the edge).
 * Under an Idempotency-Key the outermost transaction also records its result in the key, atomically,
 * and a retry of a request that already committed it gets that result back without running `fn`.
 */
export async function withTx<C extends Ctx, T>(ctx: C, fn: (tx: C) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  const db = ctx.db as Kysely<Database>;
  if (ctx.idempotency) return ctx.idempotency.run(db, (trx) => fn({ ...ctx, db: trx }), fn);
  return db.transaction().execute((trx) => fn({ ...ctx, db: trx }));
}

/**
 * The database for **idempotent bookkeeping only**: writes that are not part of the request's result
 * and are harmless to repeat (rate-limit counters, "last used" touches). Outside `withTx` such a
 * write passes the Idempotency-Key guard (it is not recorded, so a retry after a crash makes it
 * again); inside a transaction it is that transaction. Business writes never go through it
 * (DEVELOPING.md, idempotency rule 1).
 */
export function untracked(ctx: Ctx): Db {
  if (ctx.db.isTransaction) return ctx.db;
  return ctx.idempotency?.unguarded ?? ctx.db;
}

/** A stable string naming the principal (idempotency scope, rate limits, logs). */
export function principalKey(p: Principal): string {
  switch (p.kind) {
    case 'anonymous':
      return 'anon';
    case 'account':
      return `acc:${p.accountId}`;
    case 'profile':
      return `prof:${p.profileId}`;
  }
}
