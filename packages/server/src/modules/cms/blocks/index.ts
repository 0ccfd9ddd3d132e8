import { normalizeBlocks } from './normalize.ts';
import type { Block, BlockFieldError } from './types.ts';
import { validateBlocks, type ValidateOptions } from './validate.ts';

export { normalizeBlocks, dehydrate } from './normalize.ts';
export { validateBlocks, BLOCK_LIMITS, type ValidateOptions } from './validate.ts';
export { collectRefs, hydrateBlocks, searchText, type RefSet } from './refs.ts';
export { localize, allTexts } from './localize.ts';
export type { Block, BlockFieldError, BlockGroup, BlockType } from './types.ts';

/** Normalizes any accepted input form and checks it: canonical blocks, or every field error. Pure. */
export function checkBlocks(
  input: unknown,
  options: ValidateOptions & { newId?: () => string } = {},
): { blocks: Block[]; errors: BlockFieldError[] } {
  const items = normalizeBlocks(input, options.newId);
  const errors = validateBlocks(items, options);
  return { blocks: items as Block[], errors };
}
