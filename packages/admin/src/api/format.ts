import dayjs from 'dayjs';

/** Digits after the decimal point of a currency (JPY 0, USD 2, KWD 3). */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** Minor units → "$12.50". */
export function money(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

/** Major units typed by a person (12.5) → minor units (1250). */
export const toMinor = (major: number, currency: string): number =>
  Math.round(major * 10 ** currencyDigits(currency));
/** Minor units → major units for an input. */
export const toMajor = (minor: number, currency: string): number => minor / 10 ** currencyDigits(currency);

/** Unix seconds → "2026-12-01 14:03". */
export const dateTime = (unix: number | null | undefined): string =>
  unix ? dayjs.unix(unix).format('YYYY-MM-DD HH:mm') : '—';

/** The text of a block's first value in `locale` (localized maps fall back to any language). */
export function blockText(
  blocks: { key: string; value: unknown[] }[] | undefined,
  key: string,
  locale = 'en',
): string {
  const item = blocks?.find((b) => b.key === key)?.value[0];
  if (typeof item === 'string') return item;
  if (item && typeof item === 'object') {
    const map = item as Record<string, unknown>;
    const v = map[locale] ?? Object.values(map)[0];
    return typeof v === 'string' ? v : '';
  }
  return '';
}
