import type { ResolvedConfig, TokenSet } from './config.ts';
import type { Result } from './result.ts';

/** Unauthenticated POST used for refresh and identify (no token, no retry, no recursion). */
export type RawPost = (path: string, body: unknown) => Promise<Result<unknown>>;

/** Refresh this many seconds before the access token expires (CONTRACT §2.4). */
const REFRESH_MARGIN_S = 30;

const STOREFRONT = /^\/v1\/storefront\/([^/?]+)(?:[/?]|$)/;
// Calls that obtain the guest token themselves must not trigger autoGuest.
const GUEST_EXEMPT = /\/profiles\/(identify|verify)(\?|$)/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Token state of one client: which auth header to send, refresh ahead of expiry and after a 401
 * (one refresh in flight, shared by every waiting call), and the storefront guest token (autoGuest).
 */
export class Session {
  readonly #config: ResolvedConfig;
  readonly #post: RawPost;
  #refreshing: Promise<boolean> | null = null;
  #identifying: Promise<void> | null = null;

  constructor(config: ResolvedConfig, post: RawPost) {
    this.#config = config;
    this.#post = post;
  }

  /** The stored tokens, a bare string read as an access token (seed 003 `getToken`). */
  tokens(): TokenSet | null {
    const t = this.#config.getToken?.() ?? null;
    if (typeof t === 'string') return t ? { access_token: t } : null;
    return t?.access_token ? t : null;
  }

  /** Auth header for a request sent with `tokens`. */
  headers(tokens: TokenSet | null): Record<string, string> {
    if (this.#config.apiKey) return { 'X-API-Key': this.#config.apiKey };
    if (!tokens) return {};
    if (tokens.provider === 'API') return { 'X-API-Key': tokens.access_token };
    return { Authorization: `Bearer ${tokens.access_token}` };
  }

  /** Before a call: refresh a token about to expire, or get a guest token for a storefront call. */
  async prepare(path: string): Promise<void> {
    if (this.#config.apiKey) return;
    const t = this.tokens();
    if (t) {
      const soon = Date.now() / 1000 + REFRESH_MARGIN_S;
      if (t.refresh_token && t.access_expires_at !== undefined && t.access_expires_at <= soon)
        await this.refresh();
      return;
    }
    const store = STOREFRONT.exec(path)?.[1];
    if (this.#config.autoGuest && store && !GUEST_EXEMPT.test(path)) await this.#identify(store);
  }

  /**
   * After a 401 to a call sent with `sent`: true when a newer token is ready for the retry.
   * A token that already changed since the call was sent counts, so a burst of 401s costs one refresh.
   */
  async recover(sent: TokenSet | null): Promise<boolean> {
    if (this.#config.apiKey) return false;
    if (this.#refreshing) return this.#refreshing;
    const now = this.tokens();
    if (now && now.access_token !== sent?.access_token) return true;
    return this.refresh();
  }

  /** Exchanges the refresh token for a new pair; concurrent callers share one request. */
  refresh(): Promise<boolean> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /** Stores an AuthToken answer (register, login, verify, refresh) through `setToken`. */
  adopt(answer: unknown, provider?: TokenSet['provider']): boolean {
    if (!isRecord(answer) || typeof answer.access_token !== 'string') return false;
    const set: TokenSet = { access_token: answer.access_token };
    if (typeof answer.refresh_token === 'string') set.refresh_token = answer.refresh_token;
    if (typeof answer.access_expires_at === 'number') set.access_expires_at = answer.access_expires_at;
    if (provider) set.provider = provider;
    this.#config.setToken?.(set.access_token, set);
    return true;
  }

  /** Stores the profile token of an identify/verify answer (`{ token: { token } }` or a ProfileToken). */
  adoptGuest(answer: unknown): boolean {
    const inner = isRecord(answer) && 'token' in answer ? answer.token : answer;
    const token = typeof inner === 'string' ? inner : isRecord(inner) ? inner.token : undefined;
    if (typeof token !== 'string' || !token) return false;
    this.#config.setToken?.(token, { access_token: token, provider: 'GUEST' });
    return true;
  }

  async #refresh(): Promise<boolean> {
    const current = this.tokens();
    if (!current?.refresh_token) return false;
    const res = await this.#post(this.#config.refreshPath, { refresh_token: current.refresh_token });
    return res.ok && this.adopt(res.val, current.provider);
  }

  #identify(storeSegment: string): Promise<void> {
    this.#identifying ??= (async () => {
      const body = this.#config.market ? { market: this.#config.market } : {};
      const res = await this.#post(`/v1/storefront/${storeSegment}/profiles/identify`, body);
      // A failed identify leaves the call anonymous: storefront reads are public anyway.
      if (res.ok) this.adoptGuest(res.val);
    })().finally(() => {
      this.#identifying = null;
    });
    return this.#identifying;
  }
}
