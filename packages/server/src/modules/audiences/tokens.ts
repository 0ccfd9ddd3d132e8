import { createHmac } from 'node:crypto';
import type { Config } from '../../config.ts';
import { safeEqual, sha256 } from '../../lib/crypto.ts';
import { randomBase62 } from '../../lib/ids.ts';

/**
 * Unsubscribe tokens are signed, not stored: `<membershipId>.<HMAC>`, keyed with a key derived
 * from the server's JWT secret, so every email can carry one without a table of tokens.
 */
function unsubscribeKey(config: Config): Buffer {
  return createHmac('sha256', config.jwtSecret).update('openarky:audience-unsubscribe:v1').digest();
}

export function unsubscribeToken(config: Config, membershipId: string): string {
  const mac = createHmac('sha256', unsubscribeKey(config))
    .update(membershipId)
    .digest('base64url')
    .slice(0, 32);
  return `${membershipId}.${mac}`;
}

/** The membership id a genuine token names, or null. */
export function verifyUnsubscribeToken(config: Config, token: string): string | null {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return null;
  const id = token.slice(0, dot);
  return safeEqual(unsubscribeToken(config, id), token) ? id : null;
}

/** A fresh double opt-in token and the hash that is stored (single use, CONTRACT §10.6). */
export function newConfirmToken(): { token: string; hash: string } {
  const token = `plc_${randomBase62(40)}`;
  return { token, hash: sha256(token) };
}

export const hashConfirmToken = sha256;

/** `url` with `token` added to its query. */
export function withToken(url: string, token: string): string {
  const u = new URL(url);
  u.searchParams.set('token', token);
  return u.toString();
}
