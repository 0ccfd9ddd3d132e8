/**
 * Market input normalization (CONTRACT §5.1, §5.3, §12 rows 19–23): seed 002 shapes → the
 * canonical wire shape, plus every rule that needs no database. Pure: the caller turns the
 * collected errors into one 400 and checks pickup locations against the store.
 */
import type {
  CreateMarketBody,
  Market,
  PaymentMethod,
  ShippingMethod,
  UpdateMarketBody,
  Zone,
} from '@openarky/contract';
import type { FieldError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { findCountry, isCurrency } from '../platform/index.ts';

type MarketInput = CreateMarketBody | UpdateMarketBody;
type ZoneInput = NonNullable<MarketInput['zones']>[number];
type MethodInput = NonNullable<ZoneInput['shipping_methods']>[number];

/** What the market being written is: ids for the zones, its key to pick a seed 002 price. */
export interface MarketTarget {
  storeId: string;
  marketId: string;
  marketKey: string;
}

export interface CanonicalMarket {
  key?: string;
  currency?: string;
  tax_mode?: Market['tax_mode'];
  tax_bps?: number;
  payment_methods?: PaymentMethod[];
  zones?: Zone[];
}

/** A pickup `location_id` that must name a pickup location of the store. */
export interface LocationRef {
  field: string;
  locationId: string;
}

export interface NormalizedMarket {
  value: CanonicalMarket;
  errors: FieldError[];
  locationRefs: LocationRef[];
}

function paymentMethods(
  list: NonNullable<MarketInput['payment_methods']>,
  errors: FieldError[],
): PaymentMethod[] {
  const out: PaymentMethod[] = [];
  const seen = new Set<string>();
  list.forEach((pm, i) => {
    // Seed 002 `{ method: 'CREDIT_CARD' }` (already lower-cased by the enum normalizer) → `{ id }`.
    const id = pm.id ?? pm.method;
    if (!id)
      return void errors.push({
        field: `payment_methods.${i}.id`,
        reason: 'required',
        message: 'A payment method needs an id',
      });
    if (seen.has(id))
      return void errors.push({
        field: `payment_methods.${i}.id`,
        reason: 'duplicate',
        message: `${id} is listed twice`,
      });
    seen.add(id);
    out.push(pm.integration_id ? { id, integration_id: pm.integration_id } : { id });
  });
  return out;
}

function shippingMethod(
  m: MethodInput,
  at: string,
  target: MarketTarget,
  out: NormalizedMarket,
): ShippingMethod {
  const key = target.marketKey.toLowerCase();
  const price = m.prices?.find((p) => p.market.toLowerCase() === key);
  const amount = m.amount ?? price?.amount;
  if (amount === undefined) {
    out.errors.push({
      field: `${at}.amount`,
      reason: 'required',
      message: m.prices
        ? `No price for market ${target.marketKey} in ${at}.prices`
        : `${at}.amount is required`,
    });
  }
  const type = m.type ?? 'shipping';
  const locationId = m.location_id ?? null;
  const location = m.location
    ? { address: m.location.address, coordinates: m.location.coordinates ?? null }
    : null;
  if (locationId) out.locationRefs.push({ field: `${at}.location_id`, locationId });
  else if (type === 'pickup' && !location) {
    out.errors.push({
      field: `${at}.location_id`,
      reason: 'required',
      message: 'A pickup method needs location_id or location',
    });
  }
  return {
    id: m.id ?? newId('shm'),
    type,
    name: m.name ?? null,
    taxable: m.taxable ?? false,
    eta_text: m.eta_text ?? '',
    amount: amount ?? 0,
    free_above: m.free_above !== undefined ? m.free_above : (price?.free_above ?? null),
    weight_tiers: [...(m.weight_tiers ?? [])].sort((a, b) => a.up_to_grams - b.up_to_grams),
    location_id: locationId,
    location,
    integration_id: m.integration_id ?? null,
  };
}

function zones(list: ZoneInput[], target: MarketTarget, out: NormalizedMarket): Zone[] {
  const zoneIds = new Set<string>();
  const methodIds = new Set<string>();
  return list.map((z, i) => {
    const at = `zones.${i}`;
    if (z.id !== undefined) {
      if (zoneIds.has(z.id))
        out.errors.push({
          field: `${at}.id`,
          reason: 'duplicate',
          message: `Zone id ${z.id} is used twice in this market`,
        });
      zoneIds.add(z.id);
    }
    const countries = (z.countries ?? []).map((c, j) => {
      const country = findCountry(c);
      if (!country)
        out.errors.push({
          field: `${at}.countries.${j}`,
          reason: 'invalid_country',
          message: `${c} is not an ISO 3166-1 alpha-2 country`,
        });
      return c.toUpperCase();
    });
    const methods = (z.shipping_methods ?? []).map((m, j) => {
      const method = shippingMethod(m, `${at}.shipping_methods.${j}`, target, out);
      // Shipping-method ids are unique within the whole market (CONTRACT §1.2).
      if (methodIds.has(method.id)) {
        out.errors.push({
          field: `${at}.shipping_methods.${j}.id`,
          reason: 'duplicate',
          message: `Shipping method id ${method.id} is used twice in this market`,
        });
      }
      methodIds.add(method.id);
      return method;
    });
    return {
      id: z.id ?? newId('zone'),
      store_id: target.storeId,
      market_id: target.marketId,
      name: z.name ?? null,
      countries,
      states: (z.states ?? []).map((s) => s.trim().toUpperCase()),
      postal_codes: (z.postal_codes ?? []).map((p) => p.trim()),
      tax_bps: z.tax_bps ?? null,
      shipping_methods: methods,
    };
  });
}

/** Canonical fields of a create or (partial) update body; only the fields present are returned. */
export function normalizeMarketInput(input: MarketInput, target: MarketTarget): NormalizedMarket {
  const out: NormalizedMarket = { value: {}, errors: [], locationRefs: [] };
  const v = out.value;
  if (input.key !== undefined) v.key = input.key;
  if (input.currency !== undefined) {
    v.currency = input.currency.toUpperCase();
    if (!isCurrency(v.currency))
      out.errors.push({
        field: 'currency',
        reason: 'invalid_currency',
        message: `${input.currency} is not a supported currency`,
      });
  }
  if (input.tax_mode !== undefined) v.tax_mode = input.tax_mode;
  if (input.tax_bps !== undefined) v.tax_bps = input.tax_bps;
  if (input.payment_methods !== undefined)
    v.payment_methods = paymentMethods(input.payment_methods, out.errors);
  if (input.zones !== undefined) v.zones = zones(input.zones, target, out);
  return out;
}
