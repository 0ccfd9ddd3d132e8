import { defineModule } from '../../lib/module.ts';
import { recurringJob } from '../../lib/jobs.ts';
import { WebhookDeliverer } from './webhook.delivery.ts';
import { fanOut, fanOutBeforeStoreDelete } from './webhook.fanout.ts';
import { pruneDeliveries } from './webhook.prune.ts';
import { webhookRoutes } from './webhook.routes.ts';

export { WebhookDeliverer } from './webhook.delivery.ts';
export { retryDelaySeconds, MAX_ATTEMPTS } from './webhook.retry.ts';
export { DELIVERY_RETENTION_SECONDS } from './webhook.prune.ts';

/**
 * Routes, the outbox subscriber that fans events out to deliveries, the delivery poller, the
 * prune of old deliveries, and the capture of a deleted store's webhooks.
 */
export const webhooksModule = defineModule({
  name: 'webhooks',
  metrics: [
    {
      name: 'openarky_webhook_deliveries_failing',
      help: 'Webhook deliveries whose last attempt failed: retrying (pending) or given up (failed)',
      labelNames: ['status'],
      collect: async (db) => {
        const rows = await db
          .selectFrom('webhook_deliveries')
          .select(['status', (eb) => eb.fn.countAll().as('n')])
          .where((eb) =>
            eb.or([
              eb('status', '=', 'failed'),
              eb.and([eb('status', '=', 'pending'), eb('attempts', '>', 0)]),
            ]),
          )
          .groupBy('status')
          .execute();
        const by = new Map(rows.map((r) => [r.status, Number(r.n)]));
        return (['pending', 'failed'] as const).map((status) => ({
          labels: { status },
          value: by.get(status) ?? 0,
        }));
      },
    },
  ],
  // `store.deleted` must reach the store's webhooks although they are deleted with it.
  beforeStoreDelete: (tx) => fanOutBeforeStoreDelete(tx.db, tx.store.id, tx.now()),
  install: ({ config, db, now, log }) => {
    const deliverer = new WebhookDeliverer({ db: db.db, config, log, now });
    return {
      routes: async (app) => {
        await app.register(webhookRoutes);
      },
      subscribers: [(trx, event) => fanOut(trx, event, now()).then(() => undefined)],
      pollers: [{ name: 'webhooks.deliver', run: () => deliverer.runOnce() }],
      jobs: [
        recurringJob('webhooks.prune', 3600, async ({ db: conn, now: clock }) => {
          await pruneDeliveries(conn, clock());
        }),
      ],
    };
  },
});
