import type Stripe from 'stripe';
import { err, missing, type Obj, type Objects, type Owned, type Routes } from './objects.ts';

/** PaymentIntents: create, retrieve, update (metadata), cancel; and what a paying customer does. */

/** The fields of a new PaymentIntent from its create parameters. */
export function intentFields(p: Obj): Obj {
  return {
    amount: Number(p.amount),
    amount_received: 0,
    amount_capturable: 0,
    currency: String(p.currency).toLowerCase(),
    status: 'requires_payment_method',
    capture_method: p.capture_method ?? 'automatic_async',
    customer: p.customer ?? null,
    description: p.description ?? null,
    metadata: p.metadata ?? {},
    latest_charge: null,
    last_payment_error: null,
    canceled_at: null,
    cancellation_reason: null,
    automatic_payment_methods: p.automatic_payment_methods
      ? { enabled: p.automatic_payment_methods.enabled === 'true' }
      : null,
  };
}

/** The customer pays: the full amount is captured through a new charge. */
export function succeedIntent(objects: Objects, pi: Owned): void {
  const charge = objects.create(pi._account, 'ch', 'charge', {
    amount: pi.amount,
    currency: pi.currency,
    payment_intent: pi.id,
    status: 'succeeded',
    paid: true,
  });
  Object.assign(pi, {
    status: 'succeeded',
    amount_received: pi.amount,
    amount_capturable: 0,
    latest_charge: charge.id,
    last_payment_error: null,
  });
}

/** Customer actions on an intent; each returns the event type to deliver. */
export const intentActions = {
  succeed: (objects: Objects, pi: Owned): Stripe.Event.Type => {
    succeedIntent(objects, pi);
    return 'payment_intent.succeeded';
  },
  authorize: (_objects: Objects, pi: Owned): Stripe.Event.Type => {
    Object.assign(pi, { status: 'requires_capture', amount_capturable: pi.amount });
    return 'payment_intent.amount_capturable_updated';
  },
  decline: (_objects: Objects, pi: Owned, code: string): Stripe.Event.Type => {
    Object.assign(pi, {
      status: 'requires_payment_method',
      last_payment_error: { type: 'card_error', code, message: 'Your card was declined.' },
    });
    return 'payment_intent.payment_failed';
  },
  cancel: (objects: Objects, pi: Owned, reason: string | null): Stripe.Event.Type => {
    Object.assign(pi, {
      status: 'canceled',
      canceled_at: objects.now(),
      cancellation_reason: reason,
      amount_capturable: 0,
    });
    return 'payment_intent.canceled';
  },
};

export const paymentIntentRoutes: Routes = {
  'POST payment_intents': (objects, account, p) => {
    const amount = Number(p.amount);
    if (!Number.isInteger(amount) || amount < 1)
      return err(
        400,
        'invalid_request_error',
        'Missing or invalid amount.',
        'amount',
        'parameter_invalid_integer',
      );
    if (typeof p.currency !== 'string' || !/^[a-zA-Z]{3}$/.test(p.currency))
      return err(
        400,
        'invalid_request_error',
        'Missing required param: currency.',
        'currency',
        'parameter_missing',
      );
    return [
      200,
      objects.public(objects.create(account, 'pi', 'payment_intent', intentFields({ ...p, amount }))),
    ];
  },
  'GET payment_intents/:id': (objects, account, _p, id) => objects.read(account, id, 'payment_intent'),
  'POST payment_intents/:id': (objects, account, p, id) => {
    const pi = objects.owned(account, id, 'payment_intent');
    if (!pi) return missing(id);
    if (p.metadata) pi.metadata = { ...pi.metadata, ...p.metadata };
    return [200, objects.public(pi)];
  },
  'POST payment_intents/:id/cancel': (objects, account, p, id) => {
    const pi = objects.owned(account, id, 'payment_intent');
    if (!pi) return missing(id);
    if (pi.status === 'succeeded' || pi.status === 'canceled') {
      return err(
        400,
        'invalid_request_error',
        `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`,
        undefined,
        'payment_intent_unexpected_state',
        { payment_intent: objects.public(pi) },
      );
    }
    Object.assign(pi, {
      status: 'canceled',
      canceled_at: objects.now(),
      cancellation_reason: p.cancellation_reason ?? null,
      amount_capturable: 0,
    });
    return [200, objects.public(pi)];
  },
};
