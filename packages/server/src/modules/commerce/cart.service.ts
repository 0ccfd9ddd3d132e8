import type {
  Cart,
  CartItemInput,
  CheckoutResult,
  CreateCartBody,
  Quote,
  UpdateCartBody,
} from '@openarky/contract';
import { withTx, type Ctx, type Db } from '../../lib/context.ts';
import { notFound, validationError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId, randomBase62 } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';
import { forUpdate } from '../../db/create-db.ts';
import { findMarket, listMarkets } from '../markets/index.ts';
import { cartItemsToQuote, itemCount, mergeItem, toCart, toCartItem } from './cart.mapper.ts';
import { finishCheckout, placeOrder } from './checkout.service.ts';
import type { CartTable } from './commerce.table.ts';
import { CART_MACHINE } from './cart.machine.ts';
import { itemType } from './lines.ts';
import { computeQuote } from './quote.service.ts';

/** How the caller reaches a cart: as a store member, or on the storefront by profile or recovery token. */
export type CartAccess =
  | { kind: 'admin'; ctx: Ctx; storeId: string; accountId: string }
  | { kind: 'storefront'; ctx: Ctx; storeId: string; profileId: string | null; token?: string | undefined };

async function marketOrThrow(db: Db, storeId: string, key: string, field = 'market') {
  const m = await findMarket(db, storeId, key);
  if (!m) throw validationError({ field, reason: 'not_found', message: `No market "${key}" in this store` });
  return m;
}

/** Items must name variants of this store (field paths `items.N.variant_id` / `item.variant_id`). */
async function checkItems(
  db: Db,
  storeId: string,
  items: CartItemInput[],
  prefix: (i: number) => string,
): Promise<void> {
  for (const [i, item] of items.entries()) {
    if (itemType(item) !== 'product') continue;
    if (!item.variant_id) throw validationError({ field: `${prefix(i)}.variant_id`, reason: 'required' });
    const row = await db
      .selectFrom('product_variants')
      .select(['id', 'product_id'])
      .where('store_id', '=', storeId)
      .where('id', '=', item.variant_id)
      .executeTakeFirst();
    if (!row || (item.product_id && item.product_id !== row.product_id))
      throw validationError({ field: `${prefix(i)}.variant_id`, reason: 'not_found' });
    item.product_id = row.product_id;
  }
}

async function loadCart(access: CartAccess, id: string, lock: boolean): Promise<CartTable> {
  const db = access.ctx.db;
  const qb = db.selectFrom('carts').selectAll().where('store_id', '=', access.storeId).where('id', '=', id);
  const row = await (lock ? forUpdate(db, qb) : qb).executeTakeFirst();
  const visible =
    row &&
    (access.kind === 'admin' ||
      (access.profileId && row.profile_id === access.profileId) ||
      (access.token && access.token === row.token));
  if (!row || !visible) throw notFound('cart', `No cart ${id}`);
  return row;
}

/** Writes a cart change: activity time, item count, snapshot cleared, `cart.updated`. */
async function saveCart(ctx: Ctx, row: CartTable, set: Partial<CartTable>): Promise<Cart> {
  if (row.status !== 'active')
    CART_MACHINE.assert(row.status, 'active', `A ${row.status} cart cannot change`);
  const now = ctx.now();
  const next: CartTable = {
    ...row,
    ...set,
    status: 'active',
    abandoned_at: null,
    quote_snapshot: null,
    last_activity_at: now,
    updated_at: now,
  };
  next.item_count = itemCount(JSON.parse(next.items));
  await ctx.db.updateTable('carts').set(next).where('id', '=', row.id).execute();
  const cart = toCart(next);
  await emit(ctx, 'cart.updated', cart, row.store_id);
  return cart;
}

async function insertCart(
  ctx: Ctx,
  storeId: string,
  values: Pick<CartTable, 'profile_id' | 'origin' | 'created_by_account_id' | 'market'> & Partial<CartTable>,
): Promise<Cart> {
  const now = ctx.now();
  const row: CartTable = {
    id: newId('cart'),
    store_id: storeId,
    token: `ct_${randomBase62(32)}`,
    status: 'active',
    items: '[]',
    shipping_address: null,
    billing_address: null,
    forms: '[]',
    promo_code: null,
    payment_method_id: null,
    shipping_method_id: null,
    quote_snapshot: null,
    converted_order_id: null,
    item_count: 0,
    last_activity_at: now,
    abandoned_at: null,
    recovery_sent_at: null,
    created_at: now,
    updated_at: now,
    ...values,
  };
  row.item_count = itemCount(JSON.parse(row.items));
  await ctx.db.insertInto('carts').values(row).execute();
  const cart = toCart(row);
  await emit(ctx, 'cart.created', cart, storeId);
  return cart;
}

function fieldsOf(
  body: UpdateCartBody,
  market: { key: string; currency: string },
  trusted: boolean,
): Partial<CartTable> {
  const set: Partial<CartTable> = {};
  if (body.items)
    set.items = toJson(
      body.items
        .filter((i) => itemType(i) === 'service' || (i.quantity ?? 1) > 0)
        .map((i) => toCartItem(i, market, trusted)),
    );
  if (body.shipping_address !== undefined)
    set.shipping_address = body.shipping_address ? toJson(body.shipping_address) : null;
  if (body.billing_address !== undefined)
    set.billing_address = body.billing_address ? toJson(body.billing_address) : null;
  if (body.forms) set.forms = toJson(body.forms);
  if (body.promo_code !== undefined) set.promo_code = body.promo_code;
  if (body.payment_method_id !== undefined) set.payment_method_id = body.payment_method_id;
  if (body.shipping_method_id !== undefined) set.shipping_method_id = body.shipping_method_id;
  return set;
}

/** Admin: a cart for a profile of the store, or for no profile (origin admin). */
export async function createCart(
  ctx: Ctx,
  storeId: string,
  accountId: string,
  body: CreateCartBody,
): Promise<Cart> {
  return withTx(ctx, async (tx) => {
    const profileId = body.profile_id ?? null;
    if (profileId !== null) {
      const profile = await tx.db
        .selectFrom('profiles')
        .select('id')
        .where('store_id', '=', storeId)
        .where('id', '=', profileId)
        .executeTakeFirst();
      if (!profile) throw validationError({ field: 'profile_id', reason: 'not_found' });
    }
    const market =
      body.market !== undefined
        ? await marketOrThrow(tx.db, storeId, body.market)
        : (await listMarkets(tx.db, storeId))[0];
    if (!market) throw validationError({ field: 'market', reason: 'required' });
    await checkItems(tx.db, storeId, body.items ?? [], (i) => `items.${i}`);
    return insertCart(tx, storeId, {
      profile_id: profileId,
      origin: 'admin',
      created_by_account_id: accountId,
      ...fieldsOf(body, market, true),
      market: market.key,
    });
  });
}

/** Storefront: the profile's active cart, created when needed; `market` switches its market. */
export async function currentCart(
  ctx: Ctx,
  storeId: string,
  profileId: string,
  marketKey?: string,
): Promise<Cart> {
  return withTx(ctx, async (tx) => {
    const market = marketKey ? await marketOrThrow(tx.db, storeId, marketKey) : undefined;
    const row = await forUpdate(
      tx.db,
      tx.db
        .selectFrom('carts')
        .selectAll()
        .where('store_id', '=', storeId)
        .where('profile_id', '=', profileId)
        .where('origin', '=', 'storefront')
        .where('status', 'in', ['active', 'abandoned'])
        .orderBy('created_at', 'desc'),
    ).executeTakeFirst();
    if (row)
      return market && market.key !== row.market ? saveCart(tx, row, { market: market.key }) : toCart(row);
    const profile = await tx.db
      .selectFrom('profiles')
      .select('market')
      .where('id', '=', profileId)
      .executeTakeFirst();
    const fallback =
      market ??
      (profile?.market ? await findMarket(tx.db, storeId, profile.market) : undefined) ??
      (await listMarkets(tx.db, storeId))[0];
    if (!fallback) throw validationError({ field: 'market', reason: 'required' });
    return insertCart(tx, storeId, {
      profile_id: profileId,
      origin: 'storefront',
      created_by_account_id: null,
      market: fallback.key,
    });
  });
}

export async function getCart(access: CartAccess, id: string): Promise<Cart> {
  return toCart(await loadCart(access, id, false));
}

export async function updateCart(access: CartAccess, id: string, body: UpdateCartBody): Promise<Cart> {
  return withTx(access.ctx, async (tx) => {
    const a = { ...access, ctx: tx };
    const row = await loadCart(a, id, true);
    const market = await marketOrThrow(tx.db, access.storeId, body.market ?? row.market);
    await checkItems(tx.db, access.storeId, body.items ?? [], (i) => `items.${i}`);
    return saveCart(tx, row, { ...fieldsOf(body, market, access.kind === 'admin'), market: market.key });
  });
}

export async function addCartItem(access: CartAccess, id: string, item: CartItemInput): Promise<Cart> {
  return withTx(access.ctx, async (tx) => {
    const row = await loadCart({ ...access, ctx: tx }, id, true);
    await checkItems(tx.db, access.storeId, [item], () => 'item');
    const market = await marketOrThrow(tx.db, access.storeId, row.market);
    const items = mergeItem(
      JSON.parse(row.items),
      toCartItem({ ...item, id: undefined }, market, access.kind === 'admin'),
    );
    return saveCart(tx, row, { items: toJson(items) });
  });
}

export async function removeCartItem(
  access: CartAccess,
  id: string,
  by: { item_id?: string | undefined; product_id?: string | undefined; variant_id?: string | undefined },
): Promise<Cart> {
  if (!by.item_id && !by.variant_id) throw validationError({ field: 'item_id', reason: 'required' });
  return withTx(access.ctx, async (tx) => {
    const row = await loadCart({ ...access, ctx: tx }, id, true);
    const items = (
      JSON.parse(row.items) as { id: string; product_id?: string; variant_id?: string }[]
    ).filter((i) =>
      by.item_id
        ? i.id !== by.item_id
        : !(i.variant_id === by.variant_id && (!by.product_id || i.product_id === by.product_id)),
    );
    return saveCart(tx, row, { items: toJson(items) });
  });
}

export async function clearCart(access: CartAccess, id: string): Promise<Cart> {
  return withTx(access.ctx, async (tx) =>
    saveCart(tx, await loadCart({ ...access, ctx: tx }, id, true), { items: '[]' }),
  );
}

/** Quotes the cart with its own fields and saves the result as `quote_snapshot`. */
export async function quoteCart(access: CartAccess, id: string): Promise<Quote> {
  return withTx(access.ctx, async (tx) => {
    const row = await loadCart({ ...access, ctx: tx }, id, true);
    const cart = toCart(row);
    if (!cart.items.length)
      throw validationError({ field: 'items', reason: 'min_items', message: 'The cart is empty' });
    const { quote } = await computeQuote(
      tx,
      access.storeId,
      { ...cart, items: cartItemsToQuote(cart.items) },
      { trusted: access.kind === 'admin', profileId: row.profile_id },
    );
    await tx.db
      .updateTable('carts')
      .set({ quote_snapshot: toJson(quote) })
      .where('id', '=', row.id)
      .execute();
    return quote;
  });
}

/** Checks the cart out (CONTRACT §6.4); the cart row stays locked until the order exists. */
export async function checkoutCart(
  access: CartAccess,
  id: string,
  paymentMethod: string | null | undefined,
): Promise<CheckoutResult> {
  // A card order's PaymentIntent is created after this transaction (and the cart lock) ends.
  const placed = await withTx(access.ctx, async (tx) => {
    const row = await loadCart({ ...access, ctx: tx }, id, true);
    CART_MACHINE.assert(row.status, 'converted', `A ${row.status} cart cannot be checked out`);
    const cart = toCart(row);
    if (!cart.items.length)
      throw validationError({ field: 'items', reason: 'min_items', message: 'The cart is empty' });
    const trusted = access.kind === 'admin';
    return placeOrder(
      tx,
      access.storeId,
      {
        ...cart,
        items: cartItemsToQuote(cart.items),
        payment_method_id: paymentMethod ?? cart.payment_method_id,
        profile_id: row.profile_id,
      },
      { trusted, profileId: row.profile_id, cartId: row.id },
    );
  });
  return finishCheckout(access.ctx, placed);
}
