import { missing, type Obj, type Objects, type Owned, type Routes } from './objects.ts';

/** Subscriptions: created by a completed subscription Checkout; retrieve, update, cancel. */

/** What happened to a subscription, for the stand-in to wrap in an event. */
export interface Change {
  type: string;
  object: Obj;
  previous?: Obj;
}

/** A new active subscription of `customer` to one price, for one 30-day period. */
export function createSubscription(
  objects: Objects,
  account: string,
  customer: string,
  price: Obj,
  quantity: number,
  metadata: Obj,
): Owned {
  const start = objects.now();
  const end = start + 30 * 86400;
  return objects.create(account, 'sub', 'subscription', {
    customer,
    status: 'active',
    metadata,
    cancel_at_period_end: false,
    cancel_at: null,
    canceled_at: null,
    ended_at: null,
    cancellation_details: { reason: null, comment: null, feedback: null },
    current_period_start: start,
    current_period_end: end,
    items: {
      object: 'list',
      data: [
        {
          id: objects.id('si'),
          object: 'subscription_item',
          price,
          quantity,
          current_period_start: start,
          current_period_end: end,
        },
      ],
      has_more: false,
    },
  });
}

/** What a customer (portal) or Stripe (billing) does to a subscription. */
export const subscriptionActions = {
  scheduleCancel(objects: Objects, sub: Owned): Change {
    const previous = { cancel_at_period_end: sub.cancel_at_period_end };
    Object.assign(sub, {
      cancel_at_period_end: true,
      cancel_at: sub.current_period_end,
      canceled_at: objects.now(),
      cancellation_details: { ...sub.cancellation_details, reason: 'cancellation_requested' },
    });
    return { type: 'customer.subscription.updated', object: sub, previous };
  },
  resume(_objects: Objects, sub: Owned): Change {
    const previous = { cancel_at_period_end: sub.cancel_at_period_end, cancel_at: sub.cancel_at };
    Object.assign(sub, {
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      cancellation_details: { reason: null, comment: null, feedback: null },
    });
    return { type: 'customer.subscription.updated', object: sub, previous };
  },
  changePrice(_objects: Objects, sub: Owned, price: string): Change {
    const previous = { items: structuredClone(sub.items) };
    sub.items.data[0].price = { id: price, object: 'price' };
    return { type: 'customer.subscription.updated', object: sub, previous };
  },
  failInvoice(objects: Objects, sub: Owned): Change {
    sub.status = 'past_due';
    const invoice = objects.create(sub._account, 'in', 'invoice', {
      customer: sub.customer,
      subscription: sub.id,
      status: 'open',
      attempt_count: 1,
      amount_due: 0,
      parent: { subscription_details: { subscription: sub.id, metadata: sub.metadata } },
    });
    return { type: 'invoice.payment_failed', object: invoice };
  },
  end(objects: Objects, sub: Owned, reason: 'cancellation_requested' | 'payment_failed'): Change {
    Object.assign(sub, {
      status: 'canceled',
      ended_at: objects.now(),
      canceled_at: sub.canceled_at ?? objects.now(),
      cancellation_details: { ...sub.cancellation_details, reason },
    });
    return { type: 'customer.subscription.deleted', object: sub };
  },
};

export const subscriptionRoutes: Routes = {
  'GET subscriptions/:id': (objects, account, _p, id) => objects.read(account, id, 'subscription'),
  'POST subscriptions/:id': (objects, account, p, id) => {
    const sub = objects.owned(account, id, 'subscription');
    if (!sub) return missing(id);
    if (p.cancel_at_period_end !== undefined) {
      sub.cancel_at_period_end = p.cancel_at_period_end === 'true';
      sub.cancel_at = sub.cancel_at_period_end ? sub.current_period_end : null;
    }
    if (p.metadata) sub.metadata = { ...sub.metadata, ...p.metadata };
    return [200, objects.public(sub)];
  },
  'DELETE subscriptions/:id': (objects, account, _p, id) => {
    const sub = objects.owned(account, id, 'subscription');
    if (!sub) return missing(id);
    Object.assign(sub, { status: 'canceled', ended_at: objects.now(), canceled_at: objects.now() });
    return [200, objects.public(sub)];
  },
};
