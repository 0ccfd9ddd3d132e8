import { applyAliases } from './aliases.ts';
import { resolveConfig, type ArkyClientConfig, type ResolvedConfig, type TokenSet } from './config.ts';
import { clientValidationError, networkError, parseError, toApiError } from './errors.ts';
import { paginate, type Page, type PageRequest } from './paginate.ts';
import { err, ok, type Result } from './result.ts';
import { Session } from './session.ts';
import { buildQuery, hasEmptySegment } from './url.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One API call as a namespace describes it. */
export interface RequestOptions {
  method: HttpMethod;
  /** Path from `/v1`, built with the `path` tag so segments are encoded. */
  path: string;
  /** Query params (§1.4 encoding; aliases applied). */
  query?: Record<string, unknown>;
  /** JSON body (aliases applied), or a FormData sent as multipart/form-data (media upload). */
  body?: unknown;
}

const isForm = (body: unknown): body is FormData => typeof FormData !== 'undefined' && body instanceof FormData;

// 401s that mean "wrong credentials in the body", not "stale token": no refresh, no onAuthError.
const CREDENTIAL_ERRORS = new Set(['invalid_credentials', 'invalid_code', 'invalid_refresh_token']);

/** A v4 UUID; crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
function idempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The one HTTP layer under every namespace (CONTRACT §2.4). Never throws. */
export class Transport {
  /** Resolved configuration; the client setters change `storeId`, `market` and `locale` here. */
  readonly config: ResolvedConfig;
  /** Token handling, also used by auth namespaces to store the tokens they obtain. */
  readonly session: Session;

  constructor(config: ArkyClientConfig) {
    this.config = resolveConfig(config);
    this.session = new Session(this.config, (p, body) => this.#send('POST', p, body, null, idempotencyKey()));
  }

  /** Sends one call: auth header, Idempotency-Key on POST, refresh-and-retry once on a 401. */
  async request<T>(opts: RequestOptions): Promise<Result<T>> {
    if (hasEmptySegment(opts.path)) {
      return err(clientValidationError('path', `A required path parameter is missing in ${opts.path}`));
    }
    const target = opts.path + buildQuery(opts.query && applyAliases(opts.query));
    const body = opts.body === undefined ? undefined : applyAliases(opts.body);
    const key = opts.method === 'POST' ? idempotencyKey() : undefined;
    const authRoute = opts.path.startsWith('/v1/auth/') || opts.path === this.config.refreshPath;

    if (!authRoute) await this.session.prepare(opts.path);
    const sent = this.session.tokens();
    const first = await this.#send<T>(opts.method, target, body, sent, key);
    const staleToken = !first.ok && first.val.status_code === 401 && !CREDENTIAL_ERRORS.has(first.val.error);
    if (!staleToken || authRoute) return first;

    if (await this.session.recover(sent)) {
      // Same Idempotency-Key: if the first attempt did run, the server replays instead of repeating.
      const retry = await this.#send<T>(opts.method, target, body, this.session.tokens(), key);
      if (retry.ok || retry.val.status_code !== 401) return retry;
      this.config.onAuthError?.();
      return retry;
    }
    this.config.onAuthError?.();
    return first;
  }

  /** A GET list: awaitable for the first page, `for await` for every item of every page. */
  list<T>(path: string, query: Record<string, unknown> = {}): PageRequest<T> {
    const start = typeof query.cursor === 'string' ? query.cursor : undefined;
    return paginate(
      (cursor) => this.request<Page<T>>({ method: 'GET', path, query: { ...query, cursor } }),
      start,
    );
  }

  /**
   * Splits call params into the store id (`store_id ?? storeId ?? config.storeId`, §2.4) and the
   * remaining params with aliases applied.
   */
  scope(params: object = {}): { storeId: string; rest: Record<string, unknown> } {
    const { store_id, ...rest } = applyAliases(params as Record<string, unknown>);
    return { storeId: typeof store_id === 'string' && store_id ? store_id : this.config.storeId, rest };
  }

  async #send<T>(
    method: HttpMethod,
    target: string,
    body: unknown,
    tokens: TokenSet | null,
    key?: string,
  ): Promise<Result<T>> {
    const headers: Record<string, string> = { Accept: 'application/json', ...this.session.headers(tokens) };
    // Content-Type only with a body: Fastify rejects an empty body declared as JSON.
    // A FormData body sets its own multipart Content-Type (with the boundary).
    if (body !== undefined && !isForm(body)) headers['Content-Type'] = 'application/json';
    if (key) headers['Idempotency-Key'] = key;
    const doFetch = this.config.fetch ?? globalThis.fetch;
    let res: Response;
    let text: string;
    try {
      // Called unbound on purpose: browsers reject window.fetch invoked as a method of another object.
      res = await doFetch(this.config.baseUrl + target, {
        method,
        headers,
        ...(body === undefined ? {} : { body: isForm(body) ? body : JSON.stringify(body) }),
      });
      text = await res.text();
    } catch (cause) {
      return err(networkError(cause));
    }
    const requestId = res.headers.get('x-request-id') ?? undefined;
    let data: unknown = null;
    let parsed = true;
    try {
      if (text) data = JSON.parse(text);
    } catch {
      parsed = false;
    }
    if (res.ok) return parsed ? ok(data as T) : err(parseError(res.status, requestId));
    return err(toApiError(res.status, parsed ? data : undefined, requestId, res.statusText));
  }
}
