import type { CatalogBlock, InventoryLevel, Price, Product, ProductVariant } from '@openarky/contract';
import type { Selectable } from 'kysely';
import type { Db } from '../../lib/context.ts';
import { fromJson } from '../../lib/json.ts';
import type { InventoryLevelTable, ProductTable, ProductVariantTable } from './catalog.table.ts';

/** Row → wire level; `reserved` is server-managed. */
export function toLevel(row: InventoryLevelTable): InventoryLevel {
  return {
    location_id: row.location_id,
    available: row.available,
    reserved: row.reserved,
    updated_at: row.updated_at,
  };
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
  const variants = await db
    .selectFrom('product_variants')
    .selectAll()
    .where('product_id', 'in', productIds)
    .orderBy('position')
    .execute();
  const levels = variants.length
    ? await db
        .selectFrom('inventory_levels')
        .selectAll()
        .where(
          'variant_id',
          'in',
          variants.map((v) => v.id),
        )
        .orderBy('position')
        .execute()
    : [];
  const byVariant = new Map<string, InventoryLevelTable[]>();
  for (const l of levels) byVariant.set(l.variant_id, [...(byVariant.get(l.variant_id) ?? []), l]);
  for (const v of variants)
    out.set(v.product_id, [...(out.get(v.product_id) ?? []), toVariant(v, byVariant.get(v.id) ?? [])]);
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
  const variants = await loadVariants(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toProduct(r, variants.get(r.id) ?? []));
}

/**
 * A product row by id or `{storeId}:{locale}:{slug}` (CONTRACT §1.2); the store part must be
 * this store.
 */
export async function findProductRow(
  db: Db,
  storeId: string,
  idOrSlug: string,
): Promise<Selectable<ProductTable> | undefined> {
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
  return db
    .selectFrom('products')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('id', '=', idOrSlug)
    .executeTakeFirst();
}

const pickBlock = (b: CatalogBlock): CatalogBlock => ({
  id: b.id,
  key: b.key,
  type: b.type,
  properties: b.properties,
  value: b.value,
});
const pickPrice = (p: Price): Price => ({
  market: p.market,
  currency: p.currency,
  amount: p.amount,
  ...(p.compare_at !== undefined ? { compare_at: p.compare_at } : {}),
});

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
      inventory: withStock
        ? v.inventory.map((l) => ({
            location_id: l.location_id,
            available: l.available,
            reserved: l.reserved,
            updated_at: l.updated_at,
          }))
        : [],
      attributes: v.attributes.map(pickBlock),
      weight: v.weight ?? null,
    })),
    status: p.status,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

/** Where each variant's stock goes in a document: `[offset of its "[]", variant id]`. */
type StockSlots = [number, string][];

/**
 * The stored document of a product: its wire fields only (whitelisted once, at write time, so
 * reads send it as it is), with every `inventory` empty — stock moves at checkout without
 * touching the product — and the offsets where each variant's current stock is spliced in.
 */
export function toDocument(p: Product): { document: string; document_stock: string } {
  const w = wireProduct(p, false);
  let doc = `${JSON.stringify({ id: w.id, store_id: w.store_id, key: w.key, slug: w.slug, blocks: w.blocks, taxonomies: w.taxonomies }).slice(0, -1)},"variants":[`;
  const slots: StockSlots = [];
  w.variants.forEach((v, i) => {
    doc += `${i ? ',' : ''}${JSON.stringify({ id: v.id, sku: v.sku, prices: v.prices }).slice(0, -1)},"inventory":`;
    slots.push([doc.length, v.id]);
    doc += `[],"attributes":${JSON.stringify(v.attributes)},"weight":${JSON.stringify(v.weight)}}`;
  });
  doc += `],"status":${JSON.stringify(w.status)},"created_at":${JSON.stringify(w.created_at)},"updated_at":${JSON.stringify(w.updated_at)}}`;
  return { document: doc, document_stock: JSON.stringify(slots) };
}

type DocumentRow = Pick<Selectable<ProductTable>, 'id' | 'document' | 'document_stock'>;

/**
 * The JSON text of each row's product, in order: stored documents with their variants' current
 * stock spliced in (one query for the whole page, no parse or re-serialization); rows from
 * before migration 0013 (no document) take the full load.
 */
export async function productJsonFromRows(db: Db, rows: DocumentRow[]): Promise<string[]> {
  const slots = rows.map((r) =>
    r.document && r.document_stock ? (JSON.parse(r.document_stock) as StockSlots) : undefined,
  );
  const variantIds = slots.flatMap((s) => (s ? s.map(([, id]) => id) : []));
  const stock = new Map<string, InventoryLevel[]>();
  if (variantIds.length) {
    const levels = await db
      .selectFrom('inventory_levels')
      .select(['variant_id', 'location_id', 'available', 'reserved', 'updated_at'])
      .where('variant_id', 'in', variantIds)
      .orderBy('position')
      .execute();
    for (const l of levels) {
      const level: InventoryLevel = {
        location_id: l.location_id,
        available: l.available,
        reserved: l.reserved,
        updated_at: l.updated_at,
      };
      const list = stock.get(l.variant_id);
      if (list) list.push(level);
      else stock.set(l.variant_id, [level]);
    }
  }
  const legacyIds = rows.filter((_, i) => !slots[i]).map((r) => r.id);
  const legacy = new Map<string, string>();
  if (legacyIds.length) {
    const full = await db.selectFrom('products').selectAll().where('id', 'in', legacyIds).execute();
    for (const p of await toProducts(db, full)) legacy.set(p.id, JSON.stringify(wireProduct(p, true)));
  }
  const out: string[] = [];
  rows.forEach((r, i) => {
    const s = slots[i];
    if (!s) {
      const text = legacy.get(r.id);
      if (text) out.push(text);
      return;
    }
    const doc = r.document!;
    let text = '';
    let from = 0;
    for (const [at, variantId] of s) {
      text += doc.slice(from, at) + JSON.stringify(stock.get(variantId) ?? []);
      from = at + 2; // past the stored "[]"
    }
    out.push(text + doc.slice(from));
  });
  return out;
}
