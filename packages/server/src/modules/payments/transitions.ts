import { AppError } from '../../lib/errors.ts';

export type SubscriptionStatus = 'pending' | 'active' | 'cancellation_scheduled' | 'cancelled' | 'expired';

/**
 * Subscription lifecycle (seed 003 values, CONTRACT §4): pending → active → cancellation_scheduled
 * → cancelled | expired; pending → cancelled. Two edges Stripe forces on top: an active
 * subscription can end at once (cancelled by Stripe support, or `expired` when dunning gives up),
 * and a scheduled cancellation can be withdrawn in the portal (→ active). A new subscription
 * after `cancelled`/`expired` starts a new lifecycle (the row is reset), it is not a transition.
 */
export const SUBSCRIPTION_TRANSITIONS: Readonly<Record<SubscriptionStatus, readonly SubscriptionStatus[]>> = {
  pending: ['active', 'cancelled'],
  active: ['cancellation_scheduled', 'cancelled', 'expired'],
  cancellation_scheduled: ['active', 'cancelled', 'expired'],
  cancelled: [],
  expired: [],
};

export function canSubscriptionTransition(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
  return SUBSCRIPTION_TRANSITIONS[from].includes(to);
}

/** 409 invalid_transition unless `from → to` is in the table. */
export function assertSubscriptionTransition(from: SubscriptionStatus, to: SubscriptionStatus): void {
  if (!canSubscriptionTransition(from, to))
    throw new AppError('invalid_transition', `A subscription cannot go from ${from} to ${to}`, { from, to });
}
