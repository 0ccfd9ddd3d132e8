import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Config } from '../../config.ts';
import { randomBase62 } from '../../lib/ids.ts';

export interface TokenClaims {
  sub: string;
  sid: string;
  typ: 'access' | 'refresh';
  iat: number;
  exp: number;
}

const encoder = new TextEncoder();
const keys = new WeakMap<Config, Uint8Array>();
function keyOf(config: Config): Uint8Array {
  let key = keys.get(config);
  if (!key) {
    key = encoder.encode(config.jwtSecret);
    keys.set(config, key);
  }
  return key;
}

/** HS256 JWT with `sub` (account), `sid` (session), `typ` (CONTRACT §1.6). */
export async function signToken(
  config: Config,
  claims: Omit<TokenClaims, 'iat' | 'exp'>,
  iat: number,
  ttl: number,
): Promise<string> {
  return new SignJWT({ sid: claims.sid, typ: claims.typ })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .setJti(randomBase62(16))
    .sign(keyOf(config));
}

/** Verifies signature, expiry and type; returns null for anything invalid. */
export async function verifyToken(
  config: Config,
  token: string,
  typ: TokenClaims['typ'],
  now: number,
): Promise<TokenClaims | null> {
  try {
    const { payload } = await jwtVerify(token, keyOf(config), {
      algorithms: ['HS256'],
      currentDate: new Date(now * 1000),
    });
    if (payload.typ !== typ || typeof payload.sub !== 'string' || typeof payload.sid !== 'string')
      return null;
    return payload as unknown as TokenClaims;
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return null;
    throw error;
  }
}
