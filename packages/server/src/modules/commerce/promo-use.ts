import type { Db } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { forUpdate } from '../../db/create-db.ts';

/**
 * Promo uses per profile live in commerce's own table (not in a JSON column of `profiles`), one
 * row per confirmed order. Counting and the per-user limit run under a lock of the profile row, so
 * concurrent checkouts of one customer are serialized and `max_uses_per_user` holds on both engines.
 */

/** The wire `Profile.promo_usage`: uses per promo code. */
export async function promoUsage(
  db: Db,
  profileId: string,
): Promise<{ promo_code_id: string; uses: number }[]> {
  const rows = await db
    .selectFrom('promo_uses')
    .select(['promo_code_id', (eb) => eb.fn.countAll<number>().as('uses')])
    .where('profile_id', '=', profileId)
    .groupBy('promo_code_id')
    .orderBy('promo_code_id')
    .execute();
  return rows.map((r) => ({ promo_code_id: r.promo_code_id, uses: Number(r.uses) }));
}

/** How many times `profileId` used `promoId`. */
export async function promoUsesOf(db: Db, promoId: string, profileId: string): Promise<number> {
  const row = await db
    .selectFrom('promo_uses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('promo_code_id', '=', promoId)
    .where('profile_id', '=', profileId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Counts one use by the order's profile, refusing it past `perUser` (max_uses_per_user). Runs in
 * the confirming transaction; the profile row lock makes check-then-insert atomic per customer.
 */
export async function recordPromoUse(
  db: Db,
  use: {
    storeId: string;
    promoId: string;
    profileId: string;
    orderId: string;
    perUser: number | undefined;
    now: number;
  },
): Promise<void> {
  const profile = await forUpdate(
    db,
    db.selectFrom('profiles').select('id').where('id', '=', use.profileId),
  ).executeTakeFirst();
  if (!profile) return;
  if (use.perUser !== undefined && (await promoUsesOf(db, use.promoId, use.profileId)) >= use.perUser) {
    throw new AppError('promo_code_invalid', 'Promo code cannot be used (max_uses_per_user_reached)', {
      reason: 'max_uses_per_user_reached',
    });
  }
  await db
    .insertInto('promo_uses')
    .values({
      id: newId('promo'),
      store_id: use.storeId,
      promo_code_id: use.promoId,
      profile_id: use.profileId,
      order_id: use.orderId,
      created_at: use.now,
    })
    .onConflict((oc) => oc.column('order_id').doNothing())
    .execute();
}

/** Profile merge: the uses follow the customer, so a fresh guest cannot dodge a per-user limit. */
export async function movePromoUses(db: Db, fromProfileId: string, intoProfileId: string): Promise<void> {
  await db
    .updateTable('promo_uses')
    .set({ profile_id: intoProfileId })
    .where('profile_id', '=', fromProfileId)
    .execute();
}
