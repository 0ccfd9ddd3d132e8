import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../../test/stripe-standin.ts';
import { REFUND_TRANSITIONS } from '../commerce/index.ts';
import { outcomeOfEvent, outcomeOfStatus } from './intent.state.ts';
import {
  assertSubscriptionTransition,
  canSubscriptionTransition,
  SUBSCRIPTION_TRANSITIONS,
  type SubscriptionStatus,
} from './transitions.ts';

const pi = (over: object = {}) =>
  ({
    id: 'pi_1',
    status: 'requires_payment_method',
    amount: 1000,
    amount_received: 0,
    amount_capturable: 0,
    last_payment_error: null,
    customer: null,
    ...over,
  }) as never;

describe('subscription transitions (seed 003 statuses)', () => {
  const all = Object.keys(SUBSCRIPTION_TRANSITIONS) as SubscriptionStatus[];
  it.each([
    ['pending', 'active', true],
    ['pending', 'cancelled', true],
    ['active', 'cancellation_scheduled', true],
    ['cancellation_scheduled', 'cancelled', true],
    ['cancellation_scheduled', 'expired', true],
    ['cancellation_scheduled', 'active', true],
    ['active', 'expired', true],
    ['pending', 'expired', false],
    ['pending', 'cancellation_scheduled', false],
    ['cancelled', 'active', false],
    ['expired', 'active', false],
    ['active', 'pending', false],
  ] as [SubscriptionStatus, SubscriptionStatus, boolean][])('%s → %s allowed: %s', (from, to, ok) => {
    expect(canSubscriptionTransition(from, to)).toBe(ok);
    if (ok) expect(() => assertSubscriptionTransition(from, to)).not.toThrow();
    else
      expect(() => assertSubscriptionTransition(from, to)).toThrow(
        expect.objectContaining({ code: 'invalid_transition', details: { from, to } }),
      );
  });
  it('cancelled and expired are final; nothing returns to pending', () => {
    expect(SUBSCRIPTION_TRANSITIONS.cancelled).toEqual([]);
    expect(SUBSCRIPTION_TRANSITIONS.expired).toEqual([]);
    for (const from of all) expect(canSubscriptionTransition(from, 'pending')).toBe(false);
  });
  it('refunds: pending settles once; a failed refund never comes back', () => {
    expect(REFUND_TRANSITIONS).toEqual({
      pending: ['succeeded', 'failed'],
      succeeded: ['failed'],
      failed: [],
    });
  });
});

describe('what a PaymentIntent means for its order', () => {
  it.each([
    [
      'payment_intent.succeeded',
      { status: 'succeeded', amount_received: 1000 },
      { kind: 'succeeded', amount: 1000 },
    ],
    [
      'payment_intent.amount_capturable_updated',
      { status: 'requires_capture', amount_capturable: 1000 },
      { kind: 'authorized', amount: 1000 },
    ],
    [
      'payment_intent.payment_failed',
      { last_payment_error: { code: 'card_declined' } },
      { kind: 'failed', reason: 'card_declined' },
    ],
    ['payment_intent.canceled', { status: 'canceled' }, { kind: 'canceled', reason: 'other' }],
    [
      'payment_intent.canceled',
      { status: 'canceled', cancellation_reason: 'requested_by_customer' },
      { kind: 'canceled', reason: 'profile_cancelled' },
    ],
    ['payment_intent.created', {}, null],
    ['payment_intent.processing', { status: 'processing' }, null],
  ])('event %s', (type, over, expected) => {
    expect(outcomeOfEvent(type, pi(over))).toEqual(expected);
  });
  it.each([
    ['succeeded', {}, 'succeeded'],
    ['requires_capture', {}, 'authorized'],
    ['canceled', {}, 'canceled'],
    ['requires_payment_method', { last_payment_error: { code: 'expired_card' } }, 'failed'],
    ['requires_payment_method', {}, null],
    ['requires_action', {}, null],
    ['processing', {}, null],
  ])('retrieved status %s (reconciliation)', (status, over, kind) => {
    expect(outcomeOfStatus(pi({ status, ...over }))?.kind ?? null).toBe(kind);
  });
});

describe('stand-in form decoding (Stripe encoding)', () => {
  it('nests objects and arrays the way Stripe encodes them', () => {
    expect(
      parseForm(
        'amount=100&metadata[order_id]=ord_1&metadata[store_id]=store_1&line_items[0][price]=price_a&line_items[0][quantity]=1&line_items[1][price]=price_b&expand[]=x&expand[]=y',
      ),
    ).toEqual({
      amount: '100',
      metadata: { order_id: 'ord_1', store_id: 'store_1' },
      line_items: [{ price: 'price_a', quantity: '1' }, { price: 'price_b' }],
      expand: ['x', 'y'],
    });
  });
  it('round-trips any flat metadata map, whatever the characters', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z_]{1,12}$/), fc.string({ maxLength: 30 })),
        (metadata) => {
          const raw = Object.entries(metadata)
            .map(([k, v]) => `metadata[${k}]=${encodeURIComponent(v)}`)
            .join('&');
          expect(parseForm(raw).metadata ?? {}).toEqual(metadata);
        },
      ),
    );
  });
});
