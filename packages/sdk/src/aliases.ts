/** Alias → wire key (CONTRACT §2.5). The wire spelling wins when both are present. */
const KEY_ALIASES: Readonly<Record<string, string>> = {
  storeId: 'store_id',
  businessId: 'store_id',
  returnUrl: 'return_url',
  isNetwork: 'is_network',
  accountId: 'account_id',
  mediaId: 'media_id',
  activeForCardPayments: 'active_for_card_payments',
  // seed 002 quote / checkout
  lines: 'items',
  productId: 'product_id',
  variantId: 'variant_id',
  serviceId: 'service_id',
  providerId: 'provider_id',
  paymentMethod: 'payment_method_id',
  shippingMethodId: 'shipping_method_id',
  promoCode: 'promo_code',
  // seed 002 markets, zones, shipping
  taxMode: 'tax_mode',
  taxBps: 'tax_bps',
  paymentMethods: 'payment_methods',
  shippingMethods: 'shipping_methods',
  freeThreshold: 'free_above',
  etaText: 'eta_text',
  // seed 002 booking
  workingDays: 'working_days',
  workingHours: 'working_hours',
  outcastDates: 'outcast_dates',
  specificDates: 'specific_dates',
  // seed 002 block properties
  minLength: 'min_length',
  maxLength: 'max_length',
  // seed 003 money example
  compare_at_price: 'compare_at',
};

/** seed 002 line types (UPPER) → wire values. */
const TYPE_VALUES: Readonly<Record<string, string>> = { PRODUCT_VARIANT: 'product', SERVICE: 'service' };

/** Values the user owns entirely (block values): never touched. */
const OPAQUE_KEYS = new Set(['value']);

/**
 * Keys whose object value is a user-defined map (webhook headers, metadata, settings, localized
 * maps, the seed 002 attributes map): its keys are data, not field names. Arrays under these keys
 * (e.g. attributes as Block[]) are still rewritten.
 */
const USER_MAP_KEYS = new Set([
  'headers',
  'metadata',
  'settings',
  'label',
  'slug',
  'attributes',
  'name',
  'title',
  'description',
]);

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/** seed 002 `languages: [{ code, isDefault }]` → `[{ id }]` with the default first. */
function rewriteLanguages(list: unknown[]): unknown[] {
  if (!list.every((l) => isPlainObject(l) && typeof l.code === 'string' && l.id === undefined))
    return list.map(applyAliases);
  const langs = list as { code: string; isDefault?: unknown }[];
  const ordered = [
    ...langs.filter((l) => l.isDefault === true),
    ...langs.filter((l) => l.isDefault !== true),
  ];
  return ordered.map((l) => ({ id: l.code }));
}

function rewriteValue(key: string, value: unknown): unknown {
  if (OPAQUE_KEYS.has(key)) return value;
  if (USER_MAP_KEYS.has(key) && isPlainObject(value)) return value;
  if (key === 'type' && typeof value === 'string') return TYPE_VALUES[value] ?? value;
  if (key === 'events' && Array.isArray(value)) {
    // 000 testWebhook passes event names; the wire wants `{ event }` objects.
    return value.map((e) => (typeof e === 'string' ? { event: e } : applyAliases(e)));
  }
  if (key === 'languages' && Array.isArray(value)) return rewriteLanguages(value);
  return applyAliases(value);
}

/** Rewrites the key aliases of CONTRACT §2.5 in request params and bodies, recursively. */
export function applyAliases<T>(input: T): T;
export function applyAliases(input: unknown): unknown {
  if (Array.isArray(input)) return input.map(applyAliases);
  if (!isPlainObject(input)) return input;
  const entries = Object.entries(input);
  // Keys spelled the wire way win over their aliases wherever they appear in the object.
  const explicit = new Set(
    entries.filter(([k, v]) => KEY_ALIASES[k] === undefined && v !== undefined).map(([k]) => k),
  );
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const wire = KEY_ALIASES[key];
    if (wire === undefined) {
      if (value !== undefined || out[key] === undefined) out[key] = rewriteValue(key, value);
    } else if (!explicit.has(wire) && out[wire] === undefined && value !== undefined)
      out[wire] = rewriteValue(wire, value);
  }
  return out;
}
