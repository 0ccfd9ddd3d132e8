import { RE2JS } from 're2js';
import type { BlockFieldError } from './types.ts';
import { isRecord } from './types.ts';

/* Leaf checks of one block value (text, number range, geo point) and the RE2 pattern cache. */

/** Limits that keep one request from building an unbounded document. */
export const BLOCK_LIMITS = {
  blocksPerLevel: 500,
  itemsPerBlock: 1000,
  depth: 6,
  textLength: 100_000,
  patternLength: 500,
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ().-]{5,24}$/;

export function checkText(text: string, props: Record<string, unknown>, p: string): BlockFieldError[] {
  if (text.length > BLOCK_LIMITS.textLength) return [{ field: p, reason: 'max_length' }];
  if (text === '') return [];
  const len = [...text].length;
  if (typeof props.min_length === 'number' && len < props.min_length)
    return [
      { field: p, reason: 'min_length', message: `${p} must be at least ${props.min_length} characters` },
    ];
  if (typeof props.max_length === 'number' && len > props.max_length)
    return [
      { field: p, reason: 'max_length', message: `${p} must be at most ${props.max_length} characters` },
    ];
  const pattern = typeof props.pattern === 'string' ? compilePattern(props.pattern) : null;
  if (pattern && !pattern.matcher(text).find()) {
    return [{ field: p, reason: 'pattern', message: `${p} does not match the pattern` }];
  }
  const variant = props.variant;
  const ok =
    variant === 'email'
      ? EMAIL.test(text)
      : variant === 'phone_number'
        ? PHONE.test(text) && /\d{5}/.test(text.replace(/\D/g, ''))
        : variant === 'url'
          ? isUrl(text)
          : true;
  return ok
    ? []
    : [{ field: p, reason: 'format', message: `${p} must be a valid ${String(variant).replace('_', ' ')}` }];
}

export function checkRange(n: number, props: Record<string, unknown>, p: string): BlockFieldError[] {
  if (typeof props.min === 'number' && n < props.min)
    return [{ field: p, reason: 'min', message: `${p} must be at least ${props.min}` }];
  if (typeof props.max === 'number' && n > props.max)
    return [{ field: p, reason: 'max', message: `${p} must be at most ${props.max}` }];
  return [];
}

export function checkGeo(item: unknown, p: string): BlockFieldError[] {
  if (!isRecord(item))
    return [{ field: p, reason: 'type', message: `${p} must be { address?, label?, coordinates }` }];
  const errors: BlockFieldError[] = [];
  if (item.address !== undefined && item.address !== null && typeof item.address !== 'string')
    errors.push({ field: `${p}.address`, reason: 'type' });
  if (
    item.label !== undefined &&
    item.label !== null &&
    typeof item.label !== 'string' &&
    !isStringMap(item.label)
  )
    errors.push({ field: `${p}.label`, reason: 'type' });
  const c = item.coordinates;
  if (c === null || c === undefined) return errors;
  if (!isRecord(c)) return [...errors, { field: `${p}.coordinates`, reason: 'type' }];
  const checks: [string, number][] = [
    ['lat', 90],
    ['lon', 180],
  ];
  for (const [name, bound] of checks) {
    const v = c[name];
    if (typeof v !== 'number' || !Number.isFinite(v))
      errors.push({ field: `${p}.coordinates.${name}`, reason: 'type' });
    else if (v < -bound || v > bound)
      errors.push({ field: `${p}.coordinates.${name}`, reason: v < 0 ? 'min' : 'max' });
  }
  return errors;
}

export function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (isStringMap(v)) return Object.values(v).every((s) => s === '');
  return false;
}

export function isStringMap(v: unknown): v is Record<string, string> {
  return isRecord(v) && Object.values(v).every((s) => typeof s === 'string');
}

function isUrl(s: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}

const compiled = new Map<string, RE2JS | null>();

/**
 * User patterns run on RE2 (linear time in the text, no backtracking), never on the JavaScript
 * engine: `^(a+)+$` against a long string would otherwise block the event loop for every store.
 * Patterns RE2 cannot run (backreferences, lookaround) are refused when the block is written.
 */
function compilePattern(pattern: string): RE2JS | null {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern);
    } catch {
      re = null;
    }
    if (compiled.size >= 1000) compiled.delete(compiled.keys().next().value!);
    compiled.set(pattern, re);
  }
  return re;
}

export function compiles(pattern: string): boolean {
  return compilePattern(pattern) !== null;
}
