import { handleJob, recurringJob } from '../../lib/jobs.ts';
import { defineModule, jobCtx } from '../../lib/module.ts';
import {
  CANCEL_SUBSCRIPTION_JOB,
  cancelSubscriptionJob,
  dropPaidSubscription,
  platformBilling,
} from './billing.service.ts';
import { cardPayments } from './card.gateway.ts';
import { LATE_REFUND_JOB, lateRefundJob } from './late-refund.ts';
import { expireHolds, oweCancelOfCancelledOrder, reconcileIntents } from './payment.jobs.ts';
import { paymentRoutes } from './payment.routes.ts';

export { SUBSCRIPTION_MACHINE, SUBSCRIPTION_TRANSITIONS } from './transitions.ts';
export { expireHolds, reconcileIntents, RECONCILE_AFTER_SECONDS } from './payment.jobs.ts';
export { describeStripeError, stripeClient } from './stripe.client.ts';
export { verifyEvent, type StoreEventHandler } from './stripe-events.service.ts';
export { storeStripe } from './card.gateway.ts';

/**
 * Stripe card payments (checkout and refund hooks into commerce, the store webhook,
 * reconciliation and hold expiry, each run once per cluster as recurring jobs, and the refund of
 * a payment landing on an order that can no longer take it, a retried one-off job) and platform
 * billing (subscriptions and portal for the stores module, the billing webhook). A deleted store's
 * Stripe subscription is cancelled after the deletion commits.
 */
export const paymentsModule = defineModule({
  name: 'payments',
  provides: { cardPayments, platformBilling },
  beforeStoreDelete: (tx) => dropPaidSubscription(tx, tx.store.id),
  install: (deps) => ({
    routes: async (app) => {
      await app.register(paymentRoutes);
    },
    subscribers: [(trx, event) => oweCancelOfCancelledOrder(trx, event, deps.now())],
    jobs: [
      recurringJob('payments.reconcile', 60, async (job) => {
        await reconcileIntents(jobCtx(deps, job, 'payments.reconcile'));
      }),
      recurringJob('payments.holds.expire', 60, async (job) => {
        await expireHolds(jobCtx(deps, job, 'payments.holds.expire'));
      }),
      handleJob(LATE_REFUND_JOB, (payload, job) =>
        lateRefundJob(jobCtx(deps, job, LATE_REFUND_JOB.kind), payload, job.attempt),
      ),
      handleJob(CANCEL_SUBSCRIPTION_JOB, (payload, job) =>
        cancelSubscriptionJob(jobCtx(deps, job, CANCEL_SUBSCRIPTION_JOB.kind), payload.subscription_id),
      ),
    ],
  }),
});
