export { lineTax, quoteAddress, resolveZone, taxRateBps, type AddressLike, type TaxMode, type ZoneRules } from './zone.ts';
export { insertDefaultMarkets, DEFAULT_MARKETS } from './market.defaults.ts';
export { findMarket, listMarkets, toMarket } from './market.repo.ts';
