import type { Condition, Discount } from '@openarky/contract';
import type { EngineDiscounts } from './quote.engine.ts';

/** Why a promo code is rejected (CONTRACT §6.8), in the order the checks run. */
export type PromoRejection =
  | 'not_found'
  | 'inactive'
  | 'not_started'
  | 'expired'
  | 'max_uses_reached'
  | 'max_uses_per_user_reached'
  | 'min_order_amount'
  | 'not_applicable';

export interface PromoRecord {
  status: 'active' | 'archived';
  uses: number;
  discounts: Discount[];
  conditions: Condition[];
}

export interface PromoContext {
  now: number;
  market: string;
  subtotal: number;
  lines: { type: 'product' | 'service'; product_id?: string | undefined; service_id?: string | undefined }[];
  /** Uses of this code by the ordering profile; null when there is no profile. */
  profileUses: number | null;
}

export type PromoOutcome =
  { ok: true; eligible: boolean[]; discounts: EngineDiscounts } | { ok: false; reason: PromoRejection };

const conditionOf = <T extends Condition['type']>(conditions: Condition[], type: T) =>
  conditions.find((c): c is Extract<Condition, { type: T }> => c.type === type);

/** Checks a promo code against a quote and returns the eligible lines and discounts of the market. */
export function evaluatePromo(promo: PromoRecord, ctx: PromoContext): PromoOutcome {
  if (promo.status !== 'active') return { ok: false, reason: 'inactive' };
  const range = conditionOf(promo.conditions, 'date_range')?.value.value;
  if (range?.start != null && ctx.now < range.start) return { ok: false, reason: 'not_started' };
  if (range?.end != null && ctx.now > range.end) return { ok: false, reason: 'expired' };
  const maxUses = conditionOf(promo.conditions, 'max_uses')?.value.value;
  if (maxUses !== undefined && promo.uses >= maxUses) return { ok: false, reason: 'max_uses_reached' };
  const perUser = conditionOf(promo.conditions, 'max_uses_per_user')?.value.value;
  if (perUser !== undefined && ctx.profileUses !== null && ctx.profileUses >= perUser)
    return { ok: false, reason: 'max_uses_per_user_reached' };
  const minOrder = conditionOf(promo.conditions, 'min_order_amount')?.value.value;
  if (minOrder !== undefined && ctx.subtotal < minOrder) return { ok: false, reason: 'min_order_amount' };

  const products = conditionOf(promo.conditions, 'products')?.value.value;
  const services = conditionOf(promo.conditions, 'services')?.value.value;
  const limited = products !== undefined || services !== undefined;
  const eligible = ctx.lines.map((l) => {
    if (!limited) return true;
    if (l.type === 'product') return products !== undefined && products.includes(l.product_id ?? '');
    return services !== undefined && services.includes(l.service_id ?? '');
  });

  const own = promo.discounts.filter((d) => d.market_id === ctx.market);
  const discounts: EngineDiscounts = { itemsBps: 0, itemsFixed: 0, shippingBps: 0 };
  for (const d of own) {
    if (d.type === 'items_percentage') discounts.itemsBps += d.bps;
    else if (d.type === 'items_fixed') discounts.itemsFixed += d.amount;
    else discounts.shippingBps += d.bps;
  }
  const hasItemDiscount = discounts.itemsBps > 0 || discounts.itemsFixed > 0;
  if (!own.length || (hasItemDiscount && !eligible.some(Boolean) && discounts.shippingBps === 0))
    return { ok: false, reason: 'not_applicable' };
  return { ok: true, eligible, discounts };
}
