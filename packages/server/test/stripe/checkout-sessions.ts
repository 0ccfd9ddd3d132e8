import { err, type Obj, type Objects, type Owned, type Reply, type Routes } from './objects.ts';
import { intentFields, succeedIntent } from './payment-intents.ts';
import { createSubscription } from './subscriptions.ts';

/**
 * Checkout Sessions in mode `payment`, `subscription` (a `price_…` id or inline `price_data`
 * with `recurring`) and `setup`; completing one creates what the customer paid for.
 */

function create(objects: Objects, account: string, p: Obj): Reply {
  const mode = p.mode ?? 'payment';
  if (!['payment', 'subscription', 'setup'].includes(mode))
    return err(400, 'invalid_request_error', `Invalid mode: ${mode}`, 'mode');
  const lines = (Array.isArray(p.line_items) ? p.line_items : []) as Obj[];
  if (mode !== 'setup' && !lines.length)
    return err(
      400,
      'invalid_request_error',
      'Missing required param: line_items.',
      'line_items',
      'parameter_missing',
    );
  if (mode === 'subscription') {
    const bad = lines.findIndex((l) =>
      l.price_data
        ? !l.price_data.recurring?.interval || !Number.isInteger(Number(l.price_data.unit_amount))
        : typeof l.price !== 'string' || !l.price.startsWith('price_'),
    );
    if (bad >= 0) {
      return lines[bad]!.price_data
        ? err(
            400,
            'invalid_request_error',
            'You must specify `recurring` and `unit_amount` in `price_data` for a subscription',
            `line_items[${bad}][price_data]`,
            'parameter_missing',
          )
        : err(400, 'invalid_request_error', 'No such price', `line_items[${bad}][price]`, 'resource_missing');
    }
  }
  if (!p.success_url && p.ui_mode !== 'embedded')
    return err(
      400,
      'invalid_request_error',
      'Missing required param: success_url.',
      'success_url',
      'parameter_missing',
    );
  if (p.customer && !objects.owned(account, String(p.customer), 'customer'))
    return err(
      404,
      'invalid_request_error',
      `No such customer: '${p.customer}'`,
      'customer',
      'resource_missing',
    );
  const session = objects.create(account, 'cs_test', 'checkout.session', {
    mode,
    status: 'open',
    payment_status: 'unpaid',
    customer: p.customer ?? null,
    customer_email: p.customer_email ?? null,
    client_reference_id: p.client_reference_id ?? null,
    success_url: p.success_url ?? null,
    cancel_url: p.cancel_url ?? null,
    metadata: p.metadata ?? {},
    currency: lines[0]?.price_data?.currency ?? null,
    subscription: null,
    payment_intent: null,
    _line_items: lines.map((l) => ({
      price: l.price,
      price_data: l.price_data,
      quantity: l.quantity ?? '1',
      amount: l.price_data?.unit_amount,
    })),
    _subscription_metadata: p.subscription_data?.metadata ?? {},
  });
  session.url = `${objects.url}/c/pay/${session.id}`;
  return [200, objects.public(session)];
}

/** The customer completes the session: a subscription or a paid PaymentIntent is created. */
export function completeSession(objects: Objects, session: Owned): void {
  const account = session._account;
  session.status = 'complete';
  session.payment_status = 'paid';
  if (!session.customer)
    session.customer = objects.create(account, 'cus', 'customer', {
      email: session.customer_email ?? null,
      metadata: {},
      name: null,
    }).id;
  const line = (session._line_items as Obj[])[0] ?? {};
  if (session.mode === 'subscription') {
    // Inline `price_data` becomes a price of its own, as Stripe does.
    const price = line.price_data
      ? {
          id: objects.id('price'),
          object: 'price',
          currency: line.price_data.currency,
          unit_amount: Number(line.price_data.unit_amount),
          recurring: { interval: line.price_data.recurring.interval },
        }
      : { id: line.price, object: 'price' };
    const sub = createSubscription(
      objects,
      account,
      session.customer,
      price,
      Number(line.quantity ?? 1),
      session._subscription_metadata ?? {},
    );
    session.subscription = sub.id;
  } else {
    const pi = objects.create(
      account,
      'pi',
      'payment_intent',
      intentFields({
        amount: Number(line.amount ?? 0),
        currency: session.currency ?? 'usd',
        metadata: session.metadata,
        customer: session.customer,
      }),
    );
    succeedIntent(objects, pi);
    session.payment_intent = pi.id;
  }
}

export const checkoutSessionRoutes: Routes = {
  'POST checkout/sessions': create,
  'GET checkout/sessions/:id': (objects, account, _p, id) => objects.read(account, id, 'checkout.session'),
};
