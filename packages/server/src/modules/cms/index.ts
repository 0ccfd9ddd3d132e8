import { countRows, defineModule } from '../../lib/module.ts';
import { nodeRoutes, storefrontNodeRoutes } from './node.routes.ts';

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

export { createNode } from './node.service.ts';

/** CMS nodes (CONTRACT §8.1), admin and storefront, and the `nodes` store count. */
export const cmsModule = defineModule({
  name: 'cms',
  storeCounters: { nodes: countRows('nodes') },
  install: () => ({
    routes: async (app) => {
      await app.register(nodeRoutes);
      await app.register(storefrontNodeRoutes);
    },
  }),
});
