import type { FastifyInstance } from 'fastify';
import { beforeStoreDelete } from '../stores/index.ts';
import { WebhookDeliverer } from './webhook.delivery.ts';
import { fanOut, fanOutBeforeStoreDelete } from './webhook.fanout.ts';
import { webhookRoutes } from './webhook.routes.ts';

export { WebhookDeliverer } from './webhook.delivery.ts';
export { retryDelaySeconds, MAX_ATTEMPTS } from './webhook.retry.ts';

// `store.deleted` must reach the store's webhooks although they are deleted with it.
beforeStoreDelete('webhooks', (tx) => fanOutBeforeStoreDelete(tx.db, tx.store.id, tx.now()));

/** Routes, the outbox subscriber that fans events out to deliveries, and the delivery poller. */
export async function registerWebhooks(app: FastifyInstance): Promise<void> {
  const { bus, jobs, config, db, now } = app.deps;
  bus.subscribe((trx, event) => fanOut(trx, event, now()).then(() => undefined));
  const deliverer = new WebhookDeliverer({ db: db.db, config, log: app.log, now });
  jobs.poll('webhooks.deliver', () => deliverer.runOnce());
  jobs.every('webhooks.prune', 3600, async ({ db: conn, now: clock }) => {
    // The log keeps 30 days of finished deliveries; pending ones are never pruned.
    await conn.deleteFrom('webhook_deliveries').where('status', 'in', ['delivered', 'failed']).where('updated_at', '<', clock() - 30 * 86_400).execute();
  });
  await app.register(webhookRoutes);
}
