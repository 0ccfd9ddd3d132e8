import type { CatalogBlock, CatalogBlockInput } from '@openarky/contract';
import { newId } from '../../lib/ids.ts';

/**
 * Shape-normalizes blocks (CONTRACT §8.2) without depending on the CMS module: ids filled, types
 * lower-cased (default `text`), scalar values wrapped into arrays and `null` into `[]`.
 */
export function normalizeBlocks(input: readonly CatalogBlockInput[] | undefined): CatalogBlock[] {
  return (input ?? []).map((b) => ({
    id: b.id ?? newId('blk'),
    key: b.key,
    type: (b.type ?? 'text').toLowerCase(),
    properties: (b.properties ?? {}) as Record<string, unknown>,
    value: b.value === undefined || b.value === null ? [] : Array.isArray(b.value) ? b.value : [b.value],
  }));
}

/** Variant attributes: blocks, or the seed-002 map `{ size: 'M' }` stored as text blocks. */
export function normalizeAttributes(
  input: CatalogBlockInput[] | Record<string, string | number | boolean> | undefined,
): CatalogBlock[] {
  if (!input) return [];
  if (Array.isArray(input)) return normalizeBlocks(input);
  return Object.entries(input).map(([key, value]) => ({
    id: newId('blk'),
    key,
    type: 'text',
    properties: {},
    value: [value],
  }));
}

/** Text found in block values (strings and localized maps), for `query` search. */
export function blockText(blocks: readonly CatalogBlock[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    for (const v of b.value) {
      if (typeof v === 'string') out.push(v);
      else if (v && typeof v === 'object' && !Array.isArray(v)) {
        for (const inner of Object.values(v)) if (typeof inner === 'string') out.push(inner);
      }
    }
  }
  return out;
}
