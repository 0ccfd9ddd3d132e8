import type { RefundTable } from './commerce.table.ts';

/** Refund statuses (CONTRACT §11.5): Stripe may still fail a refund it reported succeeded. */
export const REFUND_TRANSITIONS: Readonly<Record<RefundTable['status'], readonly RefundTable['status'][]>> = {
  pending: ['succeeded', 'failed'],
  succeeded: ['failed'],
  failed: [],
};
