import type { Cart, CartItem, CartItemInput, Quote } from '@openarky/contract';
import { newId } from '../../lib/ids.ts';
import { fromJson } from '../../lib/json.ts';
import type { CartTable } from './commerce.table.ts';
import { itemType } from './lines.ts';

export function toCart(row: CartTable): Cart {
  return {
    id: row.id,
    store_id: row.store_id,
    profile_id: row.profile_id,
    token: row.token,
    status: row.status,
    origin: row.origin,
    created_by_account_id: row.created_by_account_id,
    market: row.market,
    items: fromJson<CartItem[]>(row.items, []),
    shipping_address: fromJson(row.shipping_address, null),
    billing_address: fromJson(row.billing_address, null),
    forms: fromJson(row.forms, []),
    promo_code: row.promo_code,
    payment_method_id: row.payment_method_id,
    shipping_method_id: row.shipping_method_id,
    quote_snapshot: fromJson<Quote | null>(row.quote_snapshot, null),
    converted_order_id: row.converted_order_id,
    item_count: row.item_count,
    last_activity_at: row.last_activity_at,
    abandoned_at: row.abandoned_at,
    recovery_sent_at: row.recovery_sent_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** A stored cart item from input; a `price` override is kept for admin callers only. */
export function toCartItem(
  input: CartItemInput,
  market: { key: string; currency: string },
  trusted: boolean,
): CartItem {
  const price =
    trusted && input.price
      ? { price: { market: market.key, currency: market.currency, amount: input.price.amount } }
      : {};
  if (itemType(input) === 'service') {
    return {
      type: 'service',
      id: input.id ?? newId('item'),
      service_id: input.service_id ?? '',
      provider_id: input.provider_id ?? null,
      slots: input.slots?.length
        ? input.slots
        : input.from !== undefined && input.to !== undefined
          ? [{ from: input.from, to: input.to }]
          : [],
      ...(input.forms ? { forms: input.forms } : {}),
      ...price,
    };
  }
  return {
    type: 'product',
    id: input.id ?? newId('item'),
    product_id: input.product_id ?? '',
    variant_id: input.variant_id ?? '',
    quantity: input.quantity ?? 1,
    ...price,
  };
}

/** Σ product quantities + Σ service slots (CONTRACT §6.2). */
export function itemCount(items: CartItem[]): number {
  return items.reduce((a, i) => a + (i.type === 'product' ? (i.quantity ?? 0) : (i.slots?.length ?? 0)), 0);
}

/** addItem: a product line with the same product and variant absorbs the quantity; ≤ 0 removes it. */
export function mergeItem(items: CartItem[], item: CartItem): CartItem[] {
  if (item.type === 'service') return [...items, item];
  const same = items.find(
    (i) => i.type === 'product' && i.variant_id === item.variant_id && i.product_id === item.product_id,
  );
  if (!same) return (item.quantity ?? 0) > 0 ? [...items, item] : items;
  const quantity = (same.quantity ?? 0) + (item.quantity ?? 0);
  return quantity > 0
    ? items.map((i) => (i === same ? { ...i, quantity, ...(item.price ? { price: item.price } : {}) } : i))
    : items.filter((i) => i !== same);
}

/** Cart items as quote items (the stored override price travels along). */
export function cartItemsToQuote(items: CartItem[]): CartItemInput[] {
  return items.map((i) =>
    i.type === 'product'
      ? {
          type: 'product',
          product_id: i.product_id,
          variant_id: i.variant_id,
          quantity: i.quantity,
          ...(i.price ? { price: { amount: i.price.amount } } : {}),
        }
      : {
          type: 'service',
          service_id: i.service_id,
          provider_id: i.provider_id ?? null,
          slots: i.slots,
          forms: i.forms as never,
          ...(i.price ? { price: { amount: i.price.amount } } : {}),
        },
  );
}
