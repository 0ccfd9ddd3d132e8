import type { CartItemInput, Market } from '@openarky/contract';
import { AppError, validationError } from '../../lib/errors.ts';
import type { Ctx, Db } from '../../lib/context.ts';
import { loadVariants } from '../catalog/index.ts';
import type { OrderItemTable } from './commerce.table.ts';

/** One priced line of a quote, before the money engine runs (CONTRACT §6.3 steps 2–3). */
export interface ResolvedLine {
  /** Index of the request item the line comes from (field paths `items.N`). */
  index: number;
  type: 'product' | 'service';
  product_id?: string;
  variant_id?: string;
  service_id?: string;
  provider_id?: string | null;
  from?: number;
  to?: number;
  quantity: number;
  unit_price: number;
  /** Grams for weight-tiered shipping. */
  weight: number;
  snapshot: Record<string, unknown>;
  availability: { ok: boolean; available?: number; spots?: number; reason?: string };
}

/**
 * Booking plugs in here (the `serviceLines` extension of its manifest): a resolver turns service items into priced lines (one per slot) and
 * books/releases them at checkout/cancel, so carts, quotes and orders keep their shape.
 */
export interface ServiceLines {
  resolve(
    ctx: Ctx,
    storeId: string,
    market: Market,
    items: { index: number; item: CartItemInput }[],
    opts: { trusted: boolean },
  ): Promise<ResolvedLine[]>;
  /** Runs in the checkout transaction after the order's items are written. */
  book(ctx: Ctx, storeId: string, orderId: string, lines: ResolvedLine[]): Promise<void>;
  /**
   * Frees the slots of an order's open service items. Called from `releaseHolds` (holds.ts), the
   * one path every cancel, payment failure, hold expiry and discarded card checkout goes through,
   * in the transaction that cancels them (before the items turn `cancelled`).
   */
  release?(db: Db, storeId: string, orderId: string, items: readonly OrderItemTable[]): Promise<void>;
}

declare module '../../lib/module.ts' {
  interface Extensions {
    /** Booking's service lines: its manifest sets `provides: { serviceLines }`. */
    serviceLines: ServiceLines;
  }
}

/** `type` as sent (seed 002 `PRODUCT_VARIANT` → product; omitted: inferred from the ids). */
export function itemType(item: CartItemInput): 'product' | 'service' {
  if (item.type === 'service' || (!item.type && item.service_id && !item.product_id)) return 'service';
  return 'product';
}

/** Prices product items for the market and reports stock; lines of one variant consume stock in order. */
export async function resolveProductLines(
  ctx: Ctx,
  storeId: string,
  market: Market,
  items: { index: number; item: CartItemInput }[],
  opts: { trusted: boolean },
): Promise<ResolvedLine[]> {
  if (!items.length) return [];
  const missing = items.find(({ item }) => !item.variant_id);
  if (missing) throw validationError({ field: `items.${missing.index}.variant_id`, reason: 'required' });
  const variantIds = [...new Set(items.map(({ item }) => item.variant_id!))];
  const rows = await ctx.db
    .selectFrom('product_variants')
    .innerJoin('products', 'products.id', 'product_variants.product_id')
    .select(['product_variants.id', 'product_variants.product_id', 'products.key', 'products.status'])
    .where('product_variants.store_id', '=', storeId)
    .where('product_variants.id', 'in', variantIds)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const loaded = await loadVariants(ctx.db, [...new Set(rows.map((r) => r.product_id))]);
  const variants = new Map([...loaded.values()].flat().map((v) => [v.id, v] as const));
  const consumed = new Map<string, number>();
  return items.map(({ index, item }) => {
    const row = byId.get(item.variant_id!);
    const variant = variants.get(item.variant_id!);
    if (
      !row ||
      !variant ||
      (item.product_id && item.product_id !== row.product_id) ||
      (row.status !== 'active' && !opts.trusted)
    ) {
      throw validationError({
        field: `items.${index}.variant_id`,
        reason: 'not_found',
        message: `No variant ${item.variant_id} in this store`,
      });
    }
    const quantity = item.quantity ?? 1;
    const listed = variant.prices.find((p) => p.market === market.key);
    const override = opts.trusted && item.price ? item.price.amount : undefined;
    if (override === undefined && !listed) {
      throw new AppError('price_not_found', `Variant ${variant.id} has no price in market ${market.key}`, {
        field: `items.${index}`,
      });
    }
    const unit = override ?? listed!.amount;
    const unlimited = variant.inventory.some((l) => l.available === -1);
    const stock = variant.inventory.reduce((a, l) => a + Math.max(l.available, 0), 0);
    const used = consumed.get(variant.id) ?? 0;
    consumed.set(variant.id, used + quantity);
    const ok = unlimited || stock - used >= quantity;
    return {
      index,
      type: 'product' as const,
      product_id: row.product_id,
      variant_id: variant.id,
      quantity,
      unit_price: unit,
      weight: (variant.weight ?? 0) * quantity,
      snapshot: {
        product_key: row.key,
        variant_sku: variant.sku ?? null,
        variant_attributes: variant.attributes,
        price: {
          market: market.key,
          currency: market.currency,
          amount: unit,
          ...(listed?.compare_at != null ? { compare_at: listed.compare_at } : {}),
        },
      },
      availability: ok
        ? { ok: true, available: unlimited ? -1 : Math.max(stock - used, 0) }
        : { ok: false, reason: 'out_of_stock' },
    };
  });
}
