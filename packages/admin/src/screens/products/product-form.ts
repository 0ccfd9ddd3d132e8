import type { Location, Market, Product } from '@openarky/contract';
import { toMajor, toMinor } from '../../api/format.ts';

/** What the product form edits; `toBody` turns it into the request and says where each field went. */
export interface ProductFormValues {
  key: string;
  status: 'active' | 'archived';
  name: Record<string, string>;
  description: Record<string, string>;
  images: string[];
  variants: VariantValues[];
}

export interface VariantValues {
  id?: string;
  sku: string;
  attributes: { key: string; value: string }[];
  /** One row per market of the store, in market order; an empty amount means "not sold there". */
  prices: { market: string; currency: string; amount: number | '' }[];
  /** Store-wide first, then one row per location; empty means "no level here". */
  inventory: { location_id: string | null; available: number | '' }[];
}

export function emptyVariant(markets: Market[], locations: Location[]): VariantValues {
  return {
    sku: '',
    attributes: [],
    prices: markets.map((m) => ({ market: m.key, currency: m.currency, amount: '' })),
    inventory: [
      { location_id: null, available: '' },
      ...locations.map((l) => ({ location_id: l.id, available: '' as const })),
    ],
  };
}

const textMap = (p: Product | undefined, key: string): Record<string, string> => {
  const item = p?.blocks.find((b) => b.key === key)?.value[0];
  if (typeof item === 'string') return { en: item };
  return item && typeof item === 'object' ? (item as Record<string, string>) : {};
};

/** Form values of an existing product (or a blank one). */
export function toValues(
  p: Product | undefined,
  markets: Market[],
  locations: Location[],
): ProductFormValues {
  if (!p)
    return {
      key: '',
      status: 'active',
      name: {},
      description: {},
      images: [],
      variants: [emptyVariant(markets, locations)],
    };
  const gallery = p.blocks.find((b) => b.key === 'gallery')?.value ?? [];
  return {
    key: p.key,
    status: p.status,
    name: textMap(p, 'name'),
    description: textMap(p, 'description'),
    images: gallery
      .map((g) =>
        typeof g === 'string' ? g.replace(/^media:/, '') : String((g as { id?: string }).id ?? ''),
      )
      .filter(Boolean),
    variants: p.variants.map((v) => ({
      id: v.id,
      sku: v.sku ?? '',
      attributes: v.attributes.map((a) => ({
        key: a.key,
        value: typeof a.value[0] === 'string' ? a.value[0] : JSON.stringify(a.value[0] ?? ''),
      })),
      prices: markets.map((m) => {
        const price = v.prices.find((x) => x.market === m.key);
        return {
          market: m.key,
          currency: m.currency,
          amount: price ? toMajor(price.amount, m.currency) : '',
        };
      }),
      inventory: [null, ...locations.map((l) => l.id)].map((loc) => {
        const level = v.inventory.find((i) => i.location_id === loc);
        return { location_id: loc, available: level ? level.available : '' };
      }),
    })),
  };
}

const nonEmpty = (m: Record<string, string>) =>
  Object.fromEntries(Object.entries(m).filter(([, v]) => v.trim() !== ''));

/**
 * The create/update body, and a function that maps an API error path (`variants.0.prices.1.amount`,
 * `blocks.0.value`) back to the form field it came from, since empty rows are not sent.
 */
export function toBody(v: ProductFormValues) {
  const blocks: { key: string; type: string; value: unknown[]; properties?: Record<string, unknown> }[] = [];
  const blockField: string[] = [];
  const add = (field: string, block: (typeof blocks)[number]) => {
    blocks.push(block);
    blockField.push(field);
  };
  const name = nonEmpty(v.name);
  if (Object.keys(name).length) add('name', { key: 'name', type: 'text', value: [name] });
  const description = nonEmpty(v.description);
  if (Object.keys(description).length)
    add('description', { key: 'description', type: 'markdown', value: [description] });
  if (v.images.length)
    add('images', {
      key: 'gallery',
      type: 'relationship',
      properties: { multiple: true, target: 'media' },
      value: v.images.map((id) => `media:${id}`),
    });

  const priceIndex: number[][] = [];
  const stockIndex: number[][] = [];
  const variants = v.variants.map((variant, vi) => {
    priceIndex[vi] = [];
    stockIndex[vi] = [];
    const prices = variant.prices.flatMap((p, pi) => {
      if (p.amount === '') return [];
      priceIndex[vi]!.push(pi);
      return [{ market: p.market, amount: toMinor(Number(p.amount), p.currency) }];
    });
    const inventory = variant.inventory.flatMap((l, li) => {
      if (l.available === '') return [];
      stockIndex[vi]!.push(li);
      return [{ location_id: l.location_id, available: Number(l.available) }];
    });
    return {
      ...(variant.id ? { id: variant.id } : {}),
      sku: variant.sku.trim() || null,
      prices,
      inventory,
      attributes: variant.attributes
        .filter((a) => a.key.trim())
        .map((a) => ({ key: a.key.trim(), type: 'text', value: [a.value] })),
    };
  });

  const fieldOf = (apiField: string): string => {
    const b = /^blocks\.(\d+)/.exec(apiField);
    if (b) return blockField[Number(b[1])] ?? 'name';
    const p = /^variants\.(\d+)\.prices\.(\d+)(.*)$/.exec(apiField);
    if (p) return `variants.${p[1]}.prices.${priceIndex[Number(p[1])]?.[Number(p[2])] ?? 0}.amount`;
    const s = /^variants\.(\d+)\.inventory\.(\d+)(.*)$/.exec(apiField);
    if (s) return `variants.${s[1]}.inventory.${stockIndex[Number(s[1])]?.[Number(s[2])] ?? 0}.available`;
    return apiField;
  };

  return { body: { key: v.key.trim(), status: v.status, blocks, variants }, fieldOf };
}
