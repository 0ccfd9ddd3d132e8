import type { Order } from '@openarky/contract';
import type { Db } from '../../lib/context.ts';
import type { OutboxEvent } from '../../lib/events.ts';
import { findProfile } from '../profiles/index.ts';
import { enqueueTemplatedEmail } from './email.service.ts';

/** `amount` minor units of `currency` as text, e.g. `30.00 USD`. */
export function formatAmount(amount: number, currency: string): string {
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
  } catch {
    digits = 2;
  }
  return `${(amount / 10 ** digits).toFixed(digits)} ${currency}`;
}

/** The view of an order the `order_confirmation` template reads. */
export function orderView(order: Order): Record<string, unknown> {
  const currency = order.payment.currency;
  return {
    order: {
      number: order.number,
      items: order.items.map((item) => ({
        name: String(
          item.snapshot.product_key ?? item.snapshot.service_key ?? item.product_id ?? item.service_id ?? '',
        ),
        quantity: item.quantity,
        total: formatAmount(item.total, currency),
      })),
      total: formatAmount(order.payment.total, currency),
    },
  };
}

/**
 * `order.created` subscriber: emails the order confirmation to the profile's address, when the
 * order has a profile with an email. Runs in the dispatch transaction, so it is queued once.
 */
export async function queueOrderConfirmation(db: Db, event: OutboxEvent, now: number): Promise<void> {
  if (event.type !== 'order.created' || !event.store_id) return;
  const order = event.data as Order;
  if (!order?.profile_id) return;
  const profile = await findProfile(db, event.store_id, order.profile_id);
  if (!profile?.email) return;
  await enqueueTemplatedEmail(db, now, {
    storeId: event.store_id,
    to: profile.email,
    template: 'order_confirmation',
    data: orderView(order),
  });
}
