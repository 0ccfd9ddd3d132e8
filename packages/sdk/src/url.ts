/**
 * Tagged template for request paths: every interpolated value becomes one URL-encoded segment,
 * so ids like `store_1:en:my-slug` or user input cannot change the route.
 */
export function path(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const segment = value === undefined || value === null ? '' : String(value);
    out += encodeURIComponent(segment) + (strings[i + 1] ?? '');
  });
  return out;
}

/** True when a path has an empty segment, i.e. a required path parameter was missing. */
export const hasEmptySegment = (p: string): boolean => /\/\/|\/$|\/\?/.test(p);

function encodeValue(value: unknown): string {
  // Arrays and objects travel as JSON (CONTRACT §1.4: `ids=%5B%22prod_1%22%5D`).
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `?a=1&b=true` from params; null and undefined are omitted. Empty string when nothing is left. */
export function buildQuery(params: Record<string, unknown> | undefined): string {
  if (!params) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(encodeValue(value))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
