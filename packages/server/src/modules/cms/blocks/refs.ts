import type { Block } from './types.ts';
import { isRecord, REF_PATTERN } from './types.ts';
import { allTexts } from './localize.ts';

/** Ids referenced by relationship blocks, nested groups included. */
export interface RefSet {
  media: Set<string>;
  entry: Set<string>;
}

/** Adds every `media:`/`entry:` reference in `blocks` to `into` (one pass over a whole page). */
export function collectRefs(
  blocks: readonly Block[],
  into: RefSet = { media: new Set(), entry: new Set() },
): RefSet {
  for (const block of blocks) {
    if (block.type === 'relationship') {
      for (const item of block.value) {
        const m = typeof item === 'string' ? REF_PATTERN.exec(item) : null;
        if (m) into[m[1] as 'media' | 'entry'].add(m[2]!);
      }
    } else if (block.type === 'block') {
      for (const group of block.value)
        if (isRecord(group) && Array.isArray(group.blocks)) collectRefs(group.blocks as Block[], into);
    }
  }
  return into;
}

/**
 * Replaces each reference the resolver knows by its object (CONTRACT §8.2 hydration); unknown
 * references stay strings. Returns new blocks; the input is not changed.
 */
export function hydrateBlocks(
  blocks: readonly Block[],
  resolve: (kind: 'media' | 'entry', id: string) => unknown,
): Block[] {
  return blocks.map((block) => {
    if (block.type === 'relationship') {
      return {
        ...block,
        value: block.value.map((item) => {
          const m = typeof item === 'string' ? REF_PATTERN.exec(item) : null;
          return (m && resolve(m[1] as 'media' | 'entry', m[2]!)) ?? item;
        }),
      };
    }
    if (block.type === 'block') {
      return {
        ...block,
        value: block.value.map((g) =>
          isRecord(g) && Array.isArray(g.blocks)
            ? { ...g, blocks: hydrateBlocks(g.blocks as Block[], resolve) }
            : g,
        ),
      };
    }
    return block;
  });
}

/** Lower-cased text a `query` filter searches: the key, slugs and every text value, nested ones too. */
export function searchText(key: string, slug: Record<string, string>, blocks: readonly Block[]): string {
  const parts: string[] = [key, ...Object.values(slug)];
  const walk = (list: readonly Block[]) => {
    for (const b of list) {
      if (b.type === 'text' || b.type === 'markdown')
        for (const item of b.value) parts.push(...allTexts(item));
      else if (b.type === 'block')
        for (const g of b.value) if (isRecord(g) && Array.isArray(g.blocks)) walk(g.blocks as Block[]);
    }
  };
  walk(blocks);
  return parts.join('\n').toLowerCase();
}
