import type { Node } from '@openarky/contract';
import { fromJson } from '../../lib/json.ts';
import type { Block } from './blocks/index.ts';
import type { NodeTable } from './cms.table.ts';

/** A row as the wire Node, children empty (`get` fills them). */
export function toNode(row: NodeTable): Node {
  const schema = fromJson<Block[] | null>(row.schema, null);
  return {
    id: row.id,
    store_id: row.store_id,
    key: row.key,
    parent_id: row.parent_id,
    blocks: fromJson<Block[]>(row.blocks, []),
    ...(schema ? { schema } : {}),
    taxonomies: fromJson<unknown[]>(row.taxonomies, []),
    status: row.status,
    slug: fromJson<Record<string, string>>(row.slug, {}),
    children: [],
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
