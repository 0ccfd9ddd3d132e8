/** Error body of every failed call (seed 003 `ApiError`, CONTRACT §1.5). */
export interface ApiError {
  error: string;
  message: string;
  status_code: number;
  request_id?: string;
  details?: { field?: string; reason?: string; [k: string]: unknown };
}

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
