import type { Node } from '@openarky/contract';
import type { Db } from '../../lib/context.ts';
import { findMediaByIds } from '../media/index.ts';
import { collectRefs, hydrateBlocks } from './blocks/index.ts';
import { toNode } from './node.mapper.ts';
import { nodeRowsByIds } from './node.repo.ts';

/**
 * Hydrates the relationship refs of a whole page of nodes (and their children) one level deep
 * (CONTRACT §8.2): one query for every referenced media and one for every referenced node,
 * whatever the number of nodes and blocks. Hydrated nodes keep their own refs and no children;
 * refs to missing (or, on the storefront, archived) targets stay strings.
 */
export async function hydrateNodes(
  db: Db,
  storeId: string,
  nodes: Node[],
  activeOnly: boolean,
): Promise<Node[]> {
  const refs = { media: new Set<string>(), entry: new Set<string>() };
  for (const n of nodes) {
    collectRefs(n.blocks, refs);
    for (const c of n.children as Node[]) collectRefs(c.blocks, refs);
  }
  if (!refs.media.size && !refs.entry.size) return nodes;
  const [media, entryRows] = await Promise.all([
    findMediaByIds(db, storeId, refs.media),
    nodeRowsByIds(db, storeId, refs.entry, activeOnly),
  ]);
  const entries = new Map(entryRows.map((r) => [r.id, toNode(r)]));
  const resolve = (kind: 'media' | 'entry', id: string) =>
    kind === 'media' ? media.get(id) : entries.get(id);
  const one = (n: Node): Node => ({ ...n, blocks: hydrateBlocks(n.blocks, resolve) });
  return nodes.map((n) => ({ ...one(n), children: (n.children as Node[]).map(one) }));
}
