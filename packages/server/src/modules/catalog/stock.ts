import type { Db } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';

/** What stock reservation reads of a checkout line (commerce's `ResolvedLine` is one). */
export interface StockLine {
  readonly index: number;
  readonly type: string;
  readonly variant_id?: string | undefined;
  readonly quantity: number;
}

export interface Reservation {
  inventory_level_id: string | null;
  location_id: string | null;
}

/**
 * Reserves stock for product lines (CONTRACT §6.4 step 3): for each line the first level with
 * enough stock is decremented by one conditional UPDATE (`… WHERE available >= qty`), so two
 * concurrent checkouts can never both take the last units, whatever the engine. Unlimited (-1)
 * levels are untouched. Lines are processed in variant order so row locks are always taken in
 * the same order (no deadlocks between concurrent checkouts on PostgreSQL).
 *
 * One statement per line when the first level able to serve it has a limited stock (the usual
 * case): the level is picked by a subquery of the UPDATE, which takes the row lock. Otherwise (an
 * unlimited level first, or that level emptied meanwhile) the levels are read and tried in order.
 * `sold`: the units leave `available` without passing through `reserved` (an order confirmed in
 * the same transaction, where reserve-then-commit would be two updates of the same row).
 */
export async function reserveStock<L extends StockLine>(
  db: Db,
  lines: readonly L[],
  now: number,
  pickupLocationId: string | null,
  sold = false,
): Promise<Map<L, Reservation>> {
  const out = new Map<L, Reservation>();
  const products = lines
    .filter((l) => l.type === 'product')
    .sort((a, b) =>
      a.variant_id! < b.variant_id! ? -1 : a.variant_id! > b.variant_id! ? 1 : a.index - b.index,
    );
  const take = (q: number) =>
    db
      .updateTable('inventory_levels')
      .set((eb) => ({
        available: eb('available', '-', q),
        ...(sold ? {} : { reserved: eb('reserved', '+', q) }),
        updated_at: now,
      }))
      .where('available', '>=', q)
      .returning(['id', 'location_id']);
  for (const line of products) {
    const q = line.quantity;
    let pick = db
      .selectFrom('inventory_levels as l')
      .select('l.id')
      .where('l.variant_id', '=', line.variant_id!)
      .where((w) => w.or([w('l.available', '>=', q), w('l.available', '=', -1)]))
      .orderBy('l.position')
      .limit(1);
    if (pickupLocationId) pick = pick.where('l.location_id', '=', pickupLocationId);
    const fast = await take(q).where('id', '=', pick).executeTakeFirst();
    let reserved: Reservation | null = fast
      ? { inventory_level_id: fast.id, location_id: fast.location_id }
      : null;
    if (!reserved) {
      let levels = await db
        .selectFrom('inventory_levels')
        .select(['id', 'location_id', 'available'])
        .where('variant_id', '=', line.variant_id!)
        .orderBy('position')
        .execute();
      if (pickupLocationId) levels = levels.filter((l) => l.location_id === pickupLocationId);
      for (const level of levels) {
        if (level.available === -1) {
          reserved = { inventory_level_id: null, location_id: level.location_id };
          break;
        }
        if (await take(q).where('id', '=', level.id).executeTakeFirst()) {
          reserved = { inventory_level_id: level.id, location_id: level.location_id };
          break;
        }
      }
    }
    if (!reserved)
      throw new AppError('insufficient_stock', `Not enough stock for items.${line.index}`, {
        field: `items.${line.index}`,
      });
    out.set(line, reserved);
  }
  return out;
}

/** Confirmation: the held units leave `reserved` (they are sold). */
export async function commitStock(db: Db, levelId: string, quantity: number, now: number): Promise<void> {
  await db
    .updateTable('inventory_levels')
    .set((eb) => ({ reserved: eb('reserved', '-', quantity), updated_at: now }))
    .where('id', '=', levelId)
    .execute();
}

/** Cancellation: pending units go back from `reserved` to `available`; confirmed units are restocked. */
export async function returnStock(
  db: Db,
  levelId: string,
  quantity: number,
  wasConfirmed: boolean,
  now: number,
): Promise<void> {
  await db
    .updateTable('inventory_levels')
    .set((eb) =>
      wasConfirmed
        ? { available: eb('available', '+', quantity), updated_at: now }
        : {
            available: eb('available', '+', quantity),
            reserved: eb('reserved', '-', quantity),
            updated_at: now,
          },
    )
    .where('id', '=', levelId)
    .execute();
}
