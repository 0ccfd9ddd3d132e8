import type { FastifyInstance } from 'fastify';
import { registerCardPayments } from '../commerce/index.ts';
import { beforeStoreDelete, registerPlatformBilling } from '../stores/index.ts';
import {
  CANCEL_SUBSCRIPTION_JOB,
  cancelSubscriptionJob,
  dropPaidSubscription,
  platformBilling,
} from './billing.service.ts';
import { cardPayments } from './card.gateway.ts';
import { registerPaymentJobs } from './payment.jobs.ts';
import { paymentRoutes } from './payment.routes.ts';

export { SUBSCRIPTION_TRANSITIONS } from './transitions.ts';
export { expireHolds, reconcileIntents, RECONCILE_AFTER_SECONDS } from './payment.jobs.ts';
export { stripeClient } from './stripe.client.ts';
export { onStoreStripeEvent, verifyEvent, type StoreEventHandler } from './stripe-events.service.ts';
export { storeStripe } from './card.gateway.ts';

/**
 * Stripe card payments (checkout hooks, store webhook, reconciliation and hold expiry) and
 * platform billing (subscriptions, portal, billing webhook).
 */
export async function registerPayments(app: FastifyInstance): Promise<void> {
  registerCardPayments(cardPayments);
  registerPlatformBilling(platformBilling);
  registerPaymentJobs(app.deps);
  const { jobs, config, now } = app.deps;
  jobs.register(CANCEL_SUBSCRIPTION_JOB, async (payload: { subscription_id: string }, job) =>
    cancelSubscriptionJob(
      {
        db: job.db,
        config,
        log: job.log,
        now,
        requestId: `job:${CANCEL_SUBSCRIPTION_JOB}`,
        principal: { kind: 'anonymous' },
      },
      payload.subscription_id,
    ),
  );
  // A deleted store stops paying: its Stripe subscription is cancelled after the deletion commits.
  beforeStoreDelete('payments', (tx) => dropPaidSubscription(tx, tx.store.id));
  await app.register(paymentRoutes);
}
