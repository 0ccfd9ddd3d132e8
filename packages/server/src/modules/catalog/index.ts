import { countRows, defineModule } from '../../lib/module.ts';
import { productRoutes } from './product.routes.ts';

export { productRoutes } from './product.routes.ts';
export { normalizeBlocks } from './blocks.ts';
export { loadVariants, toLevel } from './product.repo.ts';
export { createProduct } from './product.service.ts';
/** Stock levels are written here only: commerce reserves, commits and returns through these. */
export { reserveStock, commitStock, returnStock, type Reservation, type StockLine } from './stock.ts';

/** Products, variants and stock levels (CONTRACT §6.1), and the `products` store count. */
export const catalogModule = defineModule({
  name: 'catalog',
  storeCounters: { products: countRows('products') },
  install: () => ({
    routes: async (app) => {
      await app.register(productRoutes);
    },
  }),
});
