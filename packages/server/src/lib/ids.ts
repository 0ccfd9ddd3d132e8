import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Uniform random base62 string (rejection sampling keeps every character equally likely). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export const ID_PREFIXES = [
  'store',
  'acc',
  'tok',
  'ak',
  'pt',
  'prof',
  'mkt',
  'zone',
  'shm',
  'loc',
  'prod',
  'var',
  'cart',
  'ord',
  'item',
  'ref',
  'svc',
  'prv',
  'sp',
  'node',
  'blk',
  'med',
  'wh',
  'whd',
  'int',
  'promo',
  'plan',
  'role',
  'evt',
  'job',
  'sub',
  'code',
  'form',
  'fsub',
  'plst',
  'plm',
] as const;
export type IdPrefix = (typeof ID_PREFIXES)[number];

/** A new opaque id `<prefix>_<20 base62 chars>` (CONTRACT §1.2). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(20)}`;
}
