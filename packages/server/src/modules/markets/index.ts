export {
  lineTax,
  quoteAddress,
  resolveZone,
  taxRateBps,
  type AddressLike,
  type TaxMode,
  type ZoneRules,
} from './zone.ts';
export { insertDefaultMarkets, DEFAULT_MARKETS } from './market.defaults.ts';
export { findMarket, listMarkets, toMarket } from './market.repo.ts';
export { marketRoutes } from './market.routes.ts';
export { locationRoutes } from './location.routes.ts';
export { storefrontMarketRoutes } from './storefront.routes.ts';
export { normalizeMarketInput } from './market.input.ts';
export { listLocations, toLocation } from './location.repo.ts';
export type { LocationTable, MarketTable } from './market.table.ts';

import { defineModule } from '../../lib/module.ts';
import { locationRoutes } from './location.routes.ts';
import { marketRoutes } from './market.routes.ts';
import { storefrontMarketRoutes } from './storefront.routes.ts';

/** Markets, zones, shipping methods and locations (CONTRACT §5), admin and storefront. */
export const marketsModule = defineModule({
  name: 'markets',
  install: () => ({
    routes: async (app) => {
      await app.register(marketRoutes);
      await app.register(locationRoutes);
      await app.register(storefrontMarketRoutes);
    },
  }),
});
