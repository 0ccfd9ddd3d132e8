import type { ArkyClientConfig, TokenSet } from '../src/config.ts';

/** One request as the fake server saw it. */
export interface Call {
  method: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

/** An injectable `fetch` that records calls and answers with `handler`. No network, no globals. */
export function fakeFetch(handler: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = String(input);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const call = { method: init.method ?? 'GET', url, path: new URL(url).pathname, headers, body };
    calls.push(call);
    return handler(call);
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/** A JSON response. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A config whose tokens live in a local variable, as an app's storage would. */
export function memoryConfig(initial: string | TokenSet | null, extra: Partial<ArkyClientConfig> = {}) {
  const store = { tokens: initial, setCalls: [] as [string, TokenSet | undefined][], authErrors: 0 };
  const config: ArkyClientConfig = {
    storeId: 'store_1',
    baseUrl: 'http://api.test',
    getToken: () => store.tokens,
    setToken: (token, tokens) => {
      store.setCalls.push([token, tokens]);
      store.tokens = tokens ?? token;
    },
    onAuthError: () => void (store.authErrors += 1),
    ...extra,
  };
  return { config, store };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
