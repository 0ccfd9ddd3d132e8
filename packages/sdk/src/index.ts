export { createArkyClient, createStorefrontClient, createAdmin, createStorefront } from './client.ts';
export type { ArkyClient, StorefrontClient } from './client.ts';
export type { ArkyClientConfig, ArkyClientOptions, TokenSet, TokenStorage } from './config.ts';
export { ok, err, unwrap, ArkyError } from './result.ts';
export type { Result, Ok, Err, ApiError, ApiErrorCode } from './result.ts';
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
export { marketNamespace, storefrontMarketNamespace } from './namespaces/market.ts';
export type { Market, MarketNamespace, StorefrontMarketNamespace, MarketRef } from './namespaces/market.ts';
export type {
  StoreParam,
  CallOptions,
  WithCallOptions,
  Deleted,
  LoggedOut,
  Disconnected,
  Sent,
} from './params.ts';
export { locationNamespace, storefrontLocationNamespace } from './namespaces/location.ts';
export type {
  Location,
  LocationNamespace,
  StorefrontLocationNamespace,
  LocationRef,
} from './namespaces/location.ts';
export type { AuthNamespace, AuthToken } from './namespaces/auth.ts';
export type { AccountNamespace, Account } from './namespaces/account.ts';
export type { StoreNamespace, Store, SubscriptionPlan, SubscribeResult } from './namespaces/store.ts';
export type {
  IdentifyResult,
  Profile,
  ProfileMe,
  ProfileToken,
  StorefrontStore,
} from './namespaces/profile.ts';
export { cmsNodeNamespace, storefrontCmsNodeNamespace } from './namespaces/cms-node.ts';
export type {
  CmsNodeNamespace,
  StorefrontCmsNodeNamespace,
  Node,
  Block,
  NodeRef,
} from './namespaces/cms-node.ts';
export { mediaNamespace } from './namespaces/media.ts';
export type { MediaNamespace, Media, UploadFile } from './namespaces/media.ts';
export { cmsFormNamespace, storefrontCmsFormNamespace } from './namespaces/cms-form.ts';
export type {
  CmsFormNamespace,
  StorefrontCmsFormNamespace,
  Form,
  FormSubmission,
  FormRef,
  FormFieldInput,
} from './namespaces/cms-form.ts';
export {
  crmProfileNamespace,
  crmProfileListNamespace,
  storefrontProfileListNamespace,
} from './namespaces/crm.ts';
export type {
  CrmProfileNamespace,
  CrmProfileListNamespace,
  StorefrontProfileListNamespace,
  AdminProfile,
  ImportReport,
  Membership,
  ProfileList,
  ProfileListMember,
  ProfileListRef,
} from './namespaces/crm.ts';
export {
  eshopServiceNamespace,
  eshopProviderNamespace,
  storefrontServiceNamespace,
  storefrontProviderNamespace,
} from './namespaces/eshop-booking.ts';
export type {
  Availability,
  BookingRef,
  Provider,
  Reservation,
  Service,
  ServiceProvider,
  FindReservationsParams,
} from './namespaces/eshop-booking.ts';
