import type { CatalogBlock, InventoryLevel, Price, Product, ProductVariant } from '@openarky/contract';
import type { Selectable } from 'kysely';
import type { Db } from '../../lib/context.ts';
import { fromJson } from '../../lib/json.ts';
import type { InventoryLevelTable, ProductTable, ProductVariantTable } from './catalog.table.ts';

/** Row → wire level; `reserved` is server-managed. */
export function toLevel(row: InventoryLevelTable): InventoryLevel {
  return { location_id: row.location_id, available: row.available, reserved: row.reserved, updated_at: row.updated_at };
}

export function toVariant(row: ProductVariantTable, levels: InventoryLevelTable[]): ProductVariant {
  return {
    id: row.id,
    sku: row.sku,
    prices: fromJson<Price[]>(row.prices, []),
    inventory: levels.map(toLevel),
    attributes: fromJson<CatalogBlock[]>(row.attributes, []),
    weight: row.weight,
  };
}

/** Variants and inventory of these products, in two queries, grouped by product id. */
export async function loadVariants(db: Db, productIds: string[]): Promise<Map<string, ProductVariant[]>> {
  const out = new Map<string, ProductVariant[]>();
  if (!productIds.length) return out;
  const variants = await db.selectFrom('product_variants').selectAll().where('product_id', 'in', productIds).orderBy('position').execute();
  const levels = variants.length
    ? await db.selectFrom('inventory_levels').selectAll().where('variant_id', 'in', variants.map((v) => v.id)).orderBy('position').execute()
    : [];
  const byVariant = new Map<string, InventoryLevelTable[]>();
  for (const l of levels) byVariant.set(l.variant_id, [...(byVariant.get(l.variant_id) ?? []), l]);
  for (const v of variants) out.set(v.product_id, [...(out.get(v.product_id) ?? []), toVariant(v, byVariant.get(v.id) ?? [])]);
  return out;
}

export function toProduct(row: Selectable<ProductTable>, variants: ProductVariant[]): Product {
  return {
    id: row.id,
    store_id: row.store_id,
    key: row.key,
    slug: fromJson<Record<string, string>>(row.slug, {}),
    blocks: fromJson<CatalogBlock[]>(row.blocks, []),
    taxonomies: fromJson<unknown[]>(row.taxonomies, []),
    variants,
    status: row.status,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export async function toProducts(db: Db, rows: Selectable<ProductTable>[]): Promise<Product[]> {
  const variants = await loadVariants(db, rows.map((r) => r.id));
  return rows.map((r) => toProduct(r, variants.get(r.id) ?? []));
}

/**
 * A product row by id or `{storeId}:{locale}:{slug}` (CONTRACT §1.2); the store part must be
 * this store.
 */
export async function findProductRow(db: Db, storeId: string, idOrSlug: string): Promise<Selectable<ProductTable> | undefined> {
  if (idOrSlug.includes(':')) {
    const [store, locale, ...rest] = idOrSlug.split(':');
    const slug = rest.join(':');
    if (store !== storeId || !locale || !slug) return undefined;
    return db
      .selectFrom('product_slugs')
      .innerJoin('products', 'products.id', 'product_slugs.product_id')
      .selectAll('products')
      .where('product_slugs.store_id', '=', storeId)
      .where('product_slugs.locale', '=', locale)
      .where('product_slugs.slug', '=', slug)
      .executeTakeFirst();
  }
  return db.selectFrom('products').selectAll().where('store_id', '=', storeId).where('id', '=', idOrSlug).executeTakeFirst();
}

const pickBlock = (b: CatalogBlock): CatalogBlock => ({ id: b.id, key: b.key, type: b.type, properties: b.properties, value: b.value });
const pickPrice = (p: Price): Price => ({ market: p.market, currency: p.currency, amount: p.amount, ...(p.compare_at !== undefined ? { compare_at: p.compare_at } : {}) });

/** Exactly the wire fields of a product (the response schema's whitelist, applied by hand). */
function wireProduct(p: Product, withStock: boolean): Product {
  return {
    id: p.id,
    store_id: p.store_id,
    key: p.key,
    slug: p.slug,
    blocks: p.blocks.map(pickBlock),
    taxonomies: p.taxonomies,
    variants: p.variants.map((v) => ({
      id: v.id,
      sku: v.sku ?? null,
      prices: v.prices.map(pickPrice),
      inventory: withStock ? v.inventory.map((l) => ({ location_id: l.location_id, available: l.available, reserved: l.reserved, updated_at: l.updated_at })) : [],
      attributes: v.attributes.map(pickBlock),
      weight: v.weight ?? null,
    })),
    status: p.status,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

/**
 * The stored document of a product: its wire fields only (whitelisted once, at write time, so
 * reads serialize it natively), with every `inventory` empty — stock moves at checkout without
 * touching the product, so it is overlaid when the document is read.
 */
export function toDocument(p: Product): string {
  return JSON.stringify(wireProduct(p, false));
}

/**
 * Wire products for these rows, in order: stored documents plus their variants' current stock in
 * one query (two queries per page whatever its size); rows from before migration 0013 (no
 * document) take the full load.
 */
export async function productsFromRows(db: Db, rows: Pick<Selectable<ProductTable>, 'id' | 'document'>[]): Promise<Product[]> {
  const docs = rows.map((r) => (r.document ? (JSON.parse(r.document) as Product) : undefined));
  const fromDocs = docs.filter((d): d is Product => d !== undefined);
  const legacy = rows.filter((_, i) => !docs[i]).map((r) => r.id);
  if (legacy.length) {
    const full = await db.selectFrom('products').selectAll().where('id', 'in', legacy).execute();
    const built = new Map((await toProducts(db, full)).map((p) => [p.id, wireProduct(p, true)]));
    rows.forEach((r, i) => (docs[i] ??= built.get(r.id)));
  }
  const products = docs.filter((d): d is Product => d !== undefined);
  const variantIds = fromDocs.flatMap((p) => p.variants.map((v) => v.id));
  if (variantIds.length) {
    const levels = await db
      .selectFrom('inventory_levels')
      .select(['variant_id', 'location_id', 'available', 'reserved', 'updated_at'])
      .where('variant_id', 'in', variantIds)
      .orderBy('position')
      .execute();
    const byVariant = new Map<string, InventoryLevel[]>();
    for (const l of levels) {
      const level: InventoryLevel = { location_id: l.location_id, available: l.available, reserved: l.reserved, updated_at: l.updated_at };
      const list = byVariant.get(l.variant_id);
      if (list) list.push(level);
      else byVariant.set(l.variant_id, [level]);
    }
    for (const p of fromDocs) for (const v of p.variants) v.inventory = byVariant.get(v.id) ?? [];
  }
  return products;
}
