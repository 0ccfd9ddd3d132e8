import type { Static } from '@sinclair/typebox';
import type {
  FindFormsQuery,
  FindSubmissionsQuery,
  Form,
  FormSchemaField,
  FormSubmission,
  PageOf,
} from '@openarky/contract';
import type { Db } from '../../lib/context.ts';
import { fromJson } from '../../lib/json.ts';
import { findPage } from '../../lib/pagination.ts';
import type { FormSubmissionTable, FormTable } from './forms.table.ts';

export function toForm(row: FormTable): Form {
  return {
    id: row.id,
    key: row.key,
    store_id: row.store_id,
    schema: fromJson<FormSchemaField[]>(row.schema, []),
    status: row.status,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toSubmission(row: FormSubmissionTable): FormSubmission {
  return {
    id: row.id,
    form_id: row.form_id,
    store_id: row.store_id,
    profile_id: row.profile_id,
    fields: fromJson(row.fields, []),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The form named by a path segment: `{id}` or `{storeId}:{key}` (CONTRACT §8.3). */
export async function findFormRow(db: Db, storeId: string, segment: string): Promise<FormTable | undefined> {
  let qb = db.selectFrom('forms').selectAll().where('store_id', '=', storeId);
  if (segment.includes(':')) {
    const [store, key, ...rest] = segment.split(':');
    if (store !== storeId || !key || rest.length) return undefined;
    qb = qb.where('key', '=', key);
  } else {
    qb = qb.where('id', '=', segment);
  }
  return qb.executeTakeFirst();
}

export async function listFormRows(
  db: Db,
  storeId: string,
  q: Static<typeof FindFormsQuery> & { activeOnly?: boolean },
): Promise<PageOf<FormTable>> {
  let qb = db.selectFrom('forms').selectAll().where('store_id', '=', storeId);
  if (q.query) qb = qb.where('key', 'like', `%${q.query.toLowerCase()}%`);
  return findPage(qb, q, { columns: { created_at: 'created_at', updated_at: 'updated_at', key: 'key' } });
}

export async function findSubmissionRow(
  db: Db,
  storeId: string,
  formId: string,
  id: string,
): Promise<FormSubmissionTable | undefined> {
  return db
    .selectFrom('form_submissions')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('form_id', '=', formId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listSubmissionRows(
  db: Db,
  storeId: string,
  q: Static<typeof FindSubmissionsQuery>,
): Promise<PageOf<FormSubmissionTable>> {
  let qb = db.selectFrom('form_submissions').selectAll().where('store_id', '=', storeId);
  const formIds = [...(q.form_ids ?? []), ...(q.form_id ? [q.form_id] : [])];
  if (formIds.length) qb = qb.where('form_id', 'in', formIds);
  if (q.profile_id) qb = qb.where('profile_id', '=', q.profile_id);
  if (q.query) qb = qb.where('search_text', 'like', `%${q.query.toLowerCase()}%`);
  return findPage(qb, q, { columns: { created_at: 'created_at', updated_at: 'updated_at' } });
}

/** A profile's latest submissions (admin profile view, `sf.me`). */
export async function profileSubmissions(
  db: Db,
  storeId: string,
  profileId: string,
  limit = 20,
): Promise<FormSubmission[]> {
  const rows = await db
    .selectFrom('form_submissions')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('profile_id', '=', profileId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toSubmission);
}
