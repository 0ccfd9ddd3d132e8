/**
 * Zone resolution and tax (CONTRACT §5.2): pure functions, shared by quotes, checkout and tests.
 */
export interface ZoneRules {
  countries: string[];
  states: string[];
  postal_codes: string[];
  tax_bps: number | null;
}

export interface AddressLike {
  country?: string | null | undefined;
  state?: string | null | undefined;
  postal_code?: string | null | undefined;
}

export type TaxMode = 'exclusive' | 'inclusive';

const canon = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, '').toUpperCase();

function postalMatches(entry: string, postal: string): boolean {
  const e = canon(entry);
  return e.endsWith('*') ? postal.startsWith(e.slice(0, -1)) : postal === e;
}

function matches(zone: ZoneRules, address: AddressLike): boolean {
  const country = canon(address.country);
  const state = canon(address.state);
  const postal = canon(address.postal_code);
  if (zone.countries.length && !zone.countries.some((c) => canon(c) === country)) return false;
  if (zone.states.length && !zone.states.some((s) => canon(s) === state)) return false;
  if (zone.postal_codes.length && !zone.postal_codes.some((p) => postalMatches(p, postal))) return false;
  return true;
}

function score(zone: ZoneRules): number {
  return (
    4 * Number(zone.postal_codes.length > 0) +
    2 * Number(zone.states.length > 0) +
    Number(zone.countries.length > 0)
  );
}

const isFallback = (zone: ZoneRules) => score(zone) === 0;

/**
 * The zone for an address: the matching zone with the highest specificity score (postal 4,
 * states 2, countries 1), ties to the earlier zone; a zone with no rules is the fallback. With no
 * address only the fallback applies.
 */
export function resolveZone<Z extends ZoneRules>(
  zones: readonly Z[],
  address: AddressLike | null | undefined,
): Z | null {
  if (!address || !canon(address.country)) return zones.find(isFallback) ?? null;
  let best: Z | null = null;
  let bestScore = -1;
  for (const zone of zones) {
    if (!matches(zone, address)) continue;
    const s = score(zone);
    if (s > bestScore) {
      best = zone;
      bestScore = s;
    }
  }
  return best;
}

/** The address a quote uses: shipping, else billing, else none. */
export function quoteAddress<A extends AddressLike>(shipping?: A | null, billing?: A | null): A | null {
  if (shipping && canon(shipping.country)) return shipping;
  if (billing && canon(billing.country)) return billing;
  return null;
}

/** Zone rate when a zone is resolved and sets one, else the market's. */
export function taxRateBps(market: { tax_bps: number }, zone: ZoneRules | null): number {
  return zone && zone.tax_bps !== null && zone.tax_bps !== undefined ? zone.tax_bps : market.tax_bps;
}

/**
 * Tax of one line. Exclusive: added on top, `net × rate / 10000`. Inclusive: already inside the
 * price, `net × rate / (10000 + rate)`. Rounded half away from zero.
 */
export function lineTax(net: number, rateBps: number, mode: TaxMode): number {
  if (rateBps <= 0 || net === 0) return 0;
  const den = mode === 'exclusive' ? 10_000 : 10_000 + rateBps;
  const n = BigInt(Math.abs(net)) * BigInt(rateBps);
  const d = BigInt(den);
  return Math.sign(net) * Number((2n * n + d) / (2n * d));
}
