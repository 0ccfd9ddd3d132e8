import type { Cart, Order } from '@openarky/contract';
import type { Ctx, Db } from '../../lib/context.ts';
import type { ProfileMerge } from '../../lib/module.ts';
import { toCart } from './cart.mapper.ts';
import { toOrders } from './order.mapper.ts';

/** A profile's carts (newest first) and latest orders, for `GET /v1/storefront/:storeId/profiles/me`. */
export async function profileCommerce(
  db: Db,
  storeId: string,
  profileId: string,
): Promise<{ carts: Cart[]; orders: Order[] }> {
  const carts = await db
    .selectFrom('carts')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('profile_id', '=', profileId)
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
  const orders = await db
    .selectFrom('orders')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('profile_id', '=', profileId)
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(20)
    .execute();
  return { carts: carts.map(toCart), orders: await toOrders(db, orders) };
}

/** Profile merge (`sf.verify`): the merged guest's carts and orders now belong to the survivor. */
export async function moveProfileCommerce(tx: Ctx, merge: ProfileMerge): Promise<void> {
  for (const table of ['carts', 'orders'] as const) {
    await tx.db
      .updateTable(table)
      .set({ profile_id: merge.intoProfileId })
      .where('store_id', '=', merge.storeId)
      .where('profile_id', '=', merge.fromProfileId)
      .execute();
  }
}
