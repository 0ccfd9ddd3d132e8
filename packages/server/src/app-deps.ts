import type { Config } from './config.ts';
import type { DbHandle } from './db/create-db.ts';
import type { EventBus } from './lib/events.ts';
import type { JobRunner } from './lib/jobs.ts';
import type { Clock } from './lib/time.ts';

/** What modules receive when they register routes, subscribers and jobs. */
export interface AppDeps {
  readonly config: Config;
  readonly db: DbHandle;
  readonly bus: EventBus;
  readonly jobs: JobRunner;
  readonly now: Clock;
}
