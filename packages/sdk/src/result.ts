import type { ApiErrorBody, ApiErrorDetails, ClientErrorCode, ErrorCode } from '@openarky/contract';
import type { Static } from '@sinclair/typebox';

/**
 * What `ApiError.error` can be: a code of the contract's closed table (CONTRACT §1.5) or one the
 * SDK produces itself. A code this SDK does not know (a newer server) arrives as the code of its
 * HTTP status, the server's own in `details.server_error`.
 */
export type ApiErrorCode = ErrorCode | ClientErrorCode;

/** Error body of every failed call (seed 003 `ApiError`, CONTRACT §1.5), from the contract's schema. */
export type ApiError = Omit<ApiErrorBody, 'error' | 'details'> & {
  error: ApiErrorCode;
  details?: Static<typeof ApiErrorDetails> & { [k: string]: unknown };
};

/** A successful outcome. */
export interface Ok<T> {
  ok: true;
  val: T;
}

/** A failed outcome. */
export interface Err<E> {
  ok: false;
  val: E;
}

/** What every SDK method resolves to; it never rejects (CONTRACT §2.3). */
export type Result<T, E = ApiError> = Ok<T> | Err<E>;

/** Wraps a value as a success. */
export const ok = <T>(val: T): Ok<T> => ({ ok: true, val });

/** Wraps an error as a failure. */
export const err = <E>(val: E): Err<E> => ({ ok: false, val });

/** Thrown by `unwrap` and by `for await` over a list whose page failed. */
export class ArkyError extends Error {
  readonly error: ApiError;

  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ArkyError';
    this.error = error;
  }
}

/** The value of a success; throws `ArkyError` for a failure (for code that prefers exceptions). */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.val;
  throw new ArkyError(result.val);
}
