// Compile-time tests (`npm run typecheck`): per-call options and error codes are typed.
import type { ApiErrorCode, ArkyClient, StorefrontClient } from '../src/index.ts';

type Option = 'signal' | 'timeoutMs' | 'idempotencyKey';
/** Dotted names of the methods under T whose params lack one of the call options. */
type WithoutOptions<T, Path extends string = ''> = {
  [K in keyof T & string]: T[K] extends (...args: infer A) => unknown
    ? Option extends keyof NonNullable<A[0]>
      ? never
      : `${Path}${K}`
    : T[K] extends object
      ? WithoutOptions<T[K], `${Path}${K}.`>
      : never;
}[keyof T & string];
type Core =
  'config' | 'environment' | 'utils' | `${'set' | 'get'}${'StoreId' | 'Market' | 'Locale'}` | 'request';
type Never<T extends never> = T;

// Every namespace method of both clients takes signal, timeoutMs and idempotencyKey.
export type AdminMethodsWithoutOptions = Never<WithoutOptions<Omit<ArkyClient, Core>>>;
export type StorefrontMethodsWithoutOptions = Never<WithoutOptions<Omit<StorefrontClient, Core>>>;

export function callOptions(sdk: ArkyClient, sf: StorefrontClient, signal: AbortSignal) {
  void sdk.market.get({ id: 'us', signal, timeoutMs: 5_000 });
  void sdk.eshop.product.create({ key: 'p', idempotencyKey: 'retry-me' } as never);
  void sdk.account.deleteAccount({ signal });
  void sdk.store.market.list();
  void sf.eshop.cart.get({ id: 'cart_1', timeoutMs: 100 });
  // @ts-expect-error timeoutMs is a number
  void sdk.market.get({ id: 'us', timeoutMs: 'soon' });
  // @ts-expect-error signal is an AbortSignal
  void sdk.store.role.list({ signal: true });
}

export async function errorCodes(sdk: ArkyClient) {
  const res = await sdk.market.get({ id: 'us' });
  if (!res.ok) {
    const code: ApiErrorCode = res.val.error;
    if (code === 'insufficient_stock' || code === 'network_error') return code;
    // @ts-expect-error not a code of the contract's table
    if (res.val.error === 'no_such_code') return code;
  }
  // @ts-expect-error not a code of the contract's table
  const wrong: ApiErrorCode = 'not_foundd';
  return wrong;
}
