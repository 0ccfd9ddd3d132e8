import { isRecord } from './types.ts';

/**
 * Reads a localized value with the fallback of CONTRACT §1.3: requested locale → store default →
 * first present. A plain string is returned as is; anything else gives ''.
 */
export function localize(value: unknown, locale: string, defaultLocale?: string): string {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) return '';
  const candidates = [
    value[locale],
    defaultLocale === undefined ? undefined : value[defaultLocale],
    ...Object.values(value),
  ];
  for (const c of candidates) if (typeof c === 'string') return c;
  return '';
}

/** Every text of a value (all locales of a map), for search. */
export function allTexts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (isRecord(value)) return Object.values(value).filter((v): v is string => typeof v === 'string');
  return [];
}
