import { applyBps, splitProRata } from '../../lib/money.ts';
import { lineTax, type TaxMode } from '../markets/index.ts';

/**
 * The money engine of quotes, checkout and orders (CONTRACT §6.3 steps 4–10): pure functions on
 * integer minor units. Everything that reads the database happens before; everything here is
 * deterministic and covered by table-driven and property tests.
 */
export interface EngineLineInput {
  unit_price: number;
  quantity: number;
  /** The promo code's conditions allow a discount on this line. */
  eligible: boolean;
}

export interface EngineDiscounts {
  /** Σ `items_percentage` bps of the quote's market. */
  itemsBps: number;
  /** Σ `items_fixed` amounts of the quote's market. */
  itemsFixed: number;
  /** Σ `shipping_percentage` bps of the quote's market. */
  shippingBps: number;
}

export interface EngineShipping {
  /** Base amount (after weight tiers). */
  amount: number;
  free_above: number | null;
  taxable: boolean;
}

export interface EngineInput {
  lines: EngineLineInput[];
  discounts: EngineDiscounts | null;
  shipping: EngineShipping | null;
  taxMode: TaxMode;
  rateBps: number;
}

export interface EngineLine {
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
}

export interface EngineResult {
  lines: EngineLine[];
  subtotal: number;
  itemDiscount: number;
  shipping: number;
  shippingDiscount: number;
  itemsTax: number;
  shippingTax: number;
  discount: number;
  tax: number;
  total: number;
}

/**
 * Splits `total` over lines pro rata to `weights`, the rounding remainder on the last line, never
 * giving a line more than its weight (a remainder that would overflow the last line moves to the
 * nearest earlier line with room). Requires `total ≤ Σ weights`.
 */
export function allocate(total: number, weights: number[]): number[] {
  const shares = splitProRata(total, weights);
  let excess = 0;
  for (let i = shares.length - 1; i >= 0; i--) {
    const room = weights[i]! - shares[i]!;
    if (room < 0) {
      excess -= room;
      shares[i] = weights[i]!;
    } else if (excess > 0 && room > 0) {
      const moved = Math.min(room, excess);
      shares[i]! += moved;
      excess -= moved;
    }
  }
  // The backward pass can only miss room on lines after the overflowing one: sweep once more.
  for (let i = shares.length - 1; i >= 0 && excess > 0; i--) {
    const moved = Math.min(weights[i]! - shares[i]!, excess);
    shares[i]! += moved;
    excess -= moved;
  }
  return shares;
}

/** Item discount of a promo: percentage of the eligible subtotal plus fixed amounts, capped at it. */
export function itemDiscountTotal(eligibleSubtotal: number, d: EngineDiscounts | null): number {
  if (!d || eligibleSubtotal <= 0) return 0;
  const raw = applyBps(eligibleSubtotal, Math.min(d.itemsBps, 10_000)) + d.itemsFixed;
  return Math.min(raw, eligibleSubtotal);
}

/** Shipping after the free threshold, which compares against (subtotal − item discounts). */
export function shippingAmount(shipping: EngineShipping | null, netItems: number): number {
  if (!shipping) return 0;
  if (shipping.free_above !== null && shipping.free_above !== undefined && netItems >= shipping.free_above)
    return 0;
  return shipping.amount;
}

/** Computes every amount of a quote. Σ line totals + (shipping − shipping discount + shipping tax if exclusive) = total. */
export function computeTotals(input: EngineInput): EngineResult {
  const subtotals = input.lines.map((l) => l.unit_price * l.quantity);
  const subtotal = subtotals.reduce((a, b) => a + b, 0);
  const eligibleWeights = subtotals.map((s, i) => (input.lines[i]!.eligible ? s : 0));
  const eligibleSubtotal = eligibleWeights.reduce((a, b) => a + b, 0);
  const itemDiscount = itemDiscountTotal(eligibleSubtotal, input.discounts);
  const discounts = allocate(itemDiscount, eligibleWeights);
  const exclusive = input.taxMode === 'exclusive';

  const lines = subtotals.map((s, i): EngineLine => {
    const discount = discounts[i]!;
    const tax = lineTax(s - discount, input.rateBps, input.taxMode);
    return { subtotal: s, discount, tax, total: s - discount + (exclusive ? tax : 0) };
  });
  const shipping = shippingAmount(input.shipping, subtotal - itemDiscount);
  const shippingDiscount = Math.min(
    applyBps(shipping, Math.min(input.discounts?.shippingBps ?? 0, 10_000)),
    shipping,
  );
  const shippingTax = input.shipping?.taxable
    ? lineTax(shipping - shippingDiscount, input.rateBps, input.taxMode)
    : 0;
  const itemsTax = lines.reduce((a, l) => a + l.tax, 0);
  const tax = itemsTax + shippingTax;
  const discount = itemDiscount + shippingDiscount;
  const total = subtotal - discount + shipping + (exclusive ? tax : 0);
  return {
    lines,
    subtotal,
    itemDiscount,
    shipping,
    shippingDiscount,
    itemsTax,
    shippingTax,
    discount,
    tax,
    total,
  };
}

/** Shipping base amount: the first weight tier holding the parcel, else the last tier, else `amount`. */
export function tieredAmount(
  method: { amount: number; weight_tiers?: { up_to_grams: number; amount: number }[] | undefined },
  grams: number,
): number {
  const tiers = [...(method.weight_tiers ?? [])].sort((a, b) => a.up_to_grams - b.up_to_grams);
  if (!tiers.length) return method.amount;
  return (tiers.find((t) => grams <= t.up_to_grams) ?? tiers[tiers.length - 1]!).amount;
}
