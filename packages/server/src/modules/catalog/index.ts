import { registerStoreCount } from '../stores/index.ts';

export { productRoutes } from './product.routes.ts';
export { normalizeBlocks } from './blocks.ts';
export { loadVariants, toLevel } from './product.repo.ts';

registerStoreCount('products', 'products');
export { createProduct } from './product.service.ts';
export { blockText } from './blocks.ts';
export { defaultLocale, planSlug } from './product.input.ts';
