import { createArkyClient, createStorefrontClient } from '../src/index.ts';

/** One SDK method and the request it sends. */
export interface SdkOperation {
  /** Where the method sits: `eshop.product.create` (admin client), `storefront.eshop.cart.checkout`. */
  name: string;
  method: string;
  /** The path it requested, with placeholder values for its parameters. */
  path: string;
}

/** Values every path parameter an SDK method may read (placeholders; nothing is sent anywhere). */
const PARAMS = {
  store_id: 'store_x',
  id: 'id_x',
  code: 'code_x',
  type: 'type_x',
  token: 'token_x',
  token_id: 'tok_x',
  deliveryId: 'del_x',
  account_id: 'acc_x',
  media_id: 'media_x',
  formId: 'form_x',
  form_id: 'form_x',
  profile_id: 'prof_x',
  profileId: 'prof_x',
  list_id: 'list_x',
  listId: 'list_x',
  email: 'x@example.com',
  amount: 1,
  files: [],
  urls: ['https://example.com/a.png'],
  fields: [],
  item: {},
};

// Client members that are not requests (configuration accessors, the raw escape hatch, helpers).
const SKIP = new Set(['config', 'environment', 'utils', 'request']);

/**
 * Every request method of both SDK clients with the request it makes, found by calling each one
 * against a fetch that records and answers 200. Methods are visited in the clients' key order; an
 * object reached twice (`market` is also `store.market`) keeps its first name.
 */
export async function recordSdkOperations(): Promise<SdkOperation[]> {
  let last: { method: string; path: string } | null = null;
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    last ??= { method: init.method ?? 'GET', path: new URL(String(input)).pathname };
    return new Response('{"items":[],"cursor":null,"has_more":false}', {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  const config = {
    storeId: 'store_x',
    baseUrl: 'http://sdk.test',
    fetch: fetch as typeof globalThis.fetch,
    getToken: () => 'token',
    setToken: () => {},
  };
  const found: SdkOperation[] = [];
  const seen = new Set<unknown>();
  const walk = async (node: Record<string, unknown>, prefix: string): Promise<void> => {
    for (const [key, value] of Object.entries(node)) {
      if (SKIP.has(key) || /^(get|set)(StoreId|Market|Locale)$/.test(key) || seen.has(value)) continue;
      seen.add(value);
      const name = prefix + key;
      if (typeof value === 'function') {
        last = null;
        try {
          const result: unknown = (value as (p: unknown) => unknown)({ ...PARAMS });
          await result;
        } catch {
          // A method that needs other input never reached fetch; it is reported as uncalled.
        }
        if (last) found.push({ name, ...(last as { method: string; path: string }) });
      } else if (value && typeof value === 'object') {
        await walk(value as Record<string, unknown>, `${name}.`);
      }
    }
  };
  await walk(createArkyClient(config) as unknown as Record<string, unknown>, '');
  await walk(createStorefrontClient(config) as unknown as Record<string, unknown>, 'storefront.');
  return found;
}
