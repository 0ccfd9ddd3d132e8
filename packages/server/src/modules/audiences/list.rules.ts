import type { MembershipStatus, ProfileListType } from '@openarky/contract';
import type { FieldError } from '../../lib/errors.ts';

/** Pure rules of audiences (CONTRACT §10.6): list types and membership transitions. */

type TypeInput =
  | string
  | {
      type: string;
      prices?:
        | { id?: string | undefined; currency: string; amount: number; interval: 'month' | 'year' }[]
        | undefined;
    };

/** `'standard'` or `{ type: 'paid', prices }` → the stored list type; paid lists need prices. */
export function parseListType(
  input: TypeInput | undefined,
  errors: FieldError[],
): ProfileListType | undefined {
  if (input === undefined) return undefined;
  const raw = typeof input === 'string' ? { type: input } : input;
  const type = raw.type.trim().toLowerCase();
  if (type !== 'standard' && type !== 'confirmation' && type !== 'paid') {
    errors.push({
      field: typeof input === 'string' ? 'type' : 'type.type',
      reason: 'invalid_value',
      message: 'type must be standard, confirmation or paid',
    });
    return undefined;
  }
  if (type !== 'paid') {
    if (typeof input !== 'string' && input.prices?.length)
      errors.push({ field: 'type.prices', reason: 'not_allowed', message: 'prices apply to paid lists' });
    return { type };
  }
  const prices = (typeof input === 'string' ? [] : (input.prices ?? [])).map((p, i) => ({
    id: p.id ?? `${p.currency.toLowerCase()}-${p.interval}-${i}`,
    currency: p.currency.toUpperCase(),
    amount: p.amount,
    interval: p.interval,
  }));
  if (!prices.length)
    errors.push({
      field: 'type.prices',
      reason: 'required',
      message: 'a paid list needs at least one price',
    });
  const ids = new Set<string>();
  prices.forEach((p, i) => {
    if (ids.has(p.id)) errors.push({ field: `type.prices.${i}.id`, reason: 'duplicate' });
    ids.add(p.id);
  });
  return { type: 'paid', prices };
}

/**
 * Seed 003 subscription states: pending → active → cancellation_scheduled → cancelled | expired.
 * A paid list's member may withdraw a scheduled cancellation in Stripe's portal before the period
 * ends (cancellation_scheduled → active), as payments' subscription table allows.
 */
export const MEMBERSHIP_TRANSITIONS: Record<MembershipStatus, readonly MembershipStatus[]> = {
  pending: ['active', 'cancelled'],
  active: ['cancellation_scheduled', 'cancelled', 'expired'],
  cancellation_scheduled: ['active', 'cancelled', 'expired'],
  cancelled: [],
  expired: [],
};

export function canTransition(from: MembershipStatus, to: MembershipStatus): boolean {
  return from === to || MEMBERSHIP_TRANSITIONS[from].includes(to);
}

/** Statuses that grant access to the list's content. */
export function grantsAccess(status: MembershipStatus): boolean {
  return status === 'active' || status === 'cancellation_scheduled';
}

/** Statuses a new subscription cycle may start over (a former member comes back). */
export function isEnded(status: MembershipStatus): boolean {
  return status === 'cancelled' || status === 'expired';
}

const RANK: Record<MembershipStatus, number> = {
  active: 4,
  cancellation_scheduled: 3,
  pending: 2,
  expired: 1,
  cancelled: 0,
};

/** Which of two memberships of the same list survives a profile merge. */
export function preferMembership<T extends { status: MembershipStatus }>(a: T, b: T): T {
  return RANK[b.status] > RANK[a.status] ? b : a;
}
