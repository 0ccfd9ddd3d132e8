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
import { withCallOptions } from './params.ts';
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
  // Every method takes `signal`, `timeoutMs` and `idempotencyKey` among its params.
  const w = <N extends object>(ns: N) => withCallOptions(t, ns);
  // One object, two names (CONTRACT §12 row 10): `store.market` must reuse this `market`.
  const market = w(marketNamespace(t));
  // `sdk.store`; sub-namespaces (market, location) are attached to this object.
  const store = Object.assign(
    w({
      ...storeNamespace(t),
      getStoreMedia: storeGetStoreMedia(t),
      processRefund: storeProcessRefund(t),
      ...webhookMethods(t),
      ...integrationMethods(t),
    }),
    { market, location: w(locationNamespace(t)), role: w(roleNamespace(t)) },
  );
  // One object, two names (CONTRACT §2.1): `sdk.promoCode` is `sdk.eshop.promoCode`.
  const promoCode = w(promoCodeNamespace(t));
  return {
    ...core(t),
    platform: w(platformNamespace(t)),
    market,
    auth: w(authNamespace(t)),
    account: w(accountNamespace(t)),
    store,
    cms: { node: w(cmsNodeNamespace(t)), form: w(cmsFormNamespace(t)) },
    crm: { profile: w(crmProfileNamespace(t)), profileList: w(crmProfileListNamespace(t)) },
    media: w(mediaNamespace(t)),
    eshop: {
      product: w(eshopProductNamespace(t)),
      order: w(eshopOrderNamespace(t)),
      cart: w(eshopCartNamespace(t)),
      promoCode,
      service: w(eshopServiceNamespace(t)),
      provider: w(eshopProviderNamespace(t)),
    },
    promoCode,
  };
}

/** Storefront client (`sf.`): public reads and the shopper's own profile, cart and orders. */
export function createStorefrontClient(config: ArkyClientConfig) {
  const t = new Transport(config);
  const w = <N extends object>(ns: N) => withCallOptions(t, ns);
  return {
    ...core(t),
    ...w(profileNamespace(t)),
    store: Object.assign(w(storefrontStoreNamespace(t)), {
      market: w(storefrontMarketNamespace(t)),
      location: w(storefrontLocationNamespace(t)),
    }),
    cms: { node: w(storefrontCmsNodeNamespace(t)), form: w(storefrontCmsFormNamespace(t)) },
    crm: { profileList: w(storefrontProfileListNamespace(t)) },
    eshop: {
      product: w(storefrontProductNamespace(t)),
      cart: w(storefrontCartNamespace(t)),
      order: w(storefrontOrderNamespace(t)),
      service: w(storefrontServiceNamespace(t)),
      provider: w(storefrontProviderNamespace(t)),
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
