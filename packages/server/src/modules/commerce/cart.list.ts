import type { Cart, ListCartsQuery, PageOf } from '@openarky/contract';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.ts';
import type { Ctx } from '../../lib/context.ts';
import { emit } from '../../lib/events.ts';
import { paginate } from '../../lib/pagination.ts';
import { toCart } from './cart.mapper.ts';
import { CART_MACHINE } from './cart.machine.ts';

/* Carts in bulk: the admin list and the recurring abandonment/expiry sweep. */

export async function findCarts(ctx: Ctx, storeId: string, q: ListCartsQuery): Promise<PageOf<Cart>> {
  let qb = ctx.db.selectFrom('carts').selectAll().where('store_id', '=', storeId);
  if (q.profile_id) qb = qb.where('profile_id', '=', q.profile_id);
  if (q.statuses?.length) qb = qb.where('status', 'in', q.statuses);
  if (q.origins?.length) qb = qb.where('origin', 'in', q.origins);
  if (q.has_items !== undefined) qb = qb.where('item_count', q.has_items ? '>' : '=', 0);
  if (q.created_at_from !== undefined) qb = qb.where('created_at', '>=', q.created_at_from);
  if (q.created_at_to !== undefined) qb = qb.where('created_at', '<=', q.created_at_to);
  const page = await paginate(qb, q, {
    columns: { created_at: 'created_at', updated_at: 'updated_at', last_activity_at: 'last_activity_at' },
  });
  return { ...page, items: page.items.map(toCart) };
}

/** Abandonment (24 h idle, non-empty) and expiry (30 days idle): run by a recurring job. */
export async function sweepCarts(db: Kysely<Database>, now: number): Promise<void> {
  const idle = await db
    .selectFrom('carts')
    .selectAll()
    .where('status', 'in', CART_MACHINE.sources('abandoned'))
    .where('item_count', '>', 0)
    .where('last_activity_at', '<', now - 86_400)
    .limit(500)
    .execute();
  for (const row of idle) {
    await db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('carts')
        .set({ status: 'abandoned', abandoned_at: now, updated_at: now })
        .where('id', '=', row.id)
        .where('status', '=', row.status)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1)
        await emit(
          { db: trx, now: () => now },
          'cart.abandoned',
          toCart({ ...row, status: 'abandoned', abandoned_at: now }),
          row.store_id,
        );
    });
  }
  await db
    .updateTable('carts')
    .set({ status: 'expired', updated_at: now })
    .where('status', 'in', CART_MACHINE.sources('expired'))
    .where('last_activity_at', '<', now - 30 * 86_400)
    .execute();
}
