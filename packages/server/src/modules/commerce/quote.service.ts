import type {
  CartItemInput,
  Market,
  OrderPayment,
  PaymentMethod,
  Quote,
  QuoteLine,
  ShippingMethod,
  Zone,
} from '@openarky/contract';
import { promoUsesOf } from './promo-use.ts';
import type { Ctx } from '../../lib/context.ts';
import { AppError, validationError } from '../../lib/errors.ts';
import { fromJson } from '../../lib/json.ts';
import { findMarket, listMarkets, quoteAddress, resolveZone, taxRateBps } from '../markets/index.ts';
import { itemType, resolveProductLines, type ResolvedLine } from './lines.ts';
import { evaluatePromo } from './promo.rules.ts';
import { findPromoForQuote } from './promo-code.service.ts';
import { computeTotals, tieredAmount } from './quote.engine.ts';
import type { PromoCodeTable } from './commerce.table.ts';

type AddressInput =
  | {
      country?: string | undefined;
      state?: string | undefined;
      postal_code?: string | undefined;
      [k: string]: unknown;
    }
  | null
  | undefined;

/** What a quote is computed from: a quote body, a cart or a checkout body. */
export interface QuoteInput {
  market?: string | undefined;
  currency?: string | undefined;
  items: CartItemInput[];
  shipping_address?: AddressInput;
  billing_address?: AddressInput;
  payment_method_id?: string | null | undefined;
  shipping_method_id?: string | null | undefined;
  promo_code?: string | null | undefined;
  promo_code_id?: string | null | undefined;
}

export interface QuoteOptions {
  /** Admin callers: price overrides honoured, archived products quotable. */
  trusted: boolean;
  profileId: string | null;
}

/** A quote with what checkout needs to turn it into an order. */
export interface QuoteComputation {
  quote: Quote;
  lines: ResolvedLine[];
  market: Market;
  zone: Zone | null;
  shippingMethod: ShippingMethod | null;
  promo: PromoCodeTable | null;
}

async function marketFor(ctx: Ctx, storeId: string, key: string | undefined): Promise<Market> {
  if (key) {
    const m = await findMarket(ctx.db, storeId, key);
    if (!m)
      throw validationError({
        field: 'market',
        reason: 'not_found',
        message: `No market "${key}" in this store`,
      });
    return m;
  }
  const first = (await listMarkets(ctx.db, storeId))[0];
  if (!first) throw validationError({ field: 'market', reason: 'required' });
  return first;
}

/** Computes a quote (CONTRACT §6.3) in the caller's transaction, if any. */
export async function computeQuote(
  ctx: Ctx,
  storeId: string,
  input: QuoteInput,
  opts: QuoteOptions,
): Promise<QuoteComputation> {
  const market = await marketFor(ctx, storeId, input.market);
  if (input.currency && input.currency.toUpperCase() !== market.currency) {
    throw validationError({
      field: 'currency',
      reason: 'invalid_value',
      message: `Market ${market.key} uses ${market.currency}`,
    });
  }
  const indexed = input.items.map((item, index) => ({ index, item }));
  const productItems = indexed.filter(({ item }) => itemType(item) === 'product');
  const serviceItems = indexed.filter(({ item }) => itemType(item) === 'service');
  const services = ctx.modules.extension('serviceLines');
  if (serviceItems.length && !services) {
    throw validationError({
      field: `items.${serviceItems[0]!.index}.service_id`,
      reason: 'not_found',
      message: 'Bookable services are not available on this server yet',
    });
  }
  const lines = [
    ...(await resolveProductLines(ctx, storeId, market, productItems, opts)),
    ...(serviceItems.length ? await services!.resolve(ctx, storeId, market, serviceItems, opts) : []),
  ].sort((a, b) => a.index - b.index);
  const subtotal = lines.reduce((a, l) => a + l.unit_price * l.quantity, 0);

  let promo: PromoCodeTable | null = null;
  let eligible = lines.map(() => false);
  let discounts = null;
  if (input.promo_code || input.promo_code_id) {
    promo = (await findPromoForQuote(ctx.db, storeId, input.promo_code, input.promo_code_id)) ?? null;
    if (!promo) throw new AppError('promo_code_invalid', 'Promo code not found', { reason: 'not_found' });
    const outcome = evaluatePromo(
      {
        status: promo.status,
        uses: promo.uses,
        discounts: fromJson(promo.discounts, []),
        conditions: fromJson(promo.conditions, []),
      },
      {
        now: ctx.now(),
        market: market.key,
        subtotal,
        lines,
        profileUses: opts.profileId ? await promoUsesOf(ctx.db, promo.id, opts.profileId) : null,
      },
    );
    if (!outcome.ok)
      throw new AppError('promo_code_invalid', `Promo code cannot be used (${outcome.reason})`, {
        reason: outcome.reason,
      });
    eligible = outcome.eligible;
    discounts = outcome.discounts;
  }

  const zone = resolveZone(
    market.zones,
    quoteAddress(input.shipping_address as never, input.billing_address as never),
  );
  let shippingMethod: ShippingMethod | null = null;
  const hasProducts = lines.some((l) => l.type === 'product');
  if (hasProducts && input.shipping_method_id) {
    shippingMethod = zone?.shipping_methods.find((m) => m.id === input.shipping_method_id) ?? null;
    if (!shippingMethod)
      throw new AppError('shipping_method_invalid', 'This shipping method is not offered for the address', {
        field: 'shipping_method_id',
      });
  }
  let paymentMethod: PaymentMethod | null = null;
  if (input.payment_method_id) {
    paymentMethod = market.payment_methods.find((m) => m.id === input.payment_method_id) ?? null;
    if (!paymentMethod)
      throw new AppError(
        'payment_method_not_allowed',
        `Payment method ${input.payment_method_id} is not offered in market ${market.key}`,
      );
  }

  const rate = taxRateBps(market, zone);
  const grams = lines.reduce((a, l) => a + l.weight, 0);
  const totals = computeTotals({
    lines: lines.map((l, i) => ({ unit_price: l.unit_price, quantity: l.quantity, eligible: eligible[i]! })),
    discounts,
    shipping: shippingMethod
      ? {
          amount: tieredAmount(shippingMethod, grams),
          free_above: shippingMethod.free_above ?? null,
          taxable: shippingMethod.taxable,
        }
      : null,
    taxMode: market.tax_mode,
    rateBps: rate,
  });

  const quoteLines: QuoteLine[] = lines.map((l, i) => ({
    type: l.type,
    line_id: `line_${l.index}_${i}`,
    ...(l.product_id ? { product_id: l.product_id, variant_id: l.variant_id } : {}),
    ...(l.service_id
      ? { service_id: l.service_id, provider_id: l.provider_id ?? null, from: l.from, to: l.to }
      : {}),
    quantity: l.quantity,
    unit_price: l.unit_price,
    ...totals.lines[i]!,
    snapshot: l.snapshot,
    availability: l.availability,
  }));
  const firstDiscount = promo
    ? fromJson<{ type: string; bps?: number; amount?: number; market_id: string }[]>(
        promo.discounts,
        [],
      ).find((d) => d.market_id === market.key)
    : undefined;
  const payment: OrderPayment = {
    currency: market.currency,
    market: market.key,
    subtotal: totals.subtotal,
    shipping: totals.shipping,
    discount: totals.discount,
    total: totals.total,
    paid: 0,
    tax: {
      amount: totals.tax,
      mode_snapshot: market.tax_mode,
      rate_bps: rate,
      lines: [
        { rate_bps: rate, amount: totals.itemsTax, scope: 'items' },
        { rate_bps: shippingMethod?.taxable ? rate : 0, amount: totals.shippingTax, scope: 'shipping' },
      ],
    },
    promo_code:
      promo && firstDiscount
        ? {
            id: promo.id,
            code: promo.code,
            type: firstDiscount.type,
            value: firstDiscount.bps ?? firstDiscount.amount ?? 0,
          }
        : null,
    refunds: [],
    zone_id: zone?.id ?? null,
    payment_method_id: paymentMethod?.id ?? null,
    shipping_method_id: shippingMethod?.id ?? null,
    method_type: paymentMethod?.id === 'credit_card' ? 'credit_card' : 'cash',
  };
  const quote: Quote = {
    market: market.key,
    currency: market.currency,
    zone,
    items: quoteLines,
    line_items: quoteLines,
    subtotal: totals.subtotal,
    shipping: totals.shipping,
    discount: totals.discount,
    tax: totals.tax,
    total: totals.total,
    shipping_method: shippingMethod,
    payment_method: paymentMethod,
    payment_methods: market.payment_methods,
    promo_code: promo
      ? {
          promo_code_id: promo.id,
          code: promo.code,
          discounts: fromJson(promo.discounts, []),
          conditions: fromJson(promo.conditions, []),
        }
      : null,
    payment,
    charge_amount: paymentMethod?.id === 'credit_card' ? totals.total : 0,
  };
  return { quote, lines, market, zone, shippingMethod, promo };
}
