import type { Cart, Order } from '@openarky/contract';
import type { Db } from '../../lib/context.ts';
import { toCart } from './cart.mapper.ts';
import { toOrders } from './order.mapper.ts';

/** A profile's carts (newest first) and latest orders, for `GET /v1/storefront/:storeId/profiles/me`. */
export async function profileCommerce(db: Db, storeId: string, profileId: string): Promise<{ carts: Cart[]; orders: Order[] }> {
  const carts = await db.selectFrom('carts').selectAll().where('store_id', '=', storeId).where('profile_id', '=', profileId).orderBy('created_at', 'desc').limit(20).execute();
  const orders = await db.selectFrom('orders').selectAll().where('store_id', '=', storeId).where('profile_id', '=', profileId).orderBy('created_at', 'desc').orderBy('seq', 'desc').limit(20).execute();
  return { carts: carts.map(toCart), orders: await toOrders(db, orders) };
}

/** Moves a profile's carts and orders to another profile of the same store (profile merge). */
export async function reassignProfileCommerce(db: Db, storeId: string, fromProfileId: string, intoProfileId: string): Promise<void> {
  for (const table of ['carts', 'orders'] as const) {
    await db.updateTable(table).set({ profile_id: intoProfileId }).where('store_id', '=', storeId).where('profile_id', '=', fromProfileId).execute();
  }
}
