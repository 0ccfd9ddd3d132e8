import type { FieldError } from '../../lib/errors.ts';

/** `active`/`archived`; seed 002 PUBLISHED → active; DRAFT has no v1 value (CONTRACT §12 #27). */
export function parseStatus(
  raw: string | undefined,
  errors: FieldError[],
): 'active' | 'archived' | undefined {
  if (raw === undefined) return undefined;
  const s = raw.toLowerCase();
  if (s === 'active' || s === 'published') return 'active';
  if (s === 'archived') return 'archived';
  errors.push({
    field: 'status',
    reason: 'invalid_value',
    message: `status must be active or archived${s === 'draft' ? ' (draft is not a v1 status)' : ''}`,
  });
  return undefined;
}
