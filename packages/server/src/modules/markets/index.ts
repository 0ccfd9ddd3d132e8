export { lineTax, quoteAddress, resolveZone, taxRateBps, type AddressLike, type TaxMode, type ZoneRules } from './zone.ts';
export { insertDefaultMarkets, DEFAULT_MARKETS } from './market.defaults.ts';
export { findMarket, listMarkets, toMarket } from './market.repo.ts';
export { marketRoutes } from './market.routes.ts';
export { locationRoutes } from './location.routes.ts';
export { storefrontMarketRoutes } from './storefront.routes.ts';
export { normalizeMarketInput } from './market.input.ts';
export { listLocations, toLocation } from './location.repo.ts';
