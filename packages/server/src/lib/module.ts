import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import type { Ctx, Db, StoreCtx } from './context.ts';
import type { EventSubscriber } from './events.ts';
import type { JobContext, JobHandlerDef, Poller } from './jobs.ts';
import type { MetricSource } from './metrics.ts';

/** A service context for a job handler: the job's database, clock and log, no principal. */
export function jobCtx(deps: AppDeps, job: JobContext, name: string): Ctx {
  return {
    db: job.db,
    config: deps.config,
    log: job.log,
    now: job.now,
    requestId: `job:${name}`,
    principal: { kind: 'anonymous' },
    modules: deps.modules,
  };
}

/** Counts one `Store.counts` key for a store (CONTRACT §4). */
export type StoreCounter = (db: Db, storeId: string) => Promise<number>;

/**
 * Runs inside the store-deletion transaction, before `ON DELETE CASCADE` removes the store's rows
 * (webhooks capture their targets so `store.deleted` can still be delivered).
 */
export type StoreDeleteHook = (tx: StoreCtx) => Promise<void>;

/** One profile folded into another of the same store (`sf.verify` of a guest's email). */
export interface ProfileMerge {
  readonly storeId: string;
  readonly fromProfileId: string;
  readonly intoProfileId: string;
}

/** Moves a module's records of a merged profile; runs inside the merge transaction. */
export type ProfileMergeHook = (tx: Ctx, merge: ProfileMerge) => Promise<void>;

/**
 * Extension points one module offers and another fills (commerce's `serviceLines`, filled by
 * booking). The offering module declares its key by augmenting this interface:
 * `declare module '../../lib/module.ts' { interface Extensions { serviceLines: ServiceLines } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface Extensions {}

/** What a module runs once the app's dependencies exist. */
export interface ModuleRuntime {
  /** A Fastify plugin registering the module's routes (it may add hooks inside its own scope). */
  readonly routes?: (app: FastifyInstance) => Promise<void>;
  /** Job handlers, each declared with its payload schema (`handleJob`, `recurringJob`). */
  readonly jobs?: readonly JobHandlerDef[];
  /** Outbox subscribers: run in the dispatch transaction, may only write to the database. */
  readonly subscribers?: readonly EventSubscriber[];
  /** Work each job-loop tick repeats while it reports progress (claims its own rows). */
  readonly pollers?: readonly Poller[];
  /** Releases what `install` opened (storage clients) when the app closes. */
  readonly onClose?: () => Promise<void>;
}

/**
 * Everything a module adds to the app, in one declared object. `app.ts` installs a list of these;
 * nothing is registered by importing a file, and no module keeps mutable state of its own.
 */
export interface ModuleManifest {
  readonly name: string;
  /** Routes, jobs, subscribers and pollers, built from the app's dependencies. */
  readonly install?: (deps: AppDeps) => ModuleRuntime;
  /** `Store.counts` keys this module answers (a key may be claimed by one module only). */
  readonly storeCounters?: Readonly<Record<string, StoreCounter>>;
  readonly beforeStoreDelete?: StoreDeleteHook;
  readonly onProfileMerge?: ProfileMergeHook;
  /** Fills extension points other modules offer. */
  readonly provides?: Partial<Extensions>;
  /** Gauges `/metrics` reads from the database at scrape time (multi-process safe). */
  readonly metrics?: readonly MetricSource[];
}

/** Identity function that types a manifest literal (and keeps its declaration in one place). */
export function defineModule(manifest: ModuleManifest): ModuleManifest {
  return manifest;
}

/** Counts the rows of a store-owned table (the common store counter). */
export function countRows(table: 'products' | 'nodes' | 'media' | 'orders' | 'memberships'): StoreCounter {
  return async (db, storeId) => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .where('store_id', '=', storeId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
}

/**
 * The installed manifests as services see them (`ctx.modules`): per-store counters, store-deletion
 * and profile-merge hooks, and extensions. Built once per app from the list `app.ts` installs.
 */
export class InstalledModules {
  readonly manifests: readonly ModuleManifest[];
  readonly #counters = new Map<string, StoreCounter>();
  readonly #extensions = new Map<string, unknown>();

  constructor(manifests: readonly ModuleManifest[]) {
    this.manifests = manifests;
    const names = new Set<string>();
    for (const m of manifests) {
      if (names.has(m.name)) throw new Error(`module ${m.name} is installed twice`);
      names.add(m.name);
      for (const [key, counter] of Object.entries(m.storeCounters ?? {})) {
        if (this.#counters.has(key)) throw new Error(`store count ${key} is claimed by two modules`);
        this.#counters.set(key, counter);
      }
      for (const [key, value] of Object.entries(m.provides ?? {})) {
        if (this.#extensions.has(key)) throw new Error(`extension ${key} is provided by two modules`);
        this.#extensions.set(key, value);
      }
    }
  }

  /** Every module's store counters, by key. */
  async storeCounts(db: Db, storeId: string): Promise<Record<string, number>> {
    const entries = await Promise.all(
      [...this.#counters].map(async ([key, count]) => [key, await count(db, storeId)] as const),
    );
    return Object.fromEntries(entries);
  }

  async beforeStoreDelete(tx: StoreCtx): Promise<void> {
    for (const m of this.manifests) if (m.beforeStoreDelete) await m.beforeStoreDelete(tx);
  }

  async mergeProfiles(tx: Ctx, merge: ProfileMerge): Promise<void> {
    for (const m of this.manifests) if (m.onProfileMerge) await m.onProfileMerge(tx, merge);
  }

  /** The module filling extension point `key`, if one is installed. */
  extension<K extends keyof Extensions>(key: K): Extensions[K] | undefined {
    return this.#extensions.get(key as string) as Extensions[K] | undefined;
  }
}
