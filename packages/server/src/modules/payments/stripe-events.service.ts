import type Stripe from 'stripe';
import { withTx, type Ctx } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { stripeCredentials } from '../integrations/index.ts';
import { lockOrder, settleRefund } from '../commerce/index.ts';
import { applyIntent, outcomeOfEvent } from './intent.state.ts';
import { stripeWebhooks } from './stripe.client.ts';

const badSignature = () =>
  new AppError(
    'bad_request',
    'The Stripe-Signature header does not verify against this store’s webhook secret',
  );

/**
 * Verifies a raw Stripe webhook body with `constructEvent` and the secret; any failure (no
 * secret configured, no header, wrong signature, stale timestamp, not JSON) is the same 400.
 */
export function verifyEvent(
  raw: Buffer | undefined,
  signature: string | string[] | undefined,
  secret: string | null | undefined,
): Stripe.Event {
  if (!secret || !raw || typeof signature !== 'string') throw badSignature();
  try {
    return stripeWebhooks().constructEvent(raw, signature, secret);
  } catch {
    throw badSignature();
  }
}

/**
 * Records `event` once under `scope` (store id or `platform`); returns false when it was seen
 * before. Runs in the caller's transaction, so an event is recorded exactly when it is applied.
 */
export async function recordOnce(
  ctx: Ctx,
  scope: string,
  storeId: string | null,
  event: Stripe.Event,
): Promise<boolean> {
  const object = event.data.object as { id?: string };
  const res = await ctx.db
    .insertInto('payment_events')
    .values({
      id: `${scope}:${event.id}`,
      event_id: event.id,
      store_id: storeId,
      type: event.type,
      object_id: object.id ?? null,
      outcome: 'applied',
      note: null,
      created_at: ctx.now(),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function markIgnored(ctx: Ctx, scope: string, event: Stripe.Event, note: string): Promise<void> {
  await ctx.db
    .updateTable('payment_events')
    .set({ outcome: 'ignored', note: note.slice(0, 500) })
    .where('id', '=', `${scope}:${event.id}`)
    .execute();
  ctx.log.info({ stripe_event: event.id, type: event.type, note }, 'Stripe event recorded, not applied');
}

/**
 * A store's Stripe webhook (CONTRACT §6.5): verified with the store's integration secret, each
 * event applied once in one transaction with its effects (order, stock, outbox events).
 */
export async function receiveStoreEvent(
  ctx: Ctx,
  storeId: string,
  raw: Buffer | undefined,
  signature: string | string[] | undefined,
): Promise<{ received: true; duplicate: boolean }> {
  const creds = await stripeCredentials(ctx.db, ctx.config, storeId);
  const event = verifyEvent(raw, signature, creds?.webhook_secret);
  const integrationId = creds!.integration_id;
  return withTx(ctx, async (tx) => {
    if (!(await recordOnce(tx, storeId, storeId, event))) return { received: true as const, duplicate: true };
    const note = await applyStoreEvent(tx, storeId, integrationId, event);
    if (note) await markIgnored(tx, storeId, event, note);
    return { received: true as const, duplicate: false };
  });
}

/** Applies a verified event of a store's own Stripe account in the webhook's transaction; returns why it was not applied, or null. */
export type StoreEventHandler = (tx: Ctx, storeId: string, event: Stripe.Event) => Promise<string | null>;

declare module '../../lib/module.ts' {
  interface Extensions {
    /**
     * More event types on a store's Stripe webhook, by type (e.g. audiences: `checkout.session.completed`
     * of a paid audience list), set by one module's `provides: { stripeStoreEvents }`. The event is
     * already verified, recorded once and checked to carry no other store's `metadata.store_id`;
     * the handler runs in the webhook's transaction.
     */
    stripeStoreEvents: Readonly<Record<string, StoreEventHandler>>;
  }
}

/** Applies one verified event; returns why it was not applied, or null. */
async function applyStoreEvent(
  ctx: Ctx,
  storeId: string,
  integrationId: string,
  event: Stripe.Event,
): Promise<string | null> {
  const object = event.data.object as { object?: string; metadata?: Record<string, string> | null };
  const metadata = object.metadata ?? {};
  if (metadata.store_id !== undefined && metadata.store_id !== storeId)
    return `metadata.store_id ${metadata.store_id} is another store`;
  if (event.type.startsWith('payment_intent.')) {
    const pi = event.data.object as Stripe.PaymentIntent;
    const outcome = outcomeOfEvent(event.type, pi);
    if (!outcome) return `${event.type} is not handled`;
    if (!metadata.order_id) return 'PaymentIntent has no metadata.order_id';
    const order = await lockOrder(ctx.db, storeId, metadata.order_id);
    if (!order) return `no order ${metadata.order_id} in this store`;
    if (order.method_type !== 'credit_card') return `order ${order.id} is not a card order`;
    const res = await applyIntent(ctx, order, pi, outcome, integrationId);
    return res.applied ? null : res.note;
  }
  if (event.type === 'charge.refund.updated' || event.type === 'refund.updated') {
    const refund = event.data.object as Stripe.Refund;
    const status =
      refund.status === 'succeeded'
        ? 'succeeded'
        : refund.status === 'failed' || refund.status === 'canceled'
          ? 'failed'
          : null;
    if (!status) return `refund status ${refund.status} is not final`;
    const ok = await settleRefund(
      ctx,
      storeId,
      { providerRefundId: refund.id, refundId: metadata.refund_id ?? null },
      status,
    );
    return ok ? null : `refund ${refund.id} unknown here or already ${status}`;
  }
  const extra = ctx.modules.extension('stripeStoreEvents')?.[event.type];
  if (extra) return extra(ctx, storeId, event);
  return `${event.type} is not handled`;
}
