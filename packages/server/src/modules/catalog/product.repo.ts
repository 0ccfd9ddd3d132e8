import type { CatalogBlock, InventoryLevel, Price, Product, ProductVariant } from '@openarky/contract';
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

export function toProduct(row: ProductTable, variants: ProductVariant[]): Product {
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

export async function toProducts(db: Db, rows: ProductTable[]): Promise<Product[]> {
  const variants = await loadVariants(db, rows.map((r) => r.id));
  return rows.map((r) => toProduct(r, variants.get(r.id) ?? []));
}

/**
 * A product row by id or `{storeId}:{locale}:{slug}` (CONTRACT §1.2); the store part must be
 * this store.
 */
export async function findProductRow(db: Db, storeId: string, idOrSlug: string): Promise<ProductTable | undefined> {
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
