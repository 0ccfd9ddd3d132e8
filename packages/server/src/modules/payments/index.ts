import type { FastifyInstance } from 'fastify';
import { registerCardPayments } from '../commerce/index.ts';
import { registerPlatformBilling } from '../stores/index.ts';
import { platformBilling } from './billing.service.ts';
import { cardPayments } from './card.gateway.ts';
import { registerPaymentJobs } from './payment.jobs.ts';
import { paymentRoutes } from './payment.routes.ts';

export { SUBSCRIPTION_TRANSITIONS } from './transitions.ts';
export { expireHolds, reconcileIntents, RECONCILE_AFTER_SECONDS } from './payment.jobs.ts';
export { stripeClient } from './stripe.client.ts';
export { verifyEvent } from './stripe-events.service.ts';

/**
 * Stripe card payments (checkout hooks, store webhook, reconciliation and hold expiry) and
 * platform billing (subscriptions, portal, billing webhook).
 */
export async function registerPayments(app: FastifyInstance): Promise<void> {
  registerCardPayments(cardPayments);
  registerPlatformBilling(platformBilling);
  registerPaymentJobs(app.deps);
  await app.register(paymentRoutes);
}
