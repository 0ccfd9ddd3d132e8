import { err, missing, type Routes } from './objects.ts';

/** Refunds of a succeeded PaymentIntent, never beyond what it received (failed refunds excluded). */
export const refundRoutes: Routes = {
  'POST refunds': (objects, account, p) => {
    const pi = objects.owned(account, String(p.payment_intent ?? ''), 'payment_intent');
    if (!pi) return missing(String(p.payment_intent ?? ''), 'payment_intent');
    if (pi.status !== 'succeeded')
      return err(
        400,
        'invalid_request_error',
        'This PaymentIntent does not have a successful charge to refund.',
        'payment_intent',
        'charge_not_refundable',
      );
    const refunded = objects
      .list('refund')
      .filter((r) => r.payment_intent === pi.id && r.status !== 'failed')
      .reduce((a, r) => a + Number(r.amount), 0);
    const amount = p.amount === undefined ? pi.amount_received - refunded : Number(p.amount);
    if (!Number.isInteger(amount) || amount < 1)
      return err(
        400,
        'invalid_request_error',
        'Invalid positive integer',
        'amount',
        'parameter_invalid_integer',
      );
    if (refunded + amount > pi.amount_received) {
      return err(
        400,
        'invalid_request_error',
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${pi.amount_received - refunded})`,
        'amount',
        'amount_too_large',
      );
    }
    const refund = objects.create(account, 're', 'refund', {
      amount,
      currency: pi.currency,
      payment_intent: pi.id,
      charge: pi.latest_charge,
      status: 'pending',
      reason: p.reason ?? null,
      metadata: p.metadata ?? {},
      failure_reason: null,
    });
    return [200, objects.public(refund)];
  },
  'GET refunds/:id': (objects, account, _p, id) => objects.read(account, id, 'refund'),
};
