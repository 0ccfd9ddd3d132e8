import type { ArkyClientConfig, ResolvedConfig } from './config.ts';
import { platformNamespace } from './namespaces/platform.ts';
import { authNamespace } from './namespaces/auth.ts';
import { accountNamespace } from './namespaces/account.ts';
import { storeNamespace } from './namespaces/store.ts';
import { profileNamespace, storefrontStoreNamespace } from './namespaces/profile.ts';
import { marketNamespace, storefrontMarketNamespace } from './namespaces/market.ts';
import { locationNamespace, storefrontLocationNamespace } from './namespaces/location.ts';
import { roleNamespace } from './namespaces/role.ts';
import { cmsNodeNamespace, storefrontCmsNodeNamespace } from './namespaces/cms-node.ts';
import { cmsFormNamespace, storefrontCmsFormNamespace } from './namespaces/cms-form.ts';
import {
  crmProfileListNamespace,
  crmProfileNamespace,
  storefrontProfileListNamespace,
} from './namespaces/crm.ts';
import { mediaNamespace, storeGetStoreMedia } from './namespaces/media.ts';
import { eshopProductNamespace, storefrontProductNamespace } from './namespaces/eshop-product.ts';
import {
  eshopOrderNamespace,
  storeProcessRefund,
  storefrontOrderNamespace,
} from './namespaces/eshop-order.ts';
import { eshopCartNamespace, storefrontCartNamespace } from './namespaces/eshop-cart.ts';
import { promoCodeNamespace } from './namespaces/promo-code.ts';
import {
  eshopProviderNamespace,
  eshopServiceNamespace,
  storefrontProviderNamespace,
  storefrontServiceNamespace,
} from './namespaces/eshop-booking.ts';
import { webhookMethods } from './namespaces/webhooks.ts';
import { integrationMethods } from './namespaces/integrations.ts';
import type { Result } from './result.ts';
import { Transport, type RequestOptions } from './transport.ts';
import { createUtils } from './utils.ts';

/**
 * What both clients share (CONTRACT §2.1): config, setters, utils and a raw `request` escape hatch.
 * A namespace is a `(t: Transport) => {...}` factory in `namespaces/`, added below with one line.
 */
function core(t: Transport) {
  const config = t.config;
  return {
    config: config as Readonly<ResolvedConfig>,
    environment: config.environment,
    utils: createUtils(config),
    setStoreId: (storeId: string): void => void (config.storeId = storeId),
    getStoreId: (): string => config.storeId,
    setMarket: (market: string): void => void (config.market = market),
    getMarket: (): string | undefined => config.market,
    setLocale: (locale: string): void => void (config.locale = locale),
    getLocale: (): string => config.locale,
    /** Any endpoint without a namespace method yet; same auth, retry and Result rules. */
    request: <T>(opts: RequestOptions): Promise<Result<T>> => t.request<T>(opts),
  };
}

/** Admin client (`sdk.`): account, store and catalogue management. */
export function createArkyClient(config: ArkyClientConfig) {
  const t = new Transport(config);
  // One object, two names (CONTRACT §12 row 10): `store.market` must reuse this `market`.
  const market = marketNamespace(t);
  // `sdk.store`; sub-namespaces (market, location) are attached to this object.
  const store = Object.assign(
    storeNamespace(t),
    {
      getStoreMedia: storeGetStoreMedia(t),
      market,
      location: locationNamespace(t),
      role: roleNamespace(t),
      processRefund: storeProcessRefund(t),
    },
    webhookMethods(t),
    integrationMethods(t),
  );
  // One object, two names (CONTRACT §2.1): `sdk.promoCode` is `sdk.eshop.promoCode`.
  const promoCode = promoCodeNamespace(t);
  return {
    ...core(t),
    platform: platformNamespace(t),
    market,
    auth: authNamespace(t),
    account: accountNamespace(t),
    store,
    cms: { node: cmsNodeNamespace(t), form: cmsFormNamespace(t) },
    crm: { profile: crmProfileNamespace(t), profileList: crmProfileListNamespace(t) },
    media: mediaNamespace(t),
    eshop: {
      product: eshopProductNamespace(t),
      order: eshopOrderNamespace(t),
      cart: eshopCartNamespace(t),
      promoCode,
      service: eshopServiceNamespace(t),
      provider: eshopProviderNamespace(t),
    },
    promoCode,
  };
}

/** Storefront client (`sf.`): public reads and the shopper's own profile, cart and orders. */
export function createStorefrontClient(config: ArkyClientConfig) {
  const t = new Transport(config);
  return {
    ...core(t),
    ...profileNamespace(t),
    store: Object.assign(storefrontStoreNamespace(t), {
      market: storefrontMarketNamespace(t),
      location: storefrontLocationNamespace(t),
    }),
    cms: { node: storefrontCmsNodeNamespace(t), form: storefrontCmsFormNamespace(t) },
    crm: { profileList: storefrontProfileListNamespace(t) },
    eshop: {
      product: storefrontProductNamespace(t),
      cart: storefrontCartNamespace(t),
      order: storefrontOrderNamespace(t),
      service: storefrontServiceNamespace(t),
      provider: storefrontProviderNamespace(t),
    },
  };
}

/** The admin client. */
export type ArkyClient = ReturnType<typeof createArkyClient>;
/** The storefront client. */
export type StorefrontClient = ReturnType<typeof createStorefrontClient>;

/** 0.9.x name of `createArkyClient`. */
export const createAdmin = createArkyClient;
/** 0.9.x name of `createStorefrontClient`. */
export const createStorefront = createStorefrontClient;
