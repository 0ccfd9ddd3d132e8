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

/*
 * Ids are time-ordered so rows created in the same second (one `created_at`) still sort in
 * creation order by id: 9 characters of milliseconds then 11 random characters, all in base36
 * lowercase (a subset of the id alphabet, so every id still matches `<prefix>_[A-Za-z0-9]{20}`).
 * Lowercase only because PostgreSQL databases with a locale collation (en_US.UTF-8) sort mixed
 * case differently from bytes; digits and lowercase letters sort the same under C and locales.
 * 36^9 ms lasts until the year 5138. Within one millisecond of this process the random part is
 * incremented (as ULID's monotonic factory does), so ids made in sequence sort in sequence.
 */
const B36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const TIME_CHARS = 9;
const RANDOM_CHARS = 11;

function randomBase36(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 252) out += B36[byte % 36];
      if (out.length === length) break;
    }
  }
  return out;
}

/** `s` + 1 in base36 (same length); undefined when every character is already `z`. */
function incrementBase36(s: string): string | undefined {
  const chars = s.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    const digit = B36.indexOf(chars[i] ?? '0');
    if (digit < 35) {
      chars[i] = B36[digit + 1] ?? '0';
      return chars.join('');
    }
    chars[i] = '0';
  }
  return undefined;
}

/**
 * A generator of the 20 characters after an id's prefix: time-ordered, then random (see above).
 * It remembers the last time and random part, which is what makes its ids monotonic.
 */
export function timeOrderedIds(clock: () => number = Date.now): () => string {
  let lastMs = -1;
  let lastRandom = '';
  return () => {
    // A clock that stepped back keeps the last time, so order holds within the process.
    const ms = Math.max(clock(), lastMs);
    const next = ms === lastMs ? incrementBase36(lastRandom) : undefined;
    lastRandom = next ?? randomBase36(RANDOM_CHARS);
    // 36^11 ids in one millisecond overflowed: borrow the next millisecond.
    lastMs = ms === lastMs && next === undefined ? ms + 1 : ms;
    return lastMs.toString(36).padStart(TIME_CHARS, '0') + lastRandom;
  };
}

const nextIdBody = timeOrderedIds();

/** A new opaque id `<prefix>_<20 chars>` (CONTRACT §1.2), time-ordered (see `timeOrderedIds`). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${nextIdBody()}`;
}
