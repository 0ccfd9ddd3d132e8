import { applyAliases } from './aliases.ts';
import { resolveConfig, type ArkyClientConfig, type ResolvedConfig, type TokenSet } from './config.ts';
import { clientValidationError, networkError, parseError, toApiError } from './errors.ts';
import { paginate, type Page, type PageRequest } from './paginate.ts';
import type { CallOptions } from './params.ts';
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
  /** Cancels the call (no retry after an abort). */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout in ms (default `config.timeoutMs`); a timed-out attempt is retried. */
  timeoutMs?: number | undefined;
  /** Idempotency-Key to use instead of a fresh one (POST), e.g. to retry a call across restarts. */
  idempotencyKey?: string | undefined;
}

const CALL_OPTION_KEYS = ['signal', 'timeoutMs', 'idempotencyKey'] as const;

/** Splits the per-call options out of a params object (body, query or a method's params). */
export function takeCallOptions(params: unknown): { params: unknown; options: CallOptions } {
  if (!params || typeof params !== 'object' || Array.isArray(params) || isForm(params))
    return { params, options: {} };
  // Untouched unless an option is there: a Blob or other instance must keep its prototype.
  if (!CALL_OPTION_KEYS.some((k) => k in params)) return { params, options: {} };
  const rest: Record<string, unknown> = { ...(params as Record<string, unknown>) };
  const options: Record<string, unknown> = {};
  for (const k of CALL_OPTION_KEYS) {
    if (k in rest) {
      options[k] = rest[k];
      delete rest[k];
    }
  }
  return { params: rest, options: options as CallOptions };
}

/** What a retry may be: statuses and errors after which the same request can safely be sent again. */
function retryable(res: Result<unknown>): boolean {
  if (res.ok) return false;
  const e = res.val;
  if (e.status_code === 0) return e.error === 'network_error' && e.details?.reason !== 'aborted';
  if (e.status_code === 409)
    return (
      e.error === 'idempotency_conflict' &&
      (e.details?.reason === 'in_progress' || /in progress/i.test(e.message))
    );
  return e.status_code === 429 || e.status_code >= 500;
}

/** Retry-After (seconds or an HTTP date) in ms, when the server sent one. */
function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Longest Retry-After the transport waits out itself. */
const MAX_RETRY_AFTER_MS = 10_000;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

const isForm = (body: unknown): body is FormData =>
  typeof FormData !== 'undefined' && body instanceof FormData;

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

  /** Call options of the namespace method running right now (see `withCall`). */
  #ambient: CallOptions | undefined;

  constructor(config: ArkyClientConfig) {
    this.config = resolveConfig(config);
    this.session = new Session(this.config, (p, body) => this.#send('POST', p, body, null, idempotencyKey()));
  }

  /**
   * Runs `fn` with call options that every request it starts synchronously picks up: how a
   * namespace method passes its params' `signal`, `timeoutMs` and `idempotencyKey` on without
   * threading them through each path builder (`withCallOptions` wraps every method in this).
   */
  withCall<R>(options: CallOptions, fn: () => R): R {
    const previous = this.#ambient;
    this.#ambient = options;
    try {
      return fn();
    } finally {
      this.#ambient = previous;
    }
  }

  /** Sends one call: auth header, Idempotency-Key on POST, refresh-and-retry once on a 401. */
  async request<T>(opts: RequestOptions): Promise<Result<T>> {
    if (hasEmptySegment(opts.path)) {
      return err(clientValidationError('path', `A required path parameter is missing in ${opts.path}`));
    }
    const fromQuery = takeCallOptions(opts.query);
    const fromBody = takeCallOptions(opts.body);
    const call: CallOptions = { ...this.#ambient, ...fromQuery.options, ...fromBody.options };
    if (opts.signal) call.signal = opts.signal;
    if (opts.timeoutMs !== undefined) call.timeoutMs = opts.timeoutMs;
    if (opts.idempotencyKey !== undefined) call.idempotencyKey = opts.idempotencyKey;
    const query = fromQuery.params as Record<string, unknown> | undefined;
    const target = opts.path + buildQuery(query && applyAliases(query));
    const body = fromBody.params === undefined ? undefined : applyAliases(fromBody.params);
    const key = opts.method === 'POST' ? (call.idempotencyKey ?? idempotencyKey()) : undefined;
    const authRoute = opts.path.startsWith('/v1/auth/') || opts.path === this.config.refreshPath;

    if (!authRoute) await this.session.prepare(opts.path);
    const sent = this.session.tokens();
    const first = await this.#send<T>(opts.method, target, body, sent, key, call);
    const staleToken = !first.ok && first.val.status_code === 401 && !CREDENTIAL_ERRORS.has(first.val.error);
    if (!staleToken || authRoute) return first;

    if (await this.session.recover(sent)) {
      // Same Idempotency-Key: if the first attempt did run, the server replays instead of repeating.
      const retry = await this.#send<T>(opts.method, target, body, this.session.tokens(), key, call);
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
    // Later pages are fetched after the method returned: they keep its call options.
    const call = this.#ambient ?? {};
    return paginate(
      (cursor) =>
        this.withCall(call, () =>
          this.request<Page<T>>({ method: 'GET', path, query: { ...query, cursor } }),
        ),
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

  /**
   * One call with its retries (CONTRACT §2.4, Stripe's request sender as the model): network errors,
   * timeouts, 409 idempotency in progress, 429 (after Retry-After) and 5xx are retried with
   * exponential backoff and full jitter, reusing the same Idempotency-Key, so a POST whose first
   * attempt did run is replayed by the server instead of repeated. A FormData body is sent once
   * (it carries no key and may be a stream).
   */
  async #send<T>(
    method: HttpMethod,
    target: string,
    body: unknown,
    tokens: TokenSet | null,
    key?: string,
    call: CallOptions = {},
  ): Promise<Result<T>> {
    const maxRetries = method === 'POST' && !key ? 0 : isForm(body) ? 0 : (this.config.maxRetries ?? 3);
    const base = this.config.retryBaseMs ?? 300;
    for (let attempt = 0; ; attempt++) {
      const { result, retryAfter } = await this.#attempt<T>(method, target, body, tokens, key, call);
      if (attempt >= maxRetries || !retryable(result) || call.signal?.aborted) return result;
      // A server asking for a long pause (a login lockout) gets its answer back to the caller.
      if (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_MS) return result;
      const backoff = Math.random() * Math.min(10_000, base * 2 ** attempt);
      await sleep(Math.max(retryAfter ?? 0, backoff), call.signal);
      if (call.signal?.aborted) return result;
    }
  }

  async #attempt<T>(
    method: HttpMethod,
    target: string,
    body: unknown,
    tokens: TokenSet | null,
    key: string | undefined,
    call: CallOptions,
  ): Promise<{ result: Result<T>; retryAfter?: number | undefined }> {
    const headers: Record<string, string> = { Accept: 'application/json', ...this.session.headers(tokens) };
    // Content-Type only with a body: Fastify rejects an empty body declared as JSON.
    // A FormData body sets its own multipart Content-Type (with the boundary).
    if (body !== undefined && !isForm(body)) headers['Content-Type'] = 'application/json';
    if (key) headers['Idempotency-Key'] = key;
    const doFetch = this.config.fetch ?? globalThis.fetch;
    const url = this.config.baseUrl + target;
    const timeoutMs = call.timeoutMs ?? this.config.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer =
      timeoutMs !== undefined
        ? setTimeout(() => ((timedOut = true), controller.abort()), timeoutMs)
        : undefined;
    const onAbort = () => controller.abort();
    if (call.signal?.aborted) controller.abort();
    call.signal?.addEventListener('abort', onAbort, { once: true });
    let res: Response;
    let text: string;
    try {
      // Called unbound on purpose: browsers reject window.fetch invoked as a method of another object.
      // Raced against the abort too: an injected fetch may ignore the signal.
      const aborted = new Promise<never>((_, reject) => {
        if (controller.signal.aborted) reject(new Error('aborted'));
        controller.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
      const exchange = (async () => {
        const r = await doFetch(url, {
          method,
          headers,
          signal: controller.signal,
          ...(body === undefined ? {} : { body: isForm(body) ? body : JSON.stringify(body) }),
        });
        return { r, t: await r.text() };
      })();
      exchange.catch(() => undefined);
      ({ r: res, t: text } = await Promise.race([exchange, aborted]));
    } catch (cause) {
      const reason = timedOut ? 'timeout' : call.signal?.aborted ? 'aborted' : 'network';
      return {
        result: err(
          networkError(reason === 'timeout' ? `no answer within ${timeoutMs} ms` : cause, url, reason),
        ),
      };
    } finally {
      if (timer) clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
    }
    const retryAfter = retryAfterMs(res.headers.get('retry-after'));
    const requestId = res.headers.get('x-request-id') ?? undefined;
    let data: unknown = null;
    let parsed = true;
    try {
      if (text) data = JSON.parse(text);
    } catch {
      parsed = false;
    }
    if (res.ok) return { result: parsed ? ok(data as T) : err(parseError(res.status, requestId)) };
    return {
      result: err(toApiError(res.status, parsed ? data : undefined, requestId, res.statusText)),
      retryAfter,
    };
  }
}
