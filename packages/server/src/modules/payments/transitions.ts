import { defineMachine } from '../../lib/state-machine.ts';

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

/** The subscription machine (`lib/state-machine.ts`): one table, one guard for every status change. */
export const SUBSCRIPTION_MACHINE = defineMachine<SubscriptionStatus, unknown>({
  subject: 'A subscription',
  transitions: SUBSCRIPTION_TRANSITIONS,
});

export function canSubscriptionTransition(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
  return SUBSCRIPTION_MACHINE.can(from, to);
}

/** 409 invalid_transition unless `from → to` is in the table. */
export function assertSubscriptionTransition(from: SubscriptionStatus, to: SubscriptionStatus): void {
  SUBSCRIPTION_MACHINE.assert(from, to);
}
