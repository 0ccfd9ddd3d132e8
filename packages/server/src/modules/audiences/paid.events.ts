import type Stripe from 'stripe';
import type { MembershipStatus } from '@openarky/contract';
import { forUpdate } from '../../db/create-db.ts';
import type { Ctx } from '../../lib/context.ts';
import { toJson } from '../../lib/json.ts';
import type { StoreEventHandler } from '../payments/index.ts';
import type { ProfileListMemberTable } from './audiences.table.ts';
import { canTransition, isEnded } from './list.rules.ts';
import { setMembershipStatus } from './membership.ts';
import { cancelStraySubscription } from './paid.cancel.ts';
import { paymentOf, type PaidPayment } from './paid.checkout.ts';

/**
 * The store's Stripe webhook events of paid lists (payments' `stripeStoreEvents` extension point;
 * each event arrives verified, recorded once by its id, inside the webhook's transaction). They
 * drive the membership through `MEMBERSHIP_TRANSITIONS`: pending → active (Checkout completed) →
 * cancellation_scheduled (cancel at period end) → cancelled | expired (subscription deleted).
 * An event older than the newest one applied to the membership changes nothing, and no event
 * moves an ended membership: a late `checkout.session.completed` never revives it.
 */

type Sub = Stripe.Subscription & { current_period_end?: number };

const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

/** The membership an event names (metadata), or the one holding the subscription; row-locked. */
async function membershipOf(
  tx: Ctx,
  storeId: string,
  metadata: Record<string, string> | null | undefined,
  subscriptionId: string | null,
): Promise<ProfileListMemberTable | undefined> {
  const byId = metadata?.membership_id;
  if (!byId && !subscriptionId) return undefined;
  let qb = tx.db.selectFrom('profile_list_members').selectAll().where('store_id', '=', storeId);
  qb = byId ? qb.where('id', '=', byId) : qb.where('provider_ref', '=', subscriptionId);
  return forUpdate(tx.db, qb).executeTakeFirst();
}

async function listOf(tx: Ctx, row: ProfileListMemberTable) {
  return tx.db
    .selectFrom('profile_lists')
    .selectAll()
    .where('id', '=', row.profile_list_id)
    .executeTakeFirstOrThrow();
}

/** The membership's payment after `event`, with the subscription's ids. */
function paymentAfter(
  row: ProfileListMemberTable,
  event: Stripe.Event,
  ids: { subscription?: string | null; customer?: string | null },
): string {
  const current = paymentOf(row);
  const provider: PaidPayment['provider'] = {
    type: 'stripe',
    checkout_session_id: current?.provider.checkout_session_id ?? null,
    subscription_id: ids.subscription ?? current?.provider.subscription_id ?? null,
    customer_id: ids.customer ?? current?.provider.customer_id ?? null,
    last_event_at: Math.max(event.created, current?.provider.last_event_at ?? 0),
  };
  return toJson({ ...(current ?? {}), provider });
}

/** Why `event` may not touch `row`, or null. */
function stale(
  row: ProfileListMemberTable,
  event: Stripe.Event,
  subscriptionId: string | null,
): string | null {
  if (row.provider_ref && subscriptionId && row.provider_ref !== subscriptionId)
    return `subscription ${subscriptionId} is not membership ${row.id}'s current one`;
  const last = paymentOf(row)?.provider.last_event_at ?? 0;
  if (event.created < last) return `older than the last event applied to membership ${row.id}`;
  if (isEnded(row.status)) return `membership ${row.id} is already ${row.status}`;
  return null;
}

async function move(
  tx: Ctx,
  row: ProfileListMemberTable,
  to: MembershipStatus,
  extra: Partial<ProfileListMemberTable>,
): Promise<ProfileListMemberTable> {
  return setMembershipStatus(tx, await listOf(tx, row), row, to, extra);
}

const checkoutCompleted: StoreEventHandler = async (tx, storeId, event) => {
  const session = event.data.object as Stripe.Checkout.Session;
  if (session.mode !== 'subscription') return 'not a subscription Checkout';
  if (!session.metadata?.membership_id) return 'Checkout Session has no metadata.membership_id';
  const subscriptionId = idOf(session.subscription);
  const row = await membershipOf(tx, storeId, session.metadata, null);
  // The shopper paid for a membership that was removed, has ended, or holds another subscription:
  // nothing will ever take this subscription, so it is cancelled instead of billing for nothing.
  const stray =
    !!subscriptionId &&
    (!row || isEnded(row.status) || (row.provider_ref !== null && row.provider_ref !== subscriptionId));
  if (stray) await cancelStraySubscription(tx, storeId, session.metadata.membership_id, subscriptionId);
  if (!row) return `no membership ${session.metadata.membership_id} in this store`;
  const why = stale(row, event, subscriptionId);
  if (why) return stray ? `${why}; its subscription is cancelled` : why;
  if (row.status !== 'pending') return `membership ${row.id} is already ${row.status}`;
  await move(tx, row, 'active', {
    provider_ref: subscriptionId,
    payment: paymentAfter(row, event, { subscription: subscriptionId, customer: idOf(session.customer) }),
  });
  return null;
};

const subscriptionUpdated: StoreEventHandler = async (tx, storeId, event) => {
  const sub = event.data.object as Sub;
  let row = await membershipOf(tx, storeId, sub.metadata, sub.id);
  if (!row) return `no membership for subscription ${sub.id}`;
  const why = stale(row, event, sub.id);
  if (why) return why;
  const last = paymentOf(row)?.provider.last_event_at ?? 0;
  const scheduled = sub.cancel_at_period_end || sub.cancel_at != null;
  const periodEnd = sub.items?.data?.[0]?.current_period_end ?? sub.current_period_end ?? null;
  const ids = { subscription: sub.id, customer: idOf(sub.customer) };
  if (row.status === 'pending') {
    // The subscription's own event may overtake the Checkout's: a live subscription activates.
    if (sub.status !== 'active' && sub.status !== 'trialing') return `subscription is ${sub.status}`;
    row = await move(tx, row, 'active', { provider_ref: sub.id, payment: paymentAfter(row, event, ids) });
  }
  let to: MembershipStatus | null = null;
  if (scheduled && row.status === 'active') to = 'cancellation_scheduled';
  // A withdrawn cancellation moves back to active only on a strictly newer event (same-second
  // events may arrive in either order).
  else if (!scheduled && row.status === 'cancellation_scheduled' && event.created > last) to = 'active';
  if (!to) {
    // A cancellation we asked for (unsubscribe) learns its period end here if the job did not.
    const endDate =
      scheduled && row.status === 'cancellation_scheduled' && row.end_date == null
        ? { end_date: sub.cancel_at ?? periodEnd }
        : {};
    await tx.db
      .updateTable('profile_list_members')
      .set({ payment: paymentAfter(row, event, ids), ...endDate })
      .where('id', '=', row.id)
      .execute();
    return null;
  }
  if (!canTransition(row.status, to)) return `membership ${row.id} cannot go from ${row.status} to ${to}`;
  await move(tx, row, to, {
    payment: paymentAfter(row, event, ids),
    ...(to === 'cancellation_scheduled' ? { end_date: sub.cancel_at ?? periodEnd } : {}),
  });
  return null;
};

const subscriptionDeleted: StoreEventHandler = async (tx, storeId, event) => {
  const sub = event.data.object as Sub;
  const row = await membershipOf(tx, storeId, sub.metadata, sub.id);
  if (!row) return `no membership for subscription ${sub.id}`;
  const why = stale(row, event, sub.id);
  if (why) return why;
  // Stripe gave up collecting payment → expired; otherwise the member (or the store) cancelled.
  const to: MembershipStatus =
    sub.cancellation_details?.reason === 'payment_failed' && row.status !== 'pending'
      ? 'expired'
      : 'cancelled';
  await move(tx, row, to, {
    provider_ref: sub.id,
    payment: paymentAfter(row, event, { subscription: sub.id, customer: idOf(sub.customer) }),
  });
  return null;
};

/** Filled into payments' `stripeStoreEvents` by the audiences manifest. */
export const paidListEvents: Readonly<Record<string, StoreEventHandler>> = {
  'checkout.session.completed': checkoutCompleted,
  'customer.subscription.updated': subscriptionUpdated,
  'customer.subscription.deleted': subscriptionDeleted,
};
