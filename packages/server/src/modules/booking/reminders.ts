import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.ts';
import type { Ctx, Db } from '../../lib/context.ts';
import { emit } from '../../lib/events.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import { forUpdate, forUpdateSkipLocked } from '../../db/create-db.ts';
import { loadOrder } from '../commerce/index.ts';

/** One marker row per (item, reminder minute value) whose time is still ahead (CONTRACT §7.2). */
export async function scheduleReminders(
  db: Db,
  r: { storeId: string; orderId: string; itemId: string; from: number; reminders: number[]; now: number },
): Promise<void> {
  for (const minutes of new Set(r.reminders)) {
    const due = r.from - minutes * 60;
    // A reminder whose time has already passed when the slot is booked is not sent.
    if (due <= r.now) continue;
    await db
      .insertInto('booking_reminders')
      .values({
        item_id: r.itemId,
        minutes,
        store_id: r.storeId,
        order_id: r.orderId,
        due_at: due,
        fired_at: null,
        outcome: null,
      })
      .onConflict((oc) => oc.columns(['item_id', 'minutes']).doNothing())
      .execute();
  }
}

/** `emit` reads only db and clock. */
const jobCtx = (db: Db, now: number): Ctx => ({ db, now: () => now }) as Pick<Ctx, 'db' | 'now'> as Ctx;

/**
 * Fires due reminders once per cluster: rows are claimed with `FOR UPDATE SKIP LOCKED` (other
 * sweepers skip them) and flipped by a conditional update of `fired_at` (the marker), in the same
 * transaction as the `order.reminder` event. Reminders of items no longer booked are marked
 * skipped; those of pending items wait for the payment. Returns how many rows were settled.
 */
export async function sweepReminders(db: Kysely<Database>, now: number, batch = 100): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const due = await forUpdateSkipLocked(
      trx,
      trx
        .selectFrom('booking_reminders')
        .innerJoin('order_items', 'order_items.id', 'booking_reminders.item_id')
        .select([
          'booking_reminders.item_id',
          'booking_reminders.minutes',
          'booking_reminders.order_id',
          'booking_reminders.store_id',
          'booking_reminders.due_at',
          'order_items.status',
          'order_items.expires_at',
        ])
        .where('booking_reminders.fired_at', 'is', null)
        .where('booking_reminders.due_at', '<=', now)
        .where((eb) =>
          eb.or([eb('order_items.status', '!=', 'pending'), eb('order_items.expires_at', '<=', now)]),
        )
        .orderBy('booking_reminders.due_at')
        .limit(batch),
    ).execute();
    for (const r of due) {
      const fire = r.status === 'confirmed';
      const res = await trx
        .updateTable('booking_reminders')
        .set({ fired_at: now, outcome: fire ? 'fired' : 'skipped' })
        .where('item_id', '=', r.item_id)
        .where('minutes', '=', r.minutes)
        .where('fired_at', 'is', null)
        .executeTakeFirst();
      if (!fire || Number(res.numUpdatedRows) !== 1) continue;
      const order = await forUpdate(
        trx,
        trx.selectFrom('orders').selectAll().where('id', '=', r.order_id),
      ).executeTakeFirst();
      if (!order) continue;
      const fired = [...fromJson<number[]>(order.fired_reminders, []), Number(r.due_at)];
      const updated = { ...order, fired_reminders: toJson(fired), updated_at: now };
      await trx
        .updateTable('orders')
        .set({ fired_reminders: updated.fired_reminders, updated_at: now })
        .where('id', '=', order.id)
        .execute();
      const wire = await loadOrder(trx, updated);
      await emit(
        jobCtx(trx, now),
        'order.reminder',
        { ...wire, reminder: { item_id: r.item_id, minutes: r.minutes, due_at: Number(r.due_at) } },
        r.store_id,
      );
    }
    return due.length;
  });
}
