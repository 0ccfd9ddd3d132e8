import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  randomInt,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import { randomBase62 } from './ids.ts';

/** SHA-256 hex: how API keys, refresh tokens, profile tokens and codes are stored. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Compares two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}

/** A secret token with a recognisable prefix (`ak_…`, `pt_…`). */
export function newSecretToken(prefix: 'ak' | 'pt'): string {
  return `${prefix}_${randomBase62(40)}`;
}

/** A 6-digit code, uniformly drawn. */
export function newNumericCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

// scrypt: memory-hard, built into Node, no native addon to build. OWASP's parameters are N=2^17,
// r=8, p=1 (N·r·128 bytes = 128 MiB per hash); PASSWORD_HASH_COST is log2 N (tests use less).
const SCRYPT = { r: 8, p: 1, keylen: 32 };
/** Default log2 N (OWASP). */
export const PASSWORD_HASH_COST = 17;

function scryptAsync(
  password: string,
  salt: Buffer,
  N: number,
  r: number,
  p: number,
  keylen: number,
): Promise<Buffer> {
  // maxmem must exceed 128·N·r; leave headroom, and refuse absurd parameters read from a stored hash.
  const maxmem = 128 * N * r + 16 * 1024 * 1024;
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keylen, { N, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64): parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string, cost = PASSWORD_HASH_COST): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** cost;
  const key = await scryptAsync(password.normalize('NFKC'), salt, N, SCRYPT.r, SCRYPT.p, SCRYPT.keylen);
  return ['scrypt', N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when a stored hash was made with other parameters than `cost` asks for: rehash at login. */
export function passwordNeedsRehash(stored: string, cost = PASSWORD_HASH_COST): boolean {
  const [alg, n, r, p] = stored.split('$');
  return alg !== 'scrypt' || Number(n) !== 2 ** cost || Number(r) !== SCRYPT.r || Number(p) !== SCRYPT.p;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  if (!(Number(n) <= 2 ** 20 && Number(r) <= 16 && Number(p) <= 4)) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(
    password.normalize('NFKC'),
    Buffer.from(salt, 'base64'),
    Number(n),
    Number(r),
    Number(p),
    expected.length,
  );
  return timingSafeEqual(key, expected);
}

/** A hash to compare against when the account does not exist, so timing does not reveal it. */
const dummyHashes = new Map<number, Promise<string>>();
export function dummyPasswordHash(cost = PASSWORD_HASH_COST): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) dummyHashes.set(cost, (hash = hashPassword(randomBase62(24), cost)));
  return hash;
}

/**
 * AES-256-GCM for secrets at rest: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url). The key id
 * lets a server holding several keys pick the right one during rotation.
 */
export function sealSecret(key: Buffer, keyId: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [
    'v1',
    keyId,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    ct.toString('base64url'),
  ].join('.');
}

export function openSecret(keys: Record<string, Buffer>, sealed: string): string {
  const [version, keyId, iv, tag, ct] = sealed.split('.');
  if (version !== 'v1' || !keyId || !iv || !tag || ct === undefined) throw new Error('not a sealed secret');
  const key = keys[keyId];
  if (!key) throw new Error(`no encryption key with id ${keyId}`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}
