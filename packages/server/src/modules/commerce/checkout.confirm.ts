import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { CheckoutResult } from '@openarky/contract';
import type { Ctx, Db } from '../../lib/context.ts';
import { engineOf } from '../../db/create-db.ts';
import { emit, type OutboxRow } from '../../lib/events.ts';
import { reserveStock, type Reservation } from '../catalog/index.ts';
import type { OrderItemTable, OrderTable } from './commerce.table.ts';
import type { ResolvedLine } from './lines.ts';
import { toOrder } from './order.mapper.ts';
import { stageConfirmation } from './order.workflow.ts';

/**
 * Checkout's end for an order confirmed at once (cash, or nothing to pay; product lines only).
 * Two contended rows are written: the stock levels of its lines and the store's order counter.
 * Both are taken last, so the time they stay locked is one statement each before COMMIT:
 *   1. `reserveStock(…, sold)`: one conditional UPDATE per line (the stock rows lock here);
 *   2. the order, its items and every event (`order.created`, `order.updated`,
 *      `order.confirmed`, `cart.converted`) built in memory, in their final state — the order
 *      machine runs on them staged (`stageConfirmation`), only a promo use touches the database;
 *   3. one statement on PostgreSQL (data-modifying CTEs): the order number from the counter
 *      upsert (which locks it), the order, items and events inserted with that number; on
 *      SQLite, which serializes writers anyway, the upsert and three inserts.
 * The number is not known while the rows are built: they carry a random placeholder, replaced by
 * the allocated number in the statement that inserts them.
 */
export async function confirmAtOnce(
  tx: Ctx,
  storeId: string,
  lines: ResolvedLine[],
  pickupLocationId: string | null,
  cart: { cartId: string; orderId: string } | null,
  build: (reservations: Map<ResolvedLine, Reservation>, number: string) => OrderDraft,
): Promise<CheckoutResult> {
  const now = tx.now();
  // The caller holds the cart's lock: no other checkout waits for this row.
  if (cart)
    await tx.db
      .updateTable('carts')
      .set({ status: 'converted', converted_order_id: cart.orderId, updated_at: now, last_activity_at: now })
      .where('id', '=', cart.cartId)
      .execute();
  const reservations = await reserveStock(tx.db, lines, now, pickupLocationId, true);
  const placeholder = `#${randomBytes(12).toString('hex')}#`;
  const draft = build(reservations, placeholder);
  const outbox: OutboxRow[] = [];
  const staging: Ctx = { ...tx, outbox };
  await emit(staging, 'order.created', toOrder(draft.row, draft.items, []), storeId);
  const final = await stageConfirmation(staging, draft.row, draft.items);
  if (cart)
    await emit(
      staging,
      'cart.converted',
      { id: cart.cartId, store_id: storeId, converted_order_id: cart.orderId },
      storeId,
    );
  const number = await insertNumbered(tx.db, final.order, final.items, outbox, placeholder);
  return {
    order_id: draft.row.id,
    number,
    client_secret: null,
    payment: toOrder(final.order, [], []).payment,
  };
}

export interface OrderDraft {
  row: OrderTable;
  items: OrderItemTable[];
}

/**
 * Allocates the store's next order number ("1001" first) and inserts the order, its items and
 * its events with `placeholder` replaced by it. Returns the number.
 */
async function insertNumbered(
  db: Db,
  order: OrderTable,
  items: OrderItemTable[],
  outbox: OutboxRow[],
  placeholder: string,
): Promise<string> {
  const counter = { store_id: order.store_id, last_number: 1001 };
  if (engineOf(db) === 'postgres') {
    const number = sql<string>`(SELECT last_number::text FROM c)`;
    const fill = (text: string) => sql<string>`replace(${text}, ${placeholder}, ${number})`;
    const row = await db
      .with('c', (q) =>
        q
          .insertInto('order_counters')
          .values(counter)
          .onConflict((oc) =>
            oc
              .column('store_id')
              .doUpdateSet((eb) => ({ last_number: eb('order_counters.last_number', '+', 1) })),
          )
          .returning('last_number'),
      )
      .with('o', (q) =>
        q
          .insertInto('orders')
          .values({
            ...order,
            seq: sql<number>`(SELECT last_number FROM c)`,
            number,
            search_text: fill(order.search_text),
          })
          .returning('id'),
      )
      .with('i', (q) => q.insertInto('order_items').values(items).returning('id'))
      .with('e', (q) =>
        q
          .insertInto('outbox_events')
          .values(outbox.map((e) => ({ ...e, data: fill(e.data) })))
          .returning('id'),
      )
      .selectFrom('c')
      .select('last_number')
      .executeTakeFirstOrThrow();
    return String(row.last_number);
  }
  const seq = await nextOrderNumber(db, order.store_id);
  const number = String(seq);
  const fill = (text: string) => text.replaceAll(placeholder, number);
  await db
    .insertInto('orders')
    .values({ ...order, seq, number, search_text: fill(order.search_text) })
    .execute();
  await db.insertInto('order_items').values(items).execute();
  await db
    .insertInto('outbox_events')
    .values(outbox.map((e) => ({ ...e, data: fill(e.data) })))
    .execute();
  return number;
}

/**
 * Next per-store order number ("1001" first): one upsert on the counter row in the checkout
 * transaction (the row stays locked until commit, so it is taken as late as possible).
 */
export async function nextOrderNumber(db: Db, storeId: string): Promise<number> {
  const row = await db
    .insertInto('order_counters')
    .values({ store_id: storeId, last_number: 1001 })
    .onConflict((oc) =>
      oc.column('store_id').doUpdateSet((eb) => ({ last_number: eb('order_counters.last_number', '+', 1) })),
    )
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return Number(row.last_number);
}
