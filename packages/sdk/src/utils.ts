/** Any block: canonical `value: unknown[]` (§8.2) or a 0.9.x scalar value. */
export interface BlockLike {
  key?: string;
  type?: string;
  value?: unknown;
}

/** Anything with blocks (node, product, service, provider, order), or the blocks themselves. */
export type BlockSource = { blocks?: readonly BlockLike[] | null } | readonly BlockLike[] | null | undefined;

/** A price entry (sdk `Price`); 0.9.x data may hold a single entry or a bare amount. */
export interface PriceLike {
  market?: string;
  currency?: string;
  amount: number;
  compare_at?: number | null;
}
export type Prices = readonly PriceLike[] | PriceLike | number | null | undefined;

/** A variant's stock: `InventoryLevel[]` or the seed 002 number. */
export interface StockHolder {
  inventory?: readonly { available?: number }[] | { available?: number } | number | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Value items of a block: arrays as is, a 0.9.x scalar wrapped, null → []. */
function valueItems(block: BlockLike | null | undefined): unknown[] {
  const v = block?.value;
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function findBlock(source: BlockSource, key: string): BlockLike | undefined {
  const blocks = Array.isArray(source)
    ? (source as readonly BlockLike[])
    : (source as { blocks?: BlockLike[] })?.blocks;
  return blocks?.find((b) => b.key === key);
}

/** A localized map read with the fallback requested → 'en' → first present (§1.3). */
function readLocalized(map: Record<string, unknown>, locale: string): string {
  for (const candidate of [map[locale], map.en, ...Object.values(map)]) {
    if (typeof candidate === 'string') return candidate;
  }
  return '';
}

/** The text of a block's first value item in `locale` ('' when there is none). */
export function getBlockTextValue(block: BlockLike | null | undefined, locale = 'en'): string {
  const first = valueItems(block)[0];
  if (typeof first === 'string') return first;
  if (typeof first === 'number' || typeof first === 'boolean') return String(first);
  return isRecord(first) ? readLocalized(first, locale) : '';
}

/** The first value item of the block named `key`. */
export function getBlockValue(source: BlockSource, key: string): unknown {
  return valueItems(findBlock(source, key))[0];
}

/** Every value item of the block named `key` ([] when absent). */
export function getBlockValues(source: BlockSource, key: string): unknown[] {
  return valueItems(findBlock(source, key));
}

// Unhydrated relationship refs (§8.2) are ids, not URLs.
const REF = /^(media|entry|node):/;

/**
 * URL of an image: a Media (`resolutions[resolution]`, else `original`), a hydrated relationship
 * block (its first media), or a plain URL string. Null when nothing usable is there.
 */
export function getImageUrl(source: unknown, resolution = 'original'): string | null {
  if (typeof source === 'string') return source && !REF.test(source) ? source : null;
  if (!isRecord(source)) return null;
  if (isRecord(source.resolutions)) {
    const res = source.resolutions[resolution] ?? source.resolutions.original;
    return isRecord(res) && typeof res.url === 'string' ? res.url : null;
  }
  if ('value' in source) return getImageUrl(valueItems(source)[0], resolution);
  return typeof source.url === 'string' ? source.url : null;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** `1999, 'USD'` → `$19.99`; the currency's own minor digits (JPY 0, KWD 3). */
export function formatMinor(amount: number, currency: string, locale = 'en'): string {
  const id = `${locale}|${currency}`;
  let fmt = formatters.get(id);
  if (!fmt) {
    try {
      fmt = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      // Unknown currency code: still show something readable instead of throwing in a render.
      return `${(amount / 100).toFixed(2)} ${currency}`;
    }
    formatters.set(id, fmt);
  }
  const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
  return fmt.format(amount / 10 ** digits);
}

function pickPrice(prices: Prices, market?: string): PriceLike | undefined {
  const list: readonly PriceLike[] = Array.isArray(prices)
    ? prices
    : isRecord(prices)
      ? [prices as PriceLike]
      : [];
  if (!market) return list[0];
  const wanted = market.toLowerCase();
  return list.find((p) => p.market?.toLowerCase() === wanted);
}

/** Amount in minor units for `market` (key, any case); null when the market has no price. */
export function getPriceAmount(prices: Prices, market?: string): number | null {
  if (typeof prices === 'number') return prices;
  return pickPrice(prices, market)?.amount ?? null;
}

/** Formatted price for `market` (first price when none given); '' when there is none. */
export function formatPrice(prices: Prices, market?: string, locale = 'en'): string {
  const price = typeof prices === 'number' ? undefined : pickPrice(prices, market);
  return price?.currency ? formatMinor(price.amount, price.currency, locale) : '';
}

/** `Crème Brûlée à 2€` → `creme-brulee-a-2`, a valid key (§1.2) when non-empty. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Units available over every location; -1 anywhere means unlimited (Infinity); no levels → 0. */
export function getAvailableStock(variant: StockHolder | null | undefined): number {
  const inv = variant?.inventory;
  if (typeof inv === 'number') return inv === -1 ? Infinity : Math.max(0, inv);
  const levels = Array.isArray(inv) ? inv : isRecord(inv) ? [inv as { available?: number }] : [];
  let total = 0;
  for (const level of levels) {
    const available = level.available ?? 0;
    if (available === -1) return Infinity;
    total += Math.max(0, available);
  }
  return total;
}

/** Whether `qty` units can be bought. */
export function hasStock(variant: StockHolder | null | undefined, qty = 1): boolean {
  return getAvailableStock(variant) >= qty;
}

/** `sdk.utils`: the functions above with the client's current locale and market as defaults. */
export function createUtils(defaults: { readonly locale: string; readonly market?: string | undefined }) {
  return {
    getBlockTextValue: (block: BlockLike | null | undefined, locale = defaults.locale) =>
      getBlockTextValue(block, locale),
    getBlockValue,
    getBlockValues,
    getImageUrl,
    formatMinor: (amount: number, currency: string, locale = defaults.locale) =>
      formatMinor(amount, currency, locale),
    getPriceAmount: (prices: Prices, market = defaults.market) => getPriceAmount(prices, market),
    formatPrice: (prices: Prices, market = defaults.market) => formatPrice(prices, market, defaults.locale),
    slugify,
    getAvailableStock,
    hasStock,
  };
}

/** `sdk.utils`. */
export type Utils = ReturnType<typeof createUtils>;
