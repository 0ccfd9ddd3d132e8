import type { FieldError } from '../../lib/errors.ts';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * `{ locale: slug }`, or a seed 002 bare string meaning the store's default locale; every locale
 * must be a language of the store (CONTRACT §1.3). Errors are appended to `errors`.
 */
export function checkSlugMap(
  input: Record<string, string> | string,
  locales: readonly string[],
  errors: FieldError[],
  field = 'slug',
): Record<string, string> {
  const map = typeof input === 'string' ? { [locales[0]!]: input } : input;
  for (const [locale, slug] of Object.entries(map)) {
    if (!locales.includes(locale))
      errors.push({
        field: `${field}.${locale}`,
        reason: 'unknown_locale',
        message: `${field}.${locale}: ${locale} is not a language of the store`,
      });
    else if (slug.length > 200 || !SLUG.test(slug))
      errors.push({
        field: `${field}.${locale}`,
        reason: 'pattern',
        message: `${field}.${locale} must be lower-case letters and digits separated by -`,
      });
  }
  return map;
}
