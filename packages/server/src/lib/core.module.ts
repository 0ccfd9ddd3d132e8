import { recurringJob } from './jobs.ts';
import { mailJob } from './mail.ts';
import { foundationMetrics } from './metrics.ts';
import { defineModule } from './module.ts';

/** The foundation's own work: outgoing email and the cleanup of its tables. */
export const coreModule = defineModule({
  name: 'core',
  metrics: foundationMetrics,
  install: ({ config, log }) => ({
    jobs: [
      mailJob(config, log),
      recurringJob('maintenance.cleanup', 3600, async ({ db, now }) => {
        const t = now();
        await db.deleteFrom('idempotency_keys').where('expires_at', '<', t).execute();
        await db
          .deleteFrom('outbox_events')
          .where('dispatched_at', '<', t - 7 * 86400)
          .execute();
        await db
          .deleteFrom('jobs')
          .where('state', 'in', ['done', 'failed'])
          .where('updated_at', '<', t - 7 * 86400)
          .execute();
      }),
    ],
  }),
});
