/** Stored tokens (sdk field names). provider 'API' means the access token is an API key (seed 002). */
export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  access_expires_at?: number;
  provider?: 'EMAIL' | 'GOOGLE' | 'APPLE' | 'GUEST' | 'API';
}

/** Where the client keeps its tokens: required unless the client authenticates with an API key. */
export interface TokenStorage {
  getToken: () => string | TokenSet | null;
  setToken: (token: string, tokens?: TokenSet) => void;
}

/**
 * Client configuration (seed 003 `ArkyClientConfig` plus the additions of CONTRACT §2.2).
 * `getToken`/`setToken` may be left out when `apiKey` is given (a server-side client).
 */
export type ArkyClientConfig = ArkyClientOptions & (TokenStorage | { apiKey: string });

/** Every option of `ArkyClientConfig`, the token callbacks optional. */
export interface ArkyClientOptions extends Partial<TokenStorage> {
  /** Default store of every call. */
  storeId: string;
  /** Exposed on the client; 'sandbox' marks a client meant for test data. No other behaviour. */
  environment?: 'production' | 'sandbox';
  /** Server root without `/v1`; default `http://localhost:8000`. */
  baseUrl?: string;
  /** Called after a 401 that a refresh could not fix. */
  onAuthError?: () => void;
  /** Default market key, e.g. 'us'. */
  market?: string;
  /** Default locale; 'en' when absent. */
  locale?: string;
  /** Storefront: get a guest token before a call made without one. */
  autoGuest?: boolean;
  /** Sent as `X-API-Key` instead of any token. */
  apiKey?: string;
  /** Default '/v1/auth/refresh'. */
  refreshPath?: string;
  /** Injectable transport; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /**
   * Retries after a network error, a timeout, 409 `idempotency_conflict` (still in progress), 429
   * and 5xx, with the same Idempotency-Key; default 3 (so at most 4 attempts).
   */
  maxRetries?: number;
  /** First backoff delay in ms, doubled per retry with full jitter, capped at 10 s; default 300. */
  retryBaseMs?: number;
  /** Per-attempt timeout in ms; default none. A call's own `timeoutMs` wins. */
  timeoutMs?: number;
}

/** The configuration with defaults applied; `storeId`, `market` and `locale` change via the client setters. */
export interface ResolvedConfig extends ArkyClientOptions {
  environment: 'production' | 'sandbox';
  baseUrl: string;
  locale: string;
  refreshPath: string;
}

/** Default server: the local self-hosted one, so the SDK never calls a host the user did not name. */
export const DEFAULT_BASE_URL = 'http://localhost:8000';

/** Copies the user's config (never mutated) and fills the defaults. */
export function resolveConfig(config: ArkyClientConfig): ResolvedConfig {
  return {
    ...config,
    environment: config.environment ?? 'production',
    baseUrl: (config.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
    locale: config.locale ?? 'en',
    refreshPath: config.refreshPath ?? '/v1/auth/refresh',
  };
}
