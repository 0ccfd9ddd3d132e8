/** A node of the content tree (CONTRACT §8.1): collection = parent with `schema`, entry = child. */
export interface NodeTable {
  id: string;
  store_id: string;
  key: string;
  parent_id: string | null;
  /** JSON Block[] (canonical, relationship items stored as refs) */
  blocks: string;
  /** JSON Block[] | null */
  schema: string | null;
  /** JSON unknown[] */
  taxonomies: string;
  status: 'active' | 'archived';
  /** JSON Record<locale, slug> */
  slug: string;
  /** Lower-cased key, slugs and text values: what `query` searches. */
  search_text: string;
  created_at: number;
  updated_at: number;
}

/** One row per (node, locale) slug: makes slugs unique per store and locale, and look-ups indexed. */
export interface NodeSlugTable {
  store_id: string;
  locale: string;
  slug: string;
  node_id: string;
}

export interface CmsTables {
  nodes: NodeTable;
  node_slugs: NodeSlugTable;
}
