import { sql, type SelectQueryBuilder } from 'kysely';
import type { PageOf } from '@openarky/contract';
import { AppError } from './errors.ts';

export interface PageInput {
  limit?: number | undefined;
  cursor?: string | undefined;
  sort_field?: string | undefined;
  sort_direction?: 'asc' | 'desc' | undefined;
}

type CursorValue = string | number | null;

function encodeCursor(values: [CursorValue, string], sortField: string): string {
  return Buffer.from(JSON.stringify({ f: sortField, v: values[0], id: values[1] })).toString('base64url');
}

function decodeCursor(cursor: string, sortField: string): { v: CursorValue; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { f: string; v: CursorValue; id: string };
    if (parsed.f !== sortField || typeof parsed.id !== 'string') throw new Error('mismatch');
    return { v: parsed.v, id: parsed.id };
  } catch {
    throw new AppError('validation_error', 'cursor is invalid or belongs to another sort', {
      field: 'cursor',
      reason: 'invalid',
      errors: [{ field: 'cursor', reason: 'invalid' }],
    });
  }
}

/**
 * Keyset pagination over (sort column, id): stable while rows are inserted, because the cursor
 * names the last row's position rather than an offset. `columns` maps allowed sort fields to the
 * column expression; the table's id column must be selected as `id`.
 */
export async function paginate<DB, TB extends keyof DB, Row extends { id: string }>(
  qb: SelectQueryBuilder<DB, TB, Row>,
  input: PageInput,
  options: { columns: Record<string, string>; idColumn?: string; defaultSort?: string },
): Promise<PageOf<Row>> {
  const sortField = input.sort_field ?? options.defaultSort ?? 'created_at';
  const column = options.columns[sortField];
  if (!column) {
    throw new AppError('validation_error', `sort_field must be one of ${Object.keys(options.columns).join(', ')}`, {
      field: 'sort_field',
      reason: 'invalid_value',
      errors: [{ field: 'sort_field', reason: 'invalid_value' }],
    });
  }
  const idColumn = options.idColumn ?? 'id';
  const direction = input.sort_direction ?? 'desc';
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 100);
  let q = qb;
  if (input.cursor) {
    const { v, id } = decodeCursor(input.cursor, sortField);
    const op = direction === 'desc' ? '<' : '>';
    q = q.where(({ eb, or, and }) =>
      or([
        eb(sql.ref(column), op, v),
        and([eb(sql.ref(column), '=', v), eb(sql.ref(idColumn), op, id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy(sql.ref(column), direction)
    .orderBy(sql.ref(idColumn), direction)
    .limit(limit + 1)
    .execute();
  const has_more = rows.length > limit;
  const items = has_more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  const lastValue = last ? ((last as Record<string, unknown>)[column.split('.').pop()!] as CursorValue) : null;
  return {
    items,
    has_more,
    cursor: has_more && last ? encodeCursor([lastValue, last.id], sortField) : null,
  };
}
