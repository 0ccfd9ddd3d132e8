import type { Kysely, Transaction } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/types.ts';
import type { Clock } from './time.ts';
import type { InstalledModules } from './module.ts';

export type Db = Kysely<Database> | Transaction<Database>;

/** Who is calling (CONTRACT §1.6). */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'account'; accountId: string; email: string; tokenId: string; via: 'jwt' | 'api_key'; superAdmin: boolean }
  | { kind: 'profile'; profileId: string; storeId: string; tokenId: string };

/** What every service function receives first (STYLE habit 4). */
export interface Ctx {
  readonly db: Db;
  readonly config: Config;
  readonly log: FastifyBaseLogger;
  readonly now: Clock;
  readonly requestId: string;
  readonly principal: Principal;
  /** The installed module manifests: store counters, deletion and merge hooks, extensions. */
  readonly modules: InstalledModules;
}

export type Role = 'admin' | 'owner' | 'super';

/** The store a store-scoped route acts on, with the caller's role in it. */
export interface StoreAccess {
  readonly id: string;
  readonly role: Role;
}

/** Context of a route under `/v1/stores/{storeId}/…`, after the store guard ran. */
export interface StoreCtx extends Ctx {
  readonly store: StoreAccess;
}

/** Runs `fn` in a transaction, reusing the caller's when there is one (opened once at the edge). */
export async function withTx<C extends Ctx, T>(ctx: C, fn: (tx: C) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return (ctx.db as Kysely<Database>).transaction().execute((trx) => fn({ ...ctx, db: trx }));
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
