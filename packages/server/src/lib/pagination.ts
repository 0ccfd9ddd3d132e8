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

const invalidCursor = () =>
  new AppError('validation_error', 'cursor is invalid or belongs to another sort', {
    field: 'cursor',
    reason: 'invalid',
    errors: [{ field: 'cursor', reason: 'invalid' }],
  });

/**
 * A cursor comes back from the client, so it is input like any other: its value must have the
 * sort column's type (a number for times and sequences, a bounded string otherwise) before it
 * reaches SQL, or a tampered cursor would become a database error (500) instead of a 400.
 */
function decodeCursor(cursor: string, sortField: string, numeric: boolean): { v: CursorValue; id: string } {
  let parsed: { f?: unknown; v?: unknown; id?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw invalidCursor();
  }
  if (!parsed || typeof parsed !== 'object' || parsed.f !== sortField) throw invalidCursor();
  const { v, id } = parsed;
  if (typeof id !== 'string' || id.length > 200 || id.includes('\0')) throw invalidCursor();
  const valid = numeric
    ? Number.isSafeInteger(v)
    : v === null || (typeof v === 'string' && v.length <= 1000 && !v.includes('\0'));
  if (!valid) throw invalidCursor();
  return { v: v as CursorValue, id };
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
    throw new AppError(
      'validation_error',
      `sort_field must be one of ${Object.keys(options.columns).join(', ')}`,
      {
        field: 'sort_field',
        reason: 'invalid_value',
        errors: [{ field: 'sort_field', reason: 'invalid_value' }],
      },
    );
  }
  const idColumn = options.idColumn ?? 'id';
  const direction = input.sort_direction ?? 'desc';
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 100);
  let q = qb;
  if (input.cursor) {
    const { v, id } = decodeCursor(input.cursor, sortField, /(_at|seq|_rank)$/.test(column));
    const op = direction === 'desc' ? '<' : '>';
    // A row-value comparison, not `col < v OR (col = v AND id < id)`: both engines turn it into
    // one index range, so a page deep in the list costs what the first page costs.
    q = q.where(sql<boolean>`(${sql.ref(column)}, ${sql.ref(idColumn)}) ${sql.raw(op)} (${v}, ${id})`);
  }
  const rows = await q
    .orderBy(sql.ref(column), direction)
    .orderBy(sql.ref(idColumn), direction)
    .limit(limit + 1)
    .execute();
  const has_more = rows.length > limit;
  const items = has_more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  const lastValue = last
    ? ((last as Record<string, unknown>)[column.split('.').pop()!] as CursorValue)
    : null;
  return {
    items,
    has_more,
    cursor: has_more && last ? encodeCursor([lastValue, last.id], sortField) : null,
  };
}

/** The filters a store entity's `find` shares (CONTRACT §1.4); every one is optional. */
export interface ListFilters extends PageInput {
  ids?: readonly string[] | undefined;
  key?: string | undefined;
  status?: string | undefined;
  /** Storefront reads: active rows only, whatever `status` asks. */
  activeOnly?: boolean | undefined;
  created_at_from?: number | undefined;
  created_at_to?: number | undefined;
}

/**
 * One page of a filtered list: `qb` (already scoped to the store, with any filter of its own such
 * as `query`) narrowed by ids, key, status or active only and the creation range, then paged with
 * `paginate`. The table must have the columns a given filter names (`key`, `status`).
 */
export async function findPage<DB, TB extends keyof DB, Row extends { id: string }>(
  qb: SelectQueryBuilder<DB, TB, Row>,
  q: ListFilters,
  options: { columns: Record<string, string>; defaultSort?: string },
): Promise<PageOf<Row>> {
  const is = (column: string, op: '=' | '>=' | '<=', value: string | number) =>
    sql<boolean>`${sql.ref(column)} ${sql.raw(op)} ${value}`;
  let filtered = qb;
  if (q.ids?.length) filtered = filtered.where(sql<boolean>`${sql.ref('id')} in (${sql.join([...q.ids])})`);
  if (q.key) filtered = filtered.where(is('key', '=', q.key));
  if (q.activeOnly) filtered = filtered.where(is('status', '=', 'active'));
  else if (q.status) filtered = filtered.where(is('status', '=', q.status));
  if (q.created_at_from !== undefined) filtered = filtered.where(is('created_at', '>=', q.created_at_from));
  if (q.created_at_to !== undefined) filtered = filtered.where(is('created_at', '<=', q.created_at_to));
  return paginate(filtered, q, options);
}
