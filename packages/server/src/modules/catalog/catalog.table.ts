import type { ColumnType } from 'kysely';

export interface ProductTable {
  id: string;
  store_id: string;
  key: string;
  /** JSON Record<locale, slug> */
  slug: string;
  /** JSON Block[] */
  blocks: string;
  /** JSON unknown[] */
  taxonomies: string;
  status: 'active' | 'archived';
  /** Lower-cased key, slugs and block text: what `query` searches. */
  search_text: string;
  /** Lower-cased `name` block values, one per line: what ranks a `query` (migration 0014). */
  search_name: ColumnType<string, string | undefined, string>;
  /**
   * JSON wire Product with every `inventory` empty, rebuilt in the transaction of every product
   * write (stock is overlaid at read time). Null only for rows written before migration 0013.
   */
  document: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON `[offset, variant id][]`: where each variant's stock is spliced into `document`. */
  document_stock: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: number;
  updated_at: number;
}

/** One row per (store, locale, slug): makes slugs unique and `store:locale:slug` lookups indexed. */
export interface ProductSlugTable {
  store_id: string;
  locale: string;
  slug: string;
  product_id: string;
}

export interface ProductVariantTable {
  id: string;
  store_id: string;
  product_id: string;
  sku: string | null;
  /** JSON Price[]: read together with the variant by quotes, never filtered on. */
  prices: string;
  /** JSON Block[] */
  attributes: string;
  weight: number | null;
  position: number;
  created_at: number;
  updated_at: number;
}

/** Stock of one variant at one location (null = store wide); `available = -1` is unlimited. */
export interface InventoryLevelTable {
  id: string;
  store_id: string;
  variant_id: string;
  location_id: string | null;
  available: number;
  reserved: number;
  position: number;
  updated_at: number;
}

export interface CatalogTables {
  products: ProductTable;
  product_slugs: ProductSlugTable;
  product_variants: ProductVariantTable;
  inventory_levels: InventoryLevelTable;
}
