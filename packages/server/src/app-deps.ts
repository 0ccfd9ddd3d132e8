import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { DbHandle } from './db/create-db.ts';
import type { EventBus } from './lib/events.ts';
import type { JobRunner } from './lib/job-runner.ts';
import type { Clock } from './lib/time.ts';
import type { InstalledModules } from './lib/module.ts';

/** What a module manifest's `install` receives to build its routes, subscribers and jobs. */
export interface AppDeps {
  readonly config: Config;
  readonly db: DbHandle;
  readonly bus: EventBus;
  readonly jobs: JobRunner;
  readonly now: Clock;
  readonly log: FastifyBaseLogger;
  readonly modules: InstalledModules;
  /** Set once shutdown starts: `/readyz` answers 503 so load balancers stop sending. */
  readonly lifecycle: { readonly draining: boolean };
}
