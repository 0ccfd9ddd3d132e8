import {
  ArkyError,
  createArkyClient,
  type ArkyClient,
  type ArkyClientConfig,
  type Result,
  type TokenSet,
} from '@openarky/sdk';

const TOKENS = 'openarky.admin.tokens';
const STORE = 'openarky.admin.store';

function readTokens(): TokenSet | null {
  try {
    const raw = localStorage.getItem(TOKENS);
    return raw ? (JSON.parse(raw) as TokenSet) : null;
  } catch {
    return null;
  }
}

type Listener = () => void;
const listeners = new Set<Listener>();
const notify = () => listeners.forEach((l) => l());

/** Subscribes to sign-in, sign-out and store changes (for `useSyncExternalStore`). */
export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The one API client of the dashboard. Tokens live in localStorage so a reload keeps the session;
 * the SDK refreshes them and calls `onAuthError` when the refresh token is gone too.
 */
const config: ArkyClientConfig = {
  storeId: localStorage.getItem(STORE) ?? '',
  baseUrl: window.location.origin,
  getToken: () => readTokens(),
  setToken: (_token, tokens) => {
    if (tokens) localStorage.setItem(TOKENS, JSON.stringify(tokens));
    notify();
  },
  onAuthError: () => signOutLocally(),
};
export const sdk: ArkyClient = createArkyClient(config);

/**
 * An SDK client for one upload whose transport reports upload progress. `fetch` cannot observe
 * request-body progress, so the SDK's injectable `fetch` is backed by XMLHttpRequest here; auth,
 * refresh and error handling stay the SDK's.
 */
export function uploadClient(onProgress: (fraction: number) => void): ArkyClient {
  return createArkyClient({ ...config, storeId: sdk.getStoreId(), fetch: progressFetch(onProgress) });
}

function progressFetch(onProgress: (fraction: number) => void): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(init?.method ?? 'GET', String(input));
      for (const [k, v] of Object.entries((init?.headers ?? {}) as Record<string, string>))
        xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
      xhr.onload = () => {
        onProgress(1);
        const headers = new Headers();
        for (const line of xhr
          .getAllResponseHeaders()
          .trim()
          .split(/[\r\n]+/)) {
          const at = line.indexOf(':');
          if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
        }
        resolve(
          new Response([204, 205, 304].includes(xhr.status) ? null : xhr.responseText, {
            status: xhr.status,
            statusText: xhr.statusText,
            headers,
          }),
        );
      };
      xhr.onerror = () => reject(new TypeError('Network error'));
      xhr.send((init?.body ?? null) as XMLHttpRequestBodyInit | null);
    });
}

/** True while tokens are stored. */
export const isSignedIn = (): boolean => readTokens() !== null;

/** Forgets the tokens (after logout or a failed refresh). */
export function signOutLocally(): void {
  localStorage.removeItem(TOKENS);
  notify();
}

/** The store every screen works on. */
export function currentStoreId(): string {
  return sdk.getStoreId();
}

/** Switches the working store (kept across reloads). */
export function selectStore(storeId: string): void {
  sdk.setStoreId(storeId);
  if (storeId) localStorage.setItem(STORE, storeId);
  else localStorage.removeItem(STORE);
  notify();
}

/** Turns an SDK Result into a value or a thrown ArkyError, the shape TanStack Query expects. */
export async function must<T>(call: Promise<Result<T>>): Promise<T> {
  const res = await call;
  if (res.ok) return res.val;
  throw new ArkyError(res.val);
}
