import type { Order, WorkflowStatus } from '@openarky/contract';
import type { Ctx } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import { recordPromoUse } from './promo-use.ts';
import type { OrderTable } from './commerce.table.ts';
import { loadOrder, toOrder } from './order.mapper.ts';
import { defineMachine, type Step } from '../../lib/state-machine.ts';
import { commitStock } from '../catalog/index.ts';
import { releaseHolds } from './holds.ts';
import type { OrderItemTable } from './commerce.table.ts';
import { ORDER_TRANSITIONS } from './order.transitions.ts';

type History = { action: string; reason?: string; timestamp: number }[];

/** Counts a promo use at confirmation; the conditional update keeps `uses ≤ max_uses` under concurrency. */
async function countPromoUse(ctx: Ctx, order: OrderTable): Promise<void> {
  if (!order.promo_code_id) return;
  const res = await ctx.db
    .updateTable('promo_codes')
    .set((eb) => ({ uses: eb('uses', '+', 1) }))
    .where('id', '=', order.promo_code_id)
    .where((eb) => eb.or([eb('max_uses', 'is', null), eb('uses', '<', eb.ref('max_uses'))]))
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) {
    const exists = await ctx.db
      .selectFrom('promo_codes')
      .select('id')
      .where('id', '=', order.promo_code_id)
      .executeTakeFirst();
    if (exists)
      throw new AppError('promo_code_invalid', 'Promo code cannot be used (max_uses_reached)', {
        reason: 'max_uses_reached',
      });
  }
  if (!order.profile_id) return;
  const promo = await ctx.db
    .selectFrom('promo_codes')
    .select('conditions')
    .where('id', '=', order.promo_code_id)
    .executeTakeFirst();
  const perUser = fromJson<{ type: string; value?: { value?: number } }[]>(promo?.conditions, []).find(
    (c) => c.type === 'max_uses_per_user',
  )?.value?.value;
  await recordPromoUse(ctx.db, {
    storeId: order.store_id,
    promoId: order.promo_code_id,
    profileId: order.profile_id,
    orderId: order.id,
    perUser,
    now: ctx.now(),
  });
}

/** What the order machine's guard and effects work on; `record` fills `updated` and `wire`. */
interface OrderMove {
  readonly ctx: Ctx;
  readonly order: OrderTable;
  items: readonly OrderItemTable[];
  readonly reason: string | undefined;
  /** The order was created in this transaction with exactly `items` (and no refunds). */
  readonly fresh: boolean;
  /**
   * The order and its items are not written yet (checkout's cash path, `stageConfirmation`): the
   * move changes `items` and `updated` in memory and the caller inserts them in their final state.
   * Its stock was taken as sold (`reserveStock(…, sold)`), so confirming commits none.
   */
  readonly staged: boolean;
  updated: OrderTable;
  wire: Order | null;
}

const confirmed = (i: OrderItemTable): OrderItemTable =>
  i.status === 'pending' ? { ...i, status: 'confirmed', expires_at: null } : i;

/** Confirmation commits the held stock of pending items and confirms them. */
async function commitItems(move: OrderMove): Promise<void> {
  const { ctx, order, items } = move;
  if (move.staged) {
    move.items = items.map(confirmed);
    return;
  }
  const now = ctx.now();
  for (const item of items.filter((i) => i.status === 'pending')) {
    if (item.inventory_level_id) await commitStock(ctx.db, item.inventory_level_id, item.quantity, now);
  }
  await ctx.db
    .updateTable('order_items')
    .set({ status: 'confirmed', expires_at: null })
    .where('order_id', '=', order.id)
    .where('status', '=', 'pending')
    .execute();
}

/** Cancel/fail returns pending stock, restocks confirmed stock and cancels the open items. */
async function releaseItems(
  { ctx, order, items, reason }: OrderMove,
  { to }: Step<WorkflowStatus>,
): Promise<void> {
  await releaseHolds(ctx, order, items, ctx.now());
  const itemReason = to === 'failed' ? 'payment_failed' : (reason ?? 'admin_rejected');
  await ctx.db
    .updateTable('order_items')
    .set({ status: 'cancelled', status_reason: itemReason, expires_at: null })
    .where('order_id', '=', order.id)
    .where('status', '!=', 'cancelled')
    .execute();
}

const announce =
  (event: 'order.confirmed' | 'order.cancelled') =>
  async ({ ctx, order, wire }: OrderMove): Promise<void> => {
    await emit(ctx, event, wire!, order.store_id);
  };

/**
 * The order workflow (CONTRACT §6.6): the transition table, the shipping guard, and the side
 * effects of confirming (commit stock, count the promo use) and cancelling or failing (release
 * stock, cancel items). Every move appends history and emits `order.updated`.
 */
export const ORDER_MACHINE = defineMachine<WorkflowStatus, OrderMove>({
  subject: 'An order',
  transitions: ORDER_TRANSITIONS,
  guard: ({ items }, { from, to }) => {
    if (to === 'shipped' && !items.some((i) => i.type === 'product')) {
      throw new AppError('invalid_transition', 'Only orders with product items can be shipped', { from, to });
    }
  },
  onEnter: {
    confirmed: [commitItems, ({ ctx, order }) => countPromoUse(ctx, order)],
    cancelled: [releaseItems],
    failed: [releaseItems],
  },
  record: async (move, { to }) => {
    const { ctx, order, reason } = move;
    const now = ctx.now();
    const history = fromJson<History>(order.history, []);
    history.push({
      action: to,
      ...(reason && (to === 'cancelled' || to === 'failed') ? { reason } : {}),
      timestamp: now,
    });
    move.updated = { ...order, workflow_status: to, history: toJson(history), updated_at: now };
    if (!move.staged)
      await ctx.db
        .updateTable('orders')
        .set({ workflow_status: to, history: move.updated.history, updated_at: now })
        .where('id', '=', order.id)
        .execute();
    move.wire = move.fresh
      ? toOrder(move.updated, to === 'confirmed' ? move.items.map(confirmed) : [...move.items], [])
      : await loadOrder(ctx.db, move.updated);
    await emit(ctx, 'order.updated', move.wire, order.store_id);
  },
  announce: {
    confirmed: [announce('order.confirmed')],
    cancelled: [announce('order.cancelled')],
  },
});

/** 409 invalid_transition unless `from → to` is in the order table. */
export function assertTransition(from: WorkflowStatus, to: WorkflowStatus): void {
  ORDER_MACHINE.assert(from, to);
}

/**
 * Moves an order through `ORDER_MACHINE` with its side effects. Runs in the caller's transaction,
 * on a row it has locked; returns the updated row. `newItems`: the items of an order created in
 * this very transaction (checkout), which is then neither reloaded nor re-read for its events —
 * every statement saved there shortens the time the stock rows stay locked.
 */
export async function changeWorkflow(
  ctx: Ctx,
  order: OrderTable,
  to: WorkflowStatus,
  reason?: string,
  newItems?: OrderItemTable[],
): Promise<OrderTable> {
  const items =
    newItems ??
    (await ctx.db
      .selectFrom('order_items')
      .selectAll()
      .where('order_id', '=', order.id)
      .orderBy('position')
      .execute());
  const move: OrderMove = {
    ctx,
    order,
    items,
    reason,
    fresh: newItems !== undefined,
    staged: false,
    updated: order,
    wire: null,
  };
  await ORDER_MACHINE.transition(move, order.workflow_status, to);
  return move.updated;
}

/**
 * Confirms an order checkout has not written yet (its stock taken as sold): the same machine move
 * as `changeWorkflow` — guard, promo use, history, `order.updated` and `order.confirmed` — with
 * the order row and items changed in memory. The caller inserts the returned rows and the events
 * (emitted into `ctx.outbox` if it collects them) in the same transaction.
 */
export async function stageConfirmation(
  ctx: Ctx,
  order: OrderTable,
  items: OrderItemTable[],
): Promise<{ order: OrderTable; items: OrderItemTable[] }> {
  const move: OrderMove = {
    ctx,
    order,
    items,
    reason: undefined,
    fresh: true,
    staged: true,
    updated: order,
    wire: null,
  };
  await ORDER_MACHINE.transition(move, order.workflow_status, 'confirmed');
  return { order: move.updated, items: [...move.items] };
}
