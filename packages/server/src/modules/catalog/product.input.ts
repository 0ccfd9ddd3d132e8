import type { CatalogBlockInput, Market, Price, ProductVariantInput } from '@openarky/contract';
import { BOUNDS } from '@openarky/contract';
import type { Db } from '../../lib/context.ts';
import { validationError, type FieldError } from '../../lib/errors.ts';
import { normalizeAttributes } from './blocks.ts';
import { storeLocales } from '../tenancy/index.ts';

/** A variant as validated input, ready to be written. */
export interface VariantPlan {
  id: string | undefined;
  sku: string | null;
  prices: Price[];
  /** undefined: keep the existing levels (update without `inventory`). */
  inventory: { location_id: string | null; available: number }[] | undefined;
  attributes: ReturnType<typeof normalizeAttributes>;
  weight: number | null;
}

/**
 * Checks variants against the store's markets and locations (CONTRACT §6.1): prices name a market
 * (key or id, stored as the key), currency is the market's, one price per market; inventory
 * accepts the seed-002 number shorthand. Every failing field is reported with its dotted path.
 */
export async function planVariants(
  db: Db,
  storeId: string,
  markets: Market[],
  inputs: ProductVariantInput[],
  isCreate: boolean,
): Promise<VariantPlan[]> {
  const errors: FieldError[] = [];
  const locationIds = new Set(
    (await db.selectFrom('locations').select('id').where('store_id', '=', storeId).execute()).map(
      (r) => r.id,
    ),
  );
  const plans = inputs.map((v, i): VariantPlan => {
    const at = `variants.${i}`;
    const seen = new Set<string>();
    const prices: Price[] = [];
    (v.prices ?? []).forEach((p, j) => {
      const market = markets.find((m) => m.key === p.market.toLowerCase() || m.id === p.market);
      if (!market)
        return void errors.push({
          field: `${at}.prices.${j}.market`,
          reason: 'not_found',
          message: `No market "${p.market}" in this store`,
        });
      if (seen.has(market.key))
        return void errors.push({
          field: `${at}.prices.${j}.market`,
          reason: 'duplicate',
          message: `Two prices for market ${market.key}`,
        });
      seen.add(market.key);
      if (p.currency && p.currency.toUpperCase() !== market.currency) {
        return void errors.push({
          field: `${at}.prices.${j}.currency`,
          reason: 'invalid_value',
          message: `Market ${market.key} uses ${market.currency}`,
        });
      }
      prices.push({
        market: market.key,
        currency: market.currency,
        amount: p.amount,
        ...(p.compare_at != null ? { compare_at: p.compare_at } : {}),
      });
    });
    let inventory: VariantPlan['inventory'];
    const inv = v.inventory as unknown;
    if (typeof inv === 'number') {
      if (!Number.isInteger(inv) || inv < -1) errors.push({ field: `${at}.inventory`, reason: 'min' });
      else if (inv > BOUNDS.money) errors.push({ field: `${at}.inventory`, reason: 'max' });
      inventory = [{ location_id: null, available: inv }];
    } else if (Array.isArray(inv)) {
      const locs = new Set<string>();
      inventory = inv.map((raw: unknown, j) => {
        const l = (raw && typeof raw === 'object' ? raw : {}) as {
          location_id?: unknown;
          available?: unknown;
        };
        const available = l.available;
        if (!Number.isInteger(available))
          errors.push({
            field: `${at}.inventory.${j}.available`,
            reason: available === undefined ? 'required' : 'type',
          });
        else if ((available as number) < -1)
          errors.push({ field: `${at}.inventory.${j}.available`, reason: 'min' });
        else if ((available as number) > BOUNDS.money)
          errors.push({ field: `${at}.inventory.${j}.available`, reason: 'max' });
        const loc = typeof l.location_id === 'string' ? l.location_id : null;
        if (l.location_id !== undefined && l.location_id !== null && loc === null)
          errors.push({ field: `${at}.inventory.${j}.location_id`, reason: 'type' });
        if (loc !== null && !locationIds.has(loc))
          errors.push({ field: `${at}.inventory.${j}.location_id`, reason: 'not_found' });
        if (locs.has(String(loc)))
          errors.push({ field: `${at}.inventory.${j}.location_id`, reason: 'duplicate' });
        locs.add(String(loc));
        return { location_id: loc, available: available as number };
      });
    } else if (inv !== undefined && inv !== null) {
      errors.push({ field: `${at}.inventory`, reason: 'type' });
    } else inventory = isCreate ? [] : undefined;
    return {
      id: v.id,
      sku: v.sku ?? null,
      prices,
      inventory,
      attributes: attributesOf(v.attributes, `${at}.attributes`, errors),
      weight: v.weight ?? null,
    };
  });
  if (errors.length) throw validationError(errors);
  return plans;
}

/** Attributes: Block[] (each with a key) or the seed-002 map of scalar values. */
function attributesOf(
  raw: unknown,
  at: string,
  errors: FieldError[],
): ReturnType<typeof normalizeAttributes> {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) {
    raw.forEach((b, i) => {
      if (!b || typeof b !== 'object' || typeof (b as { key?: unknown }).key !== 'string')
        errors.push({ field: `${at}.${i}.key`, reason: 'required' });
    });
    return errors.length ? [] : normalizeAttributes(raw as CatalogBlockInput[]);
  }
  if (typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw))
      if (!['string', 'number', 'boolean'].includes(typeof v))
        errors.push({ field: `${at}.${k}`, reason: 'type' });
    return normalizeAttributes(raw as Record<string, string>);
  }
  errors.push({ field: at, reason: 'type' });
  return [];
}

/** The store's default locale: the first language (CONTRACT §1.3). */
export async function defaultLocale(db: Db, storeId: string): Promise<string> {
  return (await storeLocales(db, storeId))?.[0] ?? 'en';
}

/** `slug` input: a map, a plain string (default locale) or nothing (generated from the key). */
export function planSlug(
  input: string | Record<string, string> | undefined,
  key: string,
  locale: string,
): Record<string, string> {
  if (input === undefined) return { [locale]: key };
  if (typeof input === 'string') return { [locale]: input };
  const errors: FieldError[] = [];
  for (const [loc, slug] of Object.entries(input))
    if (!slug.trim()) errors.push({ field: `slug.${loc}`, reason: 'min_length' });
  if (errors.length) throw validationError(errors);
  return input;
}
