import type Stripe from 'stripe';
import { withTx, type Ctx, type Db } from '../../lib/context.ts';
import type { OutboxEvent } from '../../lib/events.ts';
import { expiredHolds, expireOrder, lockOrder } from '../commerce/index.ts';
import { stripeCredentials } from '../integrations/index.ts';
import { applyIntent, outcomeOfStatus } from './intent.state.ts';
import { describeStripeError, stripeClient } from './stripe.client.ts';

/** A pending card order quiet for this long is checked against Stripe (CONTRACT §6.5). */
export const RECONCILE_AFTER_SECONDS = 600;
const BATCH = 50;

async function retrieve(
  ctx: Ctx,
  storeId: string,
  intentId: string,
): Promise<{ pi: Stripe.PaymentIntent; integrationId: string; stripe: Stripe } | null> {
  const creds = await stripeCredentials(ctx.db, ctx.config, storeId);
  if (!creds?.secret_key) return null;
  const stripe = stripeClient(ctx.config, creds.secret_key);
  return { pi: await stripe.paymentIntents.retrieve(intentId), integrationId: creds.integration_id, stripe };
}

/**
 * Reconciliation: card orders still unpaid whose PaymentIntent has had no event for 10 minutes
 * are retrieved from Stripe (no transaction open) and brought in line, so a lost webhook never
 * loses a sale; then the PaymentIntent cancels owed since a hold expiry are retried
 * (`retryOwedCancels`). Returns how many orders changed or cancels were settled.
 */
export async function reconcileIntents(ctx: Ctx): Promise<number> {
  const quiet = await ctx.db
    .selectFrom('payment_intents')
    .innerJoin('orders', 'orders.id', 'payment_intents.order_id')
    .select(['payment_intents.order_id', 'payment_intents.store_id', 'payment_intents.intent_id'])
    .where('orders.workflow_status', 'in', ['created', 'pending', 'authorized'])
    .where('payment_intents.last_event_at', '<', ctx.now() - RECONCILE_AFTER_SECONDS)
    .orderBy('payment_intents.last_event_at')
    .limit(BATCH)
    .execute();
  let changed = 0;
  for (const row of quiet) {
    let found;
    try {
      found = await retrieve(ctx, row.store_id, row.intent_id);
    } catch (error) {
      ctx.log.warn(
        { order: row.order_id, stripe: describeStripeError(error) },
        'reconciliation: PaymentIntent retrieve failed',
      );
      continue;
    }
    if (!found) continue;
    const { pi, integrationId } = found;
    const applied = await withTx(ctx, async (tx) => {
      const order = await lockOrder(tx.db, row.store_id, row.order_id);
      if (!order) return false;
      const res = await applyIntent(tx, order, pi, outcomeOfStatus(pi), integrationId);
      if (!res.applied)
        tx.log.info({ order: order.id, intent: pi.id, note: res.note }, 'reconciliation: nothing applied');
      return res.applied && outcomeOfStatus(pi) !== null;
    });
    if (applied) changed++;
  }
  return changed + (await retryOwedCancels(ctx));
}

/**
 * Hold expiry: unpaid orders past `expires_at` are cancelled (`expired`), their stock and slots
 * released. The PaymentIntent is cancelled first, best effort; if Stripe says it was paid after
 * all, the order is confirmed instead (its stock is still held). If Stripe cannot be reached the
 * order is cancelled anyway and the cancel is recorded as owed (`cancel_owed_since`), so
 * reconciliation retries it until Stripe answers. Returns how many were expired.
 */
export async function expireHolds(ctx: Ctx): Promise<number> {
  const due = await expiredHolds(ctx.db, ctx.now(), BATCH);
  let expired = 0;
  for (const { id, store_id } of due) {
    const intent = await ctx.db
      .selectFrom('payment_intents')
      .select(['intent_id'])
      .where('order_id', '=', id)
      .executeTakeFirst();
    let paidAfterAll: { pi: Stripe.PaymentIntent; integrationId: string } | null = null;
    let cancelOwed = false;
    if (intent) {
      try {
        const creds = await stripeCredentials(ctx.db, ctx.config, store_id);
        if (creds?.secret_key) {
          const stripe = stripeClient(ctx.config, creds.secret_key);
          try {
            await stripe.paymentIntents.cancel(intent.intent_id, { cancellation_reason: 'abandoned' });
          } catch (error) {
            const pi = await stripe.paymentIntents.retrieve(intent.intent_id);
            if (pi.status === 'succeeded' || pi.status === 'requires_capture')
              paidAfterAll = { pi, integrationId: creds.integration_id };
            else if (pi.status !== 'canceled') throw error;
          }
        }
      } catch (error) {
        cancelOwed = true;
        ctx.log.warn(
          { order: id, stripe: describeStripeError(error) },
          'hold expiry: PaymentIntent cancel failed; order cancelled anyway, cancel retried by reconciliation',
        );
      }
    }
    const done = await withTx(ctx, async (tx) => {
      const order = await lockOrder(tx.db, store_id, id);
      if (!order) return false;
      if (paidAfterAll) {
        await applyIntent(
          tx,
          order,
          paidAfterAll.pi,
          outcomeOfStatus(paidAfterAll.pi),
          paidAfterAll.integrationId,
        );
        return false;
      }
      const cancelled = (await expireOrder(tx, order)) !== null;
      // Stripe cancelled it: recorded, so the order.cancelled subscriber owes no second cancel.
      if (cancelled && intent)
        await tx.db
          .updateTable('payment_intents')
          .set(
            cancelOwed
              ? { cancel_owed_since: tx.now(), updated_at: tx.now() }
              : { status: 'canceled', updated_at: tx.now() },
          )
          .where('order_id', '=', id)
          .execute();
      return cancelled;
    });
    if (done) expired++;
  }
  return expired;
}

/**
 * An order cancelled on our side by any path (an admin, the shopper, hold expiry) must not stay
 * payable at Stripe: a live PaymentIntent of it is owed a cancel, which reconciliation makes within
 * a minute (`retryOwedCancels`). Runs in the outbox dispatch, once per event. A payment landing
 * before that is refunded as a late payment. Paid or already cancelled intents owe nothing.
 */
export async function oweCancelOfCancelledOrder(db: Db, event: OutboxEvent, now: number): Promise<void> {
  if (event.type !== 'order.cancelled') return;
  const orderId = (event.data as { id?: unknown } | null)?.id;
  if (typeof orderId !== 'string') return;
  await db
    .updateTable('payment_intents')
    .set({ cancel_owed_since: now, updated_at: now })
    .where('order_id', '=', orderId)
    .where('cancel_owed_since', 'is', null)
    .where('status', 'not in', ['succeeded', 'canceled'])
    .execute();
}

/**
 * Cancels the PaymentIntents whose cancel is owed (it failed at hold expiry, or the order was
 * cancelled on our side; part of reconciliation), so an intent does not stay payable for a
 * cancelled order. Cancelled, or already `canceled` at Stripe:
 * the debt is cleared. Paid meanwhile (its webhook lost): applied to the order, which refunds the
 * late payment. Stripe still unreachable: kept, tried again at the next run (oldest attempt first).
 * Returns how many were settled.
 */
export async function retryOwedCancels(ctx: Ctx): Promise<number> {
  const owed = await ctx.db
    .selectFrom('payment_intents')
    .select(['order_id', 'store_id', 'intent_id'])
    .where('cancel_owed_since', 'is not', null)
    .orderBy('updated_at')
    .limit(BATCH)
    .execute();
  let settled = 0;
  for (const row of owed) {
    let paid: { pi: Stripe.PaymentIntent; integrationId: string } | null = null;
    let cancelled = false;
    try {
      const creds = await stripeCredentials(ctx.db, ctx.config, row.store_id);
      if (!creds?.secret_key) {
        ctx.log.warn(
          { order: row.order_id },
          'owed PaymentIntent cancel dropped: no active Stripe integration',
        );
      } else {
        const stripe = stripeClient(ctx.config, creds.secret_key);
        try {
          await stripe.paymentIntents.cancel(row.intent_id, { cancellation_reason: 'abandoned' });
          cancelled = true;
        } catch (error) {
          const pi = await stripe.paymentIntents.retrieve(row.intent_id);
          if (pi.status === 'succeeded') paid = { pi, integrationId: creds.integration_id };
          else if (pi.status === 'canceled') cancelled = true;
          else throw error;
        }
      }
    } catch (error) {
      ctx.log.warn(
        { order: row.order_id, stripe: describeStripeError(error) },
        'reconciliation: owed PaymentIntent cancel failed again; retried at the next run',
      );
      await ctx.db
        .updateTable('payment_intents')
        .set({ updated_at: ctx.now() })
        .where('order_id', '=', row.order_id)
        .execute();
      continue;
    }
    await withTx(ctx, async (tx) => {
      if (paid) {
        const order = await lockOrder(tx.db, row.store_id, row.order_id);
        if (order) await applyIntent(tx, order, paid.pi, outcomeOfStatus(paid.pi), paid.integrationId);
      }
      await tx.db
        .updateTable('payment_intents')
        .set({ cancel_owed_since: null, ...(cancelled ? { status: 'canceled' } : {}), updated_at: tx.now() })
        .where('order_id', '=', row.order_id)
        .execute();
    });
    settled++;
  }
  return settled;
}
