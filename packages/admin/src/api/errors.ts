import { ArkyError, type ApiError } from '@openarky/sdk';

/** The ApiError inside whatever a query or mutation threw. */
export function apiError(error: unknown): ApiError | null {
  return error instanceof ArkyError ? error.error : null;
}

/** A sentence for a banner or a notification. */
export function errorMessage(error: unknown): string {
  const api = apiError(error);
  if (api) return api.details?.field ? `${api.message} (${api.details.field})` : api.message;
  return error instanceof Error ? error.message : 'Something went wrong';
}

/** Anything with Mantine's `setFieldError` (a `useForm` result). */
interface FieldErrorTarget {
  setFieldError: (path: string, error: string) => void;
}

/**
 * Puts an API error next to the field it names (`details.field`, a dotted path such as
 * `variants.0.prices.1.amount`, which is also Mantine form's path syntax). `map` renames API paths
 * to form paths where the form's shape differs from the request body. Answers false when no field
 * matched, so the caller shows the error in a banner instead.
 */
export function showFieldError(
  form: FieldErrorTarget,
  error: unknown,
  known: string[],
  map: (field: string) => string = (f) => f,
): boolean {
  const field = apiError(error)?.details?.field;
  if (typeof field !== 'string') return false;
  const path = map(field);
  const hit = known.find((k) => path === k || path.startsWith(`${k}.`) || matchesPattern(k, path));
  if (!hit) return false;
  form.setFieldError(matchesPattern(hit, path) ? path : hit, apiError(error)?.message ?? 'Invalid value');
  return true;
}

// `variants.*.sku` style entries in `known` match any index.
function matchesPattern(pattern: string, path: string): boolean {
  if (!pattern.includes('*')) return false;
  const re = new RegExp(
    `^${pattern
      .split('.')
      .map((p) => (p === '*' ? '\\d+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('\\.')}$`,
  );
  return re.test(path);
}
