export { createArkyClient, createStorefrontClient, createAdmin, createStorefront } from './client.ts';
export type { ArkyClient, StorefrontClient } from './client.ts';
export type { ArkyClientConfig, TokenSet } from './config.ts';
export { ok, err, unwrap, ArkyError } from './result.ts';
export type { Result, Ok, Err, ApiError } from './result.ts';
export type { Page, PageRequest, PaginationParams } from './paginate.ts';
export { Transport } from './transport.ts';
export type { RequestOptions, HttpMethod } from './transport.ts';
export { path } from './url.ts';
export { applyAliases } from './aliases.ts';
export {
  getBlockTextValue,
  getBlockValue,
  getBlockValues,
  getImageUrl,
  formatMinor,
  formatPrice,
  getPriceAmount,
  slugify,
  getAvailableStock,
  hasStock,
} from './utils.ts';
export type { BlockLike, BlockSource, PriceLike, Prices, StockHolder, Utils } from './utils.ts';
export type { PlatformNamespace, Country, IntegrationService } from './namespaces/platform.ts';
