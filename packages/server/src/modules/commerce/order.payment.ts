import type { CancelReason, OrderPayment, WorkflowStatus } from '@openarky/contract';
import type { Static } from '@sinclair/typebox';
import { forUpdate } from '../../db/create-db.ts';
import { withTx, type Ctx, type Db } from '../../lib/context.ts';
import { emit } from '../../lib/events.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import type { OrderTable, RefundTable } from './commerce.table.ts';
import { releaseHolds } from './holds.ts';
import { loadOrder } from './order.mapper.ts';
import { REFUND_TRANSITIONS } from './refund.transitions.ts';
import { changeWorkflow, ORDER_MACHINE } from './order.workflow.ts';

/** What a card payment provider reports about an order's payment (CONTRACT §6.5 event table). */
export type CardOutcome =
  | { kind: 'authorized'; amount: number }
  | { kind: 'succeeded'; amount: number }
  | { kind: 'failed'; reason: string | null }
  | { kind: 'canceled'; reason?: Static<typeof CancelReason> };

/** `applied`, or `ignored` with why (out of order, final state, another intent). */
export type OutcomeResult = { applied: true; order: OrderTable } | { applied: false; note: string };

/** The order row under a row lock (PostgreSQL; SQLite serializes writers). */
export async function lockOrder(db: Db, storeId: string, orderId: string): Promise<OrderTable | undefined> {
  return forUpdate(
    db,
    db.selectFrom('orders').selectAll().where('store_id', '=', storeId).where('id', '=', orderId),
  ).executeTakeFirst();
}

async function setPayment(
  ctx: Ctx,
  order: OrderTable,
  patch: Partial<OrderPayment> & Record<string, unknown>,
  paid?: number,
): Promise<OrderTable> {
  const payment = { ...fromJson<Record<string, unknown>>(order.payment, {}), ...patch };
  const now = ctx.now();
  const next: OrderTable = { ...order, payment: toJson(payment), paid: paid ?? order.paid, updated_at: now };
  await ctx.db
    .updateTable('orders')
    .set({ payment: next.payment, paid: next.paid, updated_at: now })
    .where('id', '=', order.id)
    .execute();
  return next;
}

/**
 * Second step of a card checkout (CONTRACT §6.4 step 4), in its own transaction after the
 * PaymentIntent exists: the intent is recorded on the order, `created → pending`, the cart is
 * converted and `order.created` is written. Idempotent: a Stripe webhook that overtakes the
 * checkout response runs it first, and the checkout's own call then only returns the order.
 */
export async function beginCardPayment(
  ctx: Ctx,
  order: OrderTable,
  intent: { id: string; customer: string | null },
): Promise<OrderTable> {
  if (order.workflow_status !== 'created') return order;
  const now = ctx.now();
  let row = await setPayment(ctx, order, {
    provider: { type: 'stripe', profile_id: intent.customer ?? null, payment_intent_id: intent.id },
  });
  await emit(ctx, 'order.created', await loadOrder(ctx.db, row), row.store_id);
  row = await changeWorkflow(ctx, row, 'pending');
  if (row.source_cart_id) {
    // The cart was claimed in the checkout transaction; this only stamps and announces it.
    await ctx.db
      .updateTable('carts')
      .set({ status: 'converted', converted_order_id: row.id, updated_at: now, last_activity_at: now })
      .where('id', '=', row.source_cart_id)
      .execute();
    await emit(
      ctx,
      'cart.converted',
      { id: row.source_cart_id, store_id: row.store_id, converted_order_id: row.id },
      row.store_id,
    );
  }
  return row;
}

/**
 * Applies what the provider reports to a locked order, never moving it backwards: a transition
 * not in the order table (`succeeded` after `failed`, `authorized` after `confirmed`) is ignored
 * and reported, so the caller records the event without applying it.
 */
export async function applyCardOutcome(
  ctx: Ctx,
  order: OrderTable,
  outcome: CardOutcome,
): Promise<OutcomeResult> {
  const from = order.workflow_status;
  const now = ctx.now();
  const refuse = (to: WorkflowStatus): OutcomeResult => ({
    applied: false,
    note: `order is ${from}; ${outcome.kind} would need ${from} → ${to}`,
  });
  switch (outcome.kind) {
    case 'authorized': {
      if (!ORDER_MACHINE.can(from, 'authorized')) return refuse('authorized');
      const row = await setPayment(ctx, order, {
        status: { status: 'authorized', at: now, amount: outcome.amount },
      } as never);
      return { applied: true, order: await changeWorkflow(ctx, row, 'authorized') };
    }
    case 'succeeded': {
      const wasPaid = order.paid >= order.total;
      const captured = { status: { status: 'captured', at: now, amount: outcome.amount } } as never;
      if (!ORDER_MACHINE.can(from, 'confirmed')) {
        // Confirmed by hand before the money arrived: record what was captured, no transition.
        if (['confirmed', 'shipped', 'completed'].includes(from) && order.paid < outcome.amount) {
          const row = await setPayment(ctx, order, captured, outcome.amount);
          await emitPaid(ctx, row, wasPaid);
          await emit(ctx, 'order.updated', await loadOrder(ctx.db, row), row.store_id);
          return { applied: true, order: row };
        }
        return refuse('confirmed');
      }
      const row = await setPayment(ctx, order, captured, outcome.amount);
      await emitPaid(ctx, row, wasPaid);
      return { applied: true, order: await changeWorkflow(ctx, row, 'confirmed') };
    }
    case 'failed': {
      if (!ORDER_MACHINE.can(from, 'failed')) return refuse('failed');
      const row = await setPayment(ctx, order, {
        status: { status: 'failed', at: now, ...(outcome.reason ? { reason: outcome.reason } : {}) },
      } as never);
      const failed = await changeWorkflow(ctx, row, 'failed', 'payment_failed');
      await emit(ctx, 'order.payment_failed', await loadOrder(ctx.db, failed), failed.store_id);
      return { applied: true, order: failed };
    }
    case 'canceled': {
      if (!ORDER_MACHINE.can(from, 'cancelled')) return refuse('cancelled');
      return {
        applied: true,
        order: await changeWorkflow(ctx, order, 'cancelled', outcome.reason ?? 'other'),
      };
    }
  }
}

async function emitPaid(ctx: Ctx, row: OrderTable, wasPaid: boolean): Promise<void> {
  if (wasPaid || row.paid < row.total) return;
  const wire = await loadOrder(ctx.db, row);
  await emit(ctx, 'order.payment_received', wire, row.store_id);
  await emit(ctx, 'order.paid', wire, row.store_id);
}

/** Hold expiry (CONTRACT §6.5): an unpaid order past its items' `expires_at` is cancelled (`expired`), its holds released. */
export async function expireOrder(ctx: Ctx, order: OrderTable): Promise<OrderTable | null> {
  if (
    !ORDER_MACHINE.can(order.workflow_status, 'cancelled') ||
    !['created', 'pending', 'authorized'].includes(order.workflow_status)
  )
    return null;
  return changeWorkflow(ctx, order, 'cancelled', 'expired');
}

/** Unpaid orders (created/pending/authorized) with an item hold that expired before `now`. */
export async function expiredHolds(
  db: Db,
  now: number,
  limit: number,
): Promise<{ id: string; store_id: string }[]> {
  return db
    .selectFrom('orders')
    .select(['orders.id', 'orders.store_id'])
    .where('orders.workflow_status', 'in', ['created', 'pending', 'authorized'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('order_items')
          .select('order_items.id')
          .whereRef('order_items.order_id', '=', 'orders.id')
          .where('order_items.status', '=', 'pending')
          .where('order_items.expires_at', '<', now),
      ),
    )
    .orderBy('orders.created_at')
    .limit(limit)
    .execute();
}

/**
 * Undoes a card checkout whose PaymentIntent could not be created: the order was never announced
 * (`order.created` is written only once the intent exists), so its holds are released and its rows
 * deleted — nothing is left behind. A no-op once the order has moved on.
 */
export async function discardCardOrder(ctx: Ctx, storeId: string, orderId: string): Promise<void> {
  await withTx(ctx, async (tx) => {
    const order = await lockOrder(tx.db, storeId, orderId);
    if (!order || order.workflow_status !== 'created') return;
    const items = await tx.db.selectFrom('order_items').selectAll().where('order_id', '=', orderId).execute();
    await releaseHolds(tx, order, items, tx.now());
    await tx.db.deleteFrom('order_items').where('order_id', '=', orderId).execute();
    await tx.db.deleteFrom('orders').where('id', '=', orderId).execute();
    if (order.source_cart_id) {
      await tx.db
        .updateTable('carts')
        .set({ status: 'active', converted_order_id: null })
        .where('id', '=', order.source_cart_id)
        .where('converted_order_id', '=', orderId)
        .execute();
    }
  });
}

/**
 * A provider's word on a refund (`charge.refund.updated`), found by the provider's id or, when
 * the webhook overtakes the refund call's answer, by our own id. Returns false when there is no
 * such refund or the change is not in `REFUND_TRANSITIONS`.
 */
export async function settleRefund(
  ctx: Ctx,
  storeId: string,
  ref: { providerRefundId: string; refundId: string | null },
  status: RefundTable['status'],
): Promise<boolean> {
  let q = ctx.db.selectFrom('refunds').selectAll().where('store_id', '=', storeId);
  q = ref.refundId
    ? q.where((eb) =>
        eb.or([eb('provider_refund_id', '=', ref.providerRefundId), eb('id', '=', ref.refundId!)]),
      )
    : q.where('provider_refund_id', '=', ref.providerRefundId);
  const refund = await q.executeTakeFirst();
  if (!refund) return false;
  const order = await lockOrder(ctx.db, storeId, refund.order_id);
  const current = await ctx.db
    .selectFrom('refunds')
    .selectAll()
    .where('id', '=', refund.id)
    .executeTakeFirstOrThrow();
  if (!order || !REFUND_TRANSITIONS[current.status].includes(status)) return false;
  const now = ctx.now();
  await ctx.db
    .updateTable('refunds')
    .set({ status, provider_refund_id: ref.providerRefundId, updated_at: now })
    .where('id', '=', refund.id)
    .execute();
  await ctx.db.updateTable('orders').set({ updated_at: now }).where('id', '=', order.id).execute();
  await emit(ctx, 'order.updated', await loadOrder(ctx.db, { ...order, updated_at: now }), storeId);
  return true;
}
