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
  /** Results of the transactions that committed, in order (replayed ones first). */
  #results: { v?: unknown }[] = [];
  #next = 0;
  #replayed = 0;
  readonly #config: Config;
  /** The database without the guard: the key's own bookkeeping and the recorded transactions. */
  readonly unguarded: Kysely<Database>;

  /** What to do with a write outside `withTx` under a held key (see `guard`). */
  readonly onStrayWrite: (message: string) => void;

  constructor(config: Config, db: Kysely<Database>, onStrayWrite: (message: string) => void = () => {}) {
    this.#config = config;
    this.unguarded = db;
    this.onStrayWrite = onStrayWrite;
  }

  /**
   * The request's database handle: an INSERT, UPDATE or DELETE outside `withTx` while this scope
   * holds a key goes to `onStrayWrite`. Such a write is not recorded in the key's row and could run
   * again on a retry after a crash (DEVELOPING.md, idempotency rule 1). Strict apps throw there
   * (the statement never runs, the request answers 500); the default logs a warning naming the
   * route, because routes written before the rule still do it (see the seams9 note).
   */
  guard(db: Kysely<Database>): Kysely<Database> {
    return db.withPlugin(new StrayWriteGuard(this));
  }

  /** Starts owning `claim`; `sealedResults` are the phases a crashed earlier attempt committed. */
  begin(claim: IdempotencyClaim, sealedResults: string | null): void {
    this.claim = claim;
    this.#results = sealedResults
      ? (JSON.parse(unseal(this.#config, sealedResults)) as { v?: unknown }[])
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

  /** Runs one outermost transaction of the request, or returns its result if it already committed. */
  async run<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    const claim = this.claim;
    if (!claim) return db.transaction().execute(fn);
    // The unguarded handle: its transaction (where writes belong) must not inherit the guard.
    db = this.unguarded;
    const phase = this.#next++;
    const done = this.#results[phase];
    // Round-tripped through JSON like the response itself would be.
    if (done) return structuredClone(done.v) as T;
    return db.transaction().execute(async (trx) => {
      const value = await fn(trx);
      const results = [
        ...this.#results,
        { v: value === undefined ? undefined : JSON.parse(JSON.stringify(value)) },
      ];
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
      return value;
    });
  }
}

const WRITES = new Set<RootOperationNode['kind']>(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode']);

/** Kysely plugin of `IdempotencyScope.guard`: reports a write outside a transaction under a held key. */
class StrayWriteGuard implements KyselyPlugin {
  readonly #scope: IdempotencyScope;

  constructor(scope: IdempotencyScope) {
    this.#scope = scope;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const claim = this.#scope.claim;
    if (claim && WRITES.has(args.node.kind)) {
      this.#scope.onStrayWrite(
        `${args.node.kind} outside withTx in ${claim.route} with an Idempotency-Key: not recorded in the key, a retry after a crash could run it again`,
      );
    }
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
