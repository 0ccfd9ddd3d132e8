import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allocate,
  computeTotals,
  itemDiscountTotal,
  shippingAmount,
  tieredAmount,
  type EngineInput,
} from './quote.engine.ts';
import { evaluatePromo, type PromoRecord } from './promo.rules.ts';

const line = (unit_price: number, quantity = 1, eligible = true) => ({ unit_price, quantity, eligible });
const base: EngineInput = { lines: [], discounts: null, shipping: null, taxMode: 'exclusive', rateBps: 0 };

describe('quote engine: table-driven rules', () => {
  it.each([
    [
      'subtotal is Σ unit × quantity',
      { lines: [line(1999, 2), line(500, 3)] },
      { subtotal: 5498, total: 5498, tax: 0, discount: 0 },
    ],
    [
      'exclusive 7 % per line, added to total',
      { lines: [line(1999, 1), line(1001, 1)], rateBps: 700 },
      { tax: 140 + 70, total: 3000 + 210 },
    ],
    [
      'inclusive 20 % stays inside the total',
      { lines: [line(12000, 1)], taxMode: 'inclusive' as const, rateBps: 2000 },
      { tax: 2000, total: 12000 },
    ],
    [
      'inclusive rounds half away from zero',
      { lines: [line(2799, 1)], taxMode: 'inclusive' as const, rateBps: 2000 },
      { tax: 467, total: 2799 },
    ],
    [
      'percentage discount on the eligible subtotal',
      { lines: [line(1000), line(3000)], discounts: { itemsBps: 1000, itemsFixed: 0, shippingBps: 0 } },
      { discount: 400, total: 3600 },
    ],
    [
      'fixed discount capped at the eligible subtotal',
      {
        lines: [line(1000, 1, true), line(5000, 1, false)],
        discounts: { itemsBps: 0, itemsFixed: 2500, shippingBps: 0 },
      },
      { discount: 1000, total: 5000 },
    ],
    [
      'flat shipping added',
      { lines: [line(1000)], shipping: { amount: 500, free_above: null, taxable: false } },
      { shipping: 500, total: 1500 },
    ],
    [
      'free above threshold (net of discount)',
      { lines: [line(5000)], shipping: { amount: 500, free_above: 5000, taxable: false } },
      { shipping: 0, total: 5000 },
    ],
    [
      'discount pushes net below the free threshold',
      {
        lines: [line(5000)],
        shipping: { amount: 500, free_above: 5000, taxable: false },
        discounts: { itemsBps: 0, itemsFixed: 1, shippingBps: 0 },
      },
      { shipping: 500, discount: 1, total: 5499 },
    ],
    [
      'shipping percentage discount and taxable shipping',
      {
        lines: [line(1000)],
        rateBps: 1000,
        shipping: { amount: 600, free_above: null, taxable: true },
        discounts: { itemsBps: 0, itemsFixed: 0, shippingBps: 5000 },
      },
      { shipping: 600, discount: 300, tax: 100 + 30, total: 1000 + 600 - 300 + 130 },
    ],
    ['zero-priced lines', { lines: [line(0, 3)], rateBps: 700 }, { subtotal: 0, tax: 0, total: 0 }],
  ])('%s', (_name, input, expected) => {
    expect(computeTotals({ ...base, ...input })).toMatchObject(expected);
  });

  it('splits the discount pro rata with the remainder on the last eligible line', () => {
    const r = computeTotals({
      ...base,
      lines: [line(1000), line(1000), line(1000), line(999, 1, false)],
      discounts: { itemsBps: 0, itemsFixed: 100, shippingBps: 0 },
    });
    expect(r.lines.map((l) => l.discount)).toEqual([33, 33, 34, 0]);
  });

  it('never gives a line more discount than its subtotal', () => {
    expect(allocate(2, [1, 1, 1])).toEqual([0, 1, 1]);
    expect(allocate(3, [1, 1, 1])).toEqual([1, 1, 1]);
    expect(allocate(5, [0, 4, 1, 0])).toEqual([0, 4, 1, 0]);
  });

  it('weight tiers pick the first tier holding the parcel, else the last', () => {
    const m = {
      amount: 999,
      weight_tiers: [
        { up_to_grams: 5000, amount: 900 },
        { up_to_grams: 1000, amount: 500 },
      ],
    };
    expect(tieredAmount(m, 800)).toBe(500);
    expect(tieredAmount(m, 1000)).toBe(500);
    expect(tieredAmount(m, 4000)).toBe(900);
    expect(tieredAmount(m, 9000)).toBe(900);
    expect(tieredAmount({ amount: 700 }, 9000)).toBe(700);
    expect(shippingAmount(null, 100)).toBe(0);
    expect(itemDiscountTotal(0, { itemsBps: 5000, itemsFixed: 10, shippingBps: 0 })).toBe(0);
  });
});

describe('quote engine: properties over random carts', () => {
  const cart = fc.record({
    lines: fc.array(
      fc.record({
        unit_price: fc.integer({ min: 0, max: 500_000 }),
        quantity: fc.integer({ min: 1, max: 50 }),
        eligible: fc.boolean(),
      }),
      { minLength: 1, maxLength: 15 },
    ),
    discounts: fc.option(
      fc.record({
        itemsBps: fc.integer({ min: 0, max: 10_000 }),
        itemsFixed: fc.integer({ min: 0, max: 2_000_000 }),
        shippingBps: fc.integer({ min: 0, max: 10_000 }),
      }),
      { nil: null },
    ),
    shipping: fc.option(
      fc.record({
        amount: fc.integer({ min: 0, max: 50_000 }),
        free_above: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: null }),
        taxable: fc.boolean(),
      }),
      { nil: null },
    ),
    taxMode: fc.constantFrom('exclusive' as const, 'inclusive' as const),
    rateBps: fc.integer({ min: 0, max: 5000 }),
  });

  it('Σ line totals + shipping (+ tax when exclusive) = total; nothing negative; discount ≤ subtotal; inclusive tax inside the line', () => {
    fc.assert(
      fc.property(cart, (input) => {
        const r = computeTotals(input);
        const exclusive = input.taxMode === 'exclusive';
        const lineTotals = r.lines.reduce((a, l) => a + l.total, 0);
        expect(lineTotals + r.shipping - r.shippingDiscount + (exclusive ? r.shippingTax : 0)).toBe(r.total);
        expect(r.subtotal - r.discount + r.shipping + (exclusive ? r.tax : 0)).toBe(r.total);
        expect(r.lines.reduce((a, l) => a + l.discount, 0)).toBe(r.itemDiscount);
        expect(r.itemDiscount).toBeLessThanOrEqual(r.subtotal);
        expect(r.shippingDiscount).toBeLessThanOrEqual(r.shipping);
        expect(r.tax).toBe(r.itemsTax + r.shippingTax);
        for (const [i, l] of r.lines.entries()) {
          for (const v of [l.subtotal, l.discount, l.tax, l.total]) expect(v).toBeGreaterThanOrEqual(0);
          expect(l.discount).toBeLessThanOrEqual(l.subtotal);
          if (!input.lines[i]!.eligible) expect(l.discount).toBe(0);
          if (!exclusive) expect(l.tax).toBeLessThanOrEqual(l.total);
        }
        for (const v of [r.subtotal, r.discount, r.shipping, r.tax, r.total])
          expect(v).toBeGreaterThanOrEqual(0);
        for (const v of [r.subtotal, r.discount, r.shipping, r.tax, r.total])
          expect(Number.isInteger(v)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('promo rules', () => {
  const promo = (p: Partial<PromoRecord> = {}): PromoRecord => ({
    status: 'active',
    uses: 0,
    discounts: [{ type: 'items_percentage', market_id: 'us', bps: 1000 }],
    conditions: [],
    ...p,
  });
  const ctx = {
    now: 1000,
    market: 'us',
    subtotal: 5000,
    lines: [
      { type: 'product' as const, product_id: 'prod_a' },
      { type: 'product' as const, product_id: 'prod_b' },
    ],
    profileUses: 0,
  };
  const count = (type: 'max_uses' | 'max_uses_per_user', value: number) => ({
    type,
    value: { type: 'count' as const, value },
  });
  it.each([
    ['archived → inactive', promo({ status: 'archived' }), ctx, 'inactive'],
    [
      'before start → not_started',
      promo({ conditions: [{ type: 'date_range', value: { type: 'date_range', value: { start: 2000 } } }] }),
      ctx,
      'not_started',
    ],
    [
      'after end → expired',
      promo({
        conditions: [{ type: 'date_range', value: { type: 'date_range', value: { start: 0, end: 999 } } }],
      }),
      ctx,
      'expired',
    ],
    ['uses reached', promo({ uses: 5, conditions: [count('max_uses', 5)] }), ctx, 'max_uses_reached'],
    [
      'per-user uses reached',
      promo({ conditions: [count('max_uses_per_user', 1)] }),
      { ...ctx, profileUses: 1 },
      'max_uses_per_user_reached',
    ],
    [
      'below minimum order',
      promo({ conditions: [{ type: 'min_order_amount', value: { type: 'amount', value: 5001 } }] }),
      ctx,
      'min_order_amount',
    ],
    ['no discount for the market', promo(), { ...ctx, market: 'eu' }, 'not_applicable'],
    [
      'no eligible line',
      promo({ conditions: [{ type: 'products', value: { type: 'ids', value: ['prod_x'] } }] }),
      ctx,
      'not_applicable',
    ],
  ] as const)('%s', (_n, p, c, reason) => {
    expect(evaluatePromo(p as PromoRecord, c)).toEqual({ ok: false, reason });
  });

  it('accepts and limits eligible lines to the listed products; sums discounts of the market', () => {
    const p = promo({
      discounts: [
        { type: 'items_percentage', market_id: 'us', bps: 1000 },
        { type: 'items_fixed', market_id: 'us', amount: 100 },
        { type: 'shipping_percentage', market_id: 'us', bps: 10_000 },
        { type: 'items_fixed', market_id: 'eu', amount: 999 },
      ],
      conditions: [
        { type: 'products', value: { type: 'ids', value: ['prod_b'] } },
        count('max_uses', 5),
        count('max_uses_per_user', 2),
      ],
      uses: 4,
    });
    expect(evaluatePromo(p, { ...ctx, profileUses: 1 })).toEqual({
      ok: true,
      eligible: [false, true],
      discounts: { itemsBps: 1000, itemsFixed: 100, shippingBps: 10_000 },
    });
    expect(evaluatePromo(p, { ...ctx, profileUses: null }).ok).toBe(true);
  });
});
