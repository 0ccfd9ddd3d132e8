import type {
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  Transaction,
  UnknownRow,
} from 'kysely';
import { createHash } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Database } from '../db/types.ts';
import { seal, unseal } from './sealed.ts';

/** Where one request's Idempotency-Key lives (the primary key of `idempotency_keys`). */
export interface IdempotencyClaim {
  readonly principal: string;
  readonly route: string;
  readonly key: string;
  /** Random per attempt: a retry that takes the key over changes it, fencing the slow original. */
  readonly owner: string;
}

/**
 * The Idempotency-Key of one request, seen by `withTx` (Stripe-style atomic phases): every
 * outermost transaction of the request writes its result into the key's row inside that same
 * transaction, so "the work committed" and "the key knows it committed" are one fact. A retry
 * after a crash re-runs the route handler in replay mode: a transaction that already committed is
 * not executed again, `withTx` hands back its recorded result, and only the phases that never
 * committed run. A route may run several transactions (e.g. a payment provider called between
 * two): the guarantee is that committed writes never run twice.
 */
export class IdempotencyScope {
  claim: IdempotencyClaim | undefined;
  /** Results of the transactions that committed, in order (replayed ones first), with their call site. */
  #results: { v?: unknown; s?: string }[] = [];
  #next = 0;
  #replayed = 0;
  readonly #config: Config;
  /** The database without the guard: the key's own bookkeeping and the recorded transactions. */
  readonly unguarded: Kysely<Database>;

  /** Where a refused write outside `withTx` is reported (the request's log), see `guard`. */
  readonly #report: (message: string) => void;

  constructor(config: Config, db: Kysely<Database>, report: (message: string) => void = () => {}) {
    this.#config = config;
    this.unguarded = db;
    this.#report = report;
  }

  /**
   * The request's database handle: an INSERT, UPDATE or DELETE outside `withTx` while this scope
   * holds a key is refused before it runs (`StrayWriteError`, the request answers 500) and
   * reported, naming the route. Such a write would not be recorded in the key's row and could run
   * again on a retry after a crash (DEVELOPING.md, idempotency rule 1). Bookkeeping that is
   * harmless to repeat goes through `untracked(ctx)` (lib/context.ts) instead.
   */
  guard(db: Kysely<Database>): Kysely<Database> {
    return db.withPlugin(new StrayWriteGuard(this));
  }

  /** Called by the guard: reports and refuses a write outside `withTx` under the held key. */
  refuseStrayWrite(kind: string): never {
    const route = this.claim?.route ?? 'a request';
    const message = `${kind} outside withTx in ${route} with an Idempotency-Key: refused (not recorded in the key, a retry after a crash could run it again)`;
    this.#report(message);
    throw new StrayWriteError(message);
  }

  /** Starts owning `claim`; `sealedResults` are the phases a crashed earlier attempt committed. */
  begin(claim: IdempotencyClaim, sealedResults: string | null): void {
    this.claim = claim;
    this.#results = sealedResults
      ? (JSON.parse(unseal(this.#config, sealedResults)) as { v?: unknown; s?: string }[])
      : [];
    this.#replayed = this.#results.length;
    this.#next = 0;
  }

  /** Whether some transaction of this key has committed (then the key must never be freed). */
  get committed(): boolean {
    return this.#results.length > 0;
  }

  /** How many transactions this attempt replayed instead of executing (tests, logs). */
  get replayed(): number {
    return Math.min(this.#next, this.#replayed);
  }

  /**
   * Runs one outermost transaction of the request, or returns its result if it already committed.
   * `site` is the caller's function (its source names the phase): a replay whose phases come in
   * another order than the original's (a phase skipped because of a state the first attempt
   * committed) fails loudly instead of handing one phase's result to another.
   */
  async run<T>(
    db: Kysely<Database>,
    fn: (trx: Transaction<Database>) => Promise<T>,
    site: { toString(): string } = fn,
  ): Promise<T> {
    const claim = this.claim;
    if (!claim) return db.transaction().execute(fn);
    // The unguarded handle: its transaction (where writes belong) must not inherit the guard.
    db = this.unguarded;
    const phase = this.#next++;
    const done = this.#results[phase];
    const at = createHash('sha256').update(site.toString()).digest('base64url').slice(0, 12);
    if (done) {
      if (done.s !== undefined && done.s !== at)
        throw new Error(
          `idempotency replay out of step in ${claim.route}: phase ${phase} is another transaction`,
        );
      // Round-tripped through JSON like the response itself would be.
      return structuredClone(done.v) as T;
    }
    return db.transaction().execute(async (trx) => {
      const value = await fn(trx);
      // The first run hands back the same JSON copy a replay would: a result that does not survive
      // JSON (a function, a class instance) breaks here, in every test, not only after a crash.
      const recorded = value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as T);
      const results = [...this.#results, { v: recorded, s: at }];
      const updated = await trx
        .updateTable('idempotency_keys')
        .set({ tx_results: seal(this.#config, JSON.stringify(results)) })
        .where('principal', '=', claim.principal)
        .where('route', '=', claim.route)
        .where('key', '=', claim.key)
        .where('owner', '=', claim.owner)
        .executeTakeFirst();
      // The key was taken over by a retry (this attempt outlived its lock): roll the work back.
      if (Number(updated.numUpdatedRows) !== 1) throw new Error('idempotency key lost during the request');
      this.#results = results;
      return recorded as T;
    });
  }
}

/** A write outside `withTx` under a held Idempotency-Key (refused before it runs). */
export class StrayWriteError extends Error {
  override readonly name = 'StrayWriteError';
}

const WRITES = new Set<RootOperationNode['kind']>(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode']);

/** Kysely plugin of `IdempotencyScope.guard`: refuses a write outside a transaction under a held key. */
class StrayWriteGuard implements KyselyPlugin {
  readonly #scope: IdempotencyScope;

  constructor(scope: IdempotencyScope) {
    this.#scope = scope;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.#scope.claim && WRITES.has(args.node.kind)) this.#scope.refuseStrayWrite(args.node.kind);
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
