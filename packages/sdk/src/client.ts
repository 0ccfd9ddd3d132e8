import type { ArkyClientConfig, ResolvedConfig } from './config.ts';
import { platformNamespace } from './namespaces/platform.ts';
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
  return {
    ...core(t),
    platform: platformNamespace(t),
  };
}

/** Storefront client (`sf.`): public reads and the shopper's own profile, cart and orders. */
export function createStorefrontClient(config: ArkyClientConfig) {
  const t = new Transport(config);
  return {
    ...core(t),
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
