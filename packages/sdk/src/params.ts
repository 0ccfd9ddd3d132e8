import type {
  Deleted as DeletedSchema,
  Disconnected as DisconnectedSchema,
  LoggedOut as LoggedOutSchema,
  Sent as SentSchema,
} from '@openarky/contract';
import type { Static } from '@sinclair/typebox';
import { takeCallOptions, type Transport } from './transport.ts';

/** `store_id` (or `storeId`) overrides the client's store for one call (CONTRACT §2.4 item 6). */
export interface StoreParam {
  store_id?: string;
  storeId?: string;
}

/** Per-call transport options every namespace method accepts among its params (CONTRACT §2.4). */
export interface CallOptions {
  /** Cancels the call (no retry after an abort). */
  signal?: AbortSignal;
  /** Per-attempt timeout in ms (default `config.timeoutMs`); a timed-out attempt is retried. */
  timeoutMs?: number;
  /** Idempotency-Key to send instead of a fresh one (POST), e.g. to retry a call across restarts. */
  idempotencyKey?: string;
}

/** `{ deleted: true }` of every DELETE. */
export type Deleted = Static<typeof DeletedSchema>;
/** `{ logged_out: true }`. */
export type LoggedOut = Static<typeof LoggedOutSchema>;
/** `{ disconnected: true }`. */
export type Disconnected = Static<typeof DisconnectedSchema>;
/** `{ sent: true }` of the email-code routes. */
export type Sent = Static<typeof SentSchema>;

/** A method whose first parameter (params object, or none) also takes the `CallOptions`. */
type WithCall<F> = F extends (...args: infer A) => infer R
  ? A extends []
    ? (options?: CallOptions) => R
    : A extends [infer P, ...infer Rest]
      ? [P] extends [object]
        ? (params: P & CallOptions, ...rest: Rest) => R
        : F
      : A extends [(infer P)?, ...infer Rest]
        ? [P] extends [object]
          ? (params?: P & CallOptions, ...rest: Rest) => R
          : F
        : F
  : F;

/** A namespace (and its nested ones) whose every method takes the `CallOptions` in its params (types of `withCallOptions`). */
export type WithCallOptions<N> = {
  [K in keyof N]: N[K] extends (...args: never[]) => unknown
    ? WithCall<N[K]>
    : N[K] extends object
      ? WithCallOptions<N[K]>
      : N[K];
};

/**
 * Wraps each method of a namespace so its params may carry the `CallOptions`: they are taken out
 * of the params and given to every request the method starts (`Transport.withCall`).
 */
export function withCallOptions<N extends object>(t: Transport, ns: N): WithCallOptions<N> {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(ns)) {
    if (typeof value !== 'function') {
      // A nested namespace (`crm.profileList.members`) is wrapped too.
      wrapped[name] = value && typeof value === 'object' ? withCallOptions(t, value as object) : value;
      continue;
    }
    const method = value as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => {
      if (args.length === 0) return method();
      const { params, options } = takeCallOptions(args[0]);
      return t.withCall(options, () => method(params, ...args.slice(1)));
    };
  }
  return wrapped as WithCallOptions<N>;
}
