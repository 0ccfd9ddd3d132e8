import { registerStoreCount } from '../stores/index.ts';

export { nodeRoutes, storefrontNodeRoutes } from './node.routes.ts';
export { hydrateNodes } from './hydrate.ts';
/** The block system (CONTRACT §8.2), pure: products, services and orders reuse it. */
export {
  checkBlocks,
  normalizeBlocks,
  validateBlocks,
  dehydrate,
  collectRefs,
  hydrateBlocks,
  searchText,
  localize,
  allTexts,
  BLOCK_LIMITS,
  type Block,
  type BlockFieldError,
  type BlockGroup,
  type BlockType,
  type RefSet,
  type ValidateOptions,
} from './blocks/index.ts';

registerStoreCount('nodes', 'nodes');
export { createNode } from './node.service.ts';
