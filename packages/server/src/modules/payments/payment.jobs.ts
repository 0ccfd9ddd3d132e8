import type Stripe from 'stripe';
import { withTx, type Ctx } from '../../lib/context.ts';
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
 * loses a sale. Returns how many orders changed.
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
  return changed;
}

/**
 * Hold expiry: unpaid orders past `expires_at` are cancelled (`expired`), their stock and slots
 * released. The PaymentIntent is cancelled first, best effort; if Stripe says it was paid after
 * all, the order is confirmed instead (its stock is still held). Returns how many were expired.
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
        ctx.log.warn(
          { order: id, stripe: describeStripeError(error) },
          'hold expiry: PaymentIntent cancel failed (best effort); order cancelled anyway',
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
      return (await expireOrder(tx, order)) !== null;
    });
    if (done) expired++;
  }
  return expired;
}
