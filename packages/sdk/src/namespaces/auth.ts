import type { AuthToken, CodeBody, LoginBody, RegisterBody, VerifyBody } from '@openarky/contract';
import { clientValidationError } from '../errors.ts';
import { err, type Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { LoggedOut, Sent, StoreParam } from '../params.ts';

export type { AuthToken };

/** `{ store_id }` or seed 000's `{ storeId }`; both default to the client's store. */

/** `sdk.auth` (CONTRACT §3): password and email-code login. Calls that obtain tokens store them via `setToken`. */
export function authNamespace(t: Transport) {
  const keep = (res: Result<AuthToken>): Result<AuthToken> => {
    if (res.ok) t.session.adopt(res.val, 'EMAIL');
    return res;
  };

  const code = (params: CodeBody & StoreParam): Promise<Result<Sent>> => {
    const { storeId, rest } = t.scope(params);
    return t.request({
      method: 'POST',
      path: '/v1/auth/code',
      body: { ...rest, ...(storeId ? { store_id: storeId } : {}) },
    });
  };

  return {
    /** Creates a password account (201) and stores its tokens. */
    register: async (params: RegisterBody): Promise<Result<AuthToken>> =>
      keep(await t.request<AuthToken>({ method: 'POST', path: '/v1/auth/register', body: params })),

    /** Email + password login; stores the tokens. */
    login: async (params: LoginBody): Promise<Result<AuthToken>> =>
      keep(await t.request<AuthToken>({ method: 'POST', path: '/v1/auth/login', body: params })),

    /** New token pair for the given refresh token, or the stored one; stores the pair. */
    refresh: async (params: { refresh_token?: string } = {}): Promise<Result<AuthToken>> => {
      const refreshToken = params.refresh_token ?? t.session.tokens()?.refresh_token;
      if (!refreshToken)
        return err(clientValidationError('refresh_token', 'No refresh token given or stored'));
      return keep(
        await t.request<AuthToken>({
          method: 'POST',
          path: t.config.refreshPath,
          body: { refresh_token: refreshToken },
        }),
      );
    },

    /** Revokes the current session (and the stored refresh token's). Clearing local storage is the app's job. */
    logout: (params: { refresh_token?: string } = {}): Promise<Result<LoggedOut>> => {
      const refreshToken = params.refresh_token ?? t.session.tokens()?.refresh_token;
      return t.request({
        method: 'POST',
        path: '/v1/auth/logout',
        body: refreshToken ? { refresh_token: refreshToken } : {},
      });
    },

    /** Emails a 6-digit login code (`{ sent: true }` also for unknown emails). */
    code,
    /** 0.9.x name of `code`. */
    magicLink: code,

    /** Logs in with an email code (creates the account on first use); stores the tokens. */
    verify: async (params: VerifyBody): Promise<Result<AuthToken>> =>
      keep(
        await t.request<AuthToken>({
          method: 'POST',
          path: '/v1/auth/verify',
          body: { email: params.email, code: params.code },
        }),
      ),

    /** Emails a login code branded with the store. */
    storeCode: (params: { email: string } & StoreParam): Promise<Result<Sent>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/auth/code`, body: rest });
    },

    /** Logs in with a store-branded code; stores the tokens. */
    storeVerify: async (params: VerifyBody & StoreParam): Promise<Result<AuthToken>> => {
      const { storeId, rest } = t.scope(params);
      return keep(
        await t.request<AuthToken>({
          method: 'POST',
          path: path`/v1/stores/${storeId}/auth/verify`,
          body: rest,
        }),
      );
    },
  };
}

/** `sdk.auth`. */
export type AuthNamespace = ReturnType<typeof authNamespace>;
