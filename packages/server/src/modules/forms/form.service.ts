import type { Static } from '@sinclair/typebox';
import type {
  CreateFormBody,
  FindFormsQuery,
  FindSubmissionsQuery,
  Form,
  FormSchemaField,
  FormSubmission,
  PageOf,
  SubmitFormBody,
  UpdateFormBody,
  UpdateSubmissionBody,
} from '@openarky/contract';
import { isUniqueViolation } from '../../db/create-db.ts';
import { untracked, withTx, type Ctx, type StoreCtx } from '../../lib/context.ts';
import { alreadyExists, notFound, validationError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId, randomBase62 } from '../../lib/ids.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import { hitRateLimit } from '../identity/index.ts';
import { findProfile, insertProfile, storefrontProfile } from '../profiles/index.ts';
import { checkFormSchema, submissionSearchText, validateSubmission } from './form.fields.ts';
import {
  findFormRow,
  findSubmissionRow,
  listFormRows,
  listSubmissionRows,
  toForm,
  toSubmission,
} from './form.repo.ts';
import type { FormTable } from './forms.table.ts';

/** Storefront submissions allowed per IP (per store) and per profile in a 10-minute window. */
export const SUBMISSIONS_PER_IP = 30;
export const SUBMISSIONS_PER_PROFILE = 10;
const WINDOW = 600;

const fieldId = () => `fld_${randomBase62(16)}`;

function schemaOrThrow(input: Static<typeof CreateFormBody>['schema']): FormSchemaField[] {
  const { schema, errors } = checkFormSchema(input ?? [], fieldId);
  if (errors.length) throw validationError(errors);
  return schema;
}

async function formOrThrow(ctx: Ctx, storeId: string, segment: string): Promise<FormTable> {
  const row = await findFormRow(ctx.db, storeId, segment);
  if (!row) throw notFound('form', `No form ${segment}`);
  return row;
}

export async function createForm(ctx: StoreCtx, input: Static<typeof CreateFormBody>): Promise<Form> {
  const schema = schemaOrThrow(input.schema);
  const now = ctx.now();
  const row: FormTable = {
    id: newId('form'),
    store_id: ctx.store.id,
    key: input.key,
    schema: toJson(schema),
    status: input.status ?? 'active',
    created_at: now,
    updated_at: now,
  };
  try {
    // The row comes back from the transaction: a replay answers with the one that committed.
    return toForm(
      await withTx(ctx, async (tx) => {
        await tx.db.insertInto('forms').values(row).execute();
        return row;
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('key', `A form with key ${input.key} already exists`);
    throw error;
  }
}

export async function updateForm(
  ctx: StoreCtx,
  segment: string,
  input: Static<typeof UpdateFormBody>,
): Promise<Form> {
  const schema = input.schema !== undefined ? toJson(schemaOrThrow(input.schema)) : undefined;
  try {
    // Looked up inside the phase: a retry after a crash that renamed the form replays its answer.
    return toForm(
      await withTx(ctx, async (tx) => {
        const row = await formOrThrow(tx, ctx.store.id, segment);
        const next: FormTable = {
          ...row,
          key: input.key ?? row.key,
          schema: schema ?? row.schema,
          status: input.status ?? row.status,
          updated_at: tx.now(),
        };
        await tx.db.updateTable('forms').set(next).where('id', '=', row.id).execute();
        return next;
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('key', `A form with key ${input.key} already exists`);
    throw error;
  }
}

/** Deletes a form and its submissions. */
export async function deleteForm(ctx: StoreCtx, segment: string): Promise<void> {
  const row = await formOrThrow(ctx, ctx.store.id, segment);
  await withTx(ctx, async (tx) => {
    await tx.db.deleteFrom('form_submissions').where('form_id', '=', row.id).execute();
    await tx.db.deleteFrom('forms').where('id', '=', row.id).execute();
  });
}

export interface FormScope {
  storeId: string;
  activeOnly: boolean;
}

export async function getForm(ctx: Ctx, scope: FormScope, segment: string): Promise<Form> {
  const row = await formOrThrow(ctx, scope.storeId, segment);
  if (scope.activeOnly && row.status !== 'active') throw notFound('form', `No form ${segment}`);
  return toForm(row);
}

export async function findForms(
  ctx: Ctx,
  scope: FormScope,
  q: Static<typeof FindFormsQuery>,
): Promise<PageOf<Form>> {
  const page = await listFormRows(ctx.db, scope.storeId, { ...q, activeOnly: scope.activeOnly });
  return { ...page, items: page.items.map(toForm) };
}

function checkedFields(form: FormTable, submitted: Static<typeof SubmitFormBody>['fields']) {
  const { fields, errors } = validateSubmission(fromJson<FormSchemaField[]>(form.schema, []), submitted);
  if (errors.length) throw validationError(errors);
  return fields;
}

async function insertSubmission(
  tx: Ctx,
  form: FormTable,
  profileId: string | null,
  fields: ReturnType<typeof checkedFields>,
): Promise<FormSubmission> {
  const now = tx.now();
  const row = {
    id: newId('fsub'),
    store_id: form.store_id,
    form_id: form.id,
    profile_id: profileId,
    fields: toJson(fields),
    search_text: submissionSearchText(fields),
    created_at: now,
    updated_at: now,
  };
  await tx.db.insertInto('form_submissions').values(row).execute();
  const submission = toSubmission(row);
  await emit(tx, 'form_submission.created', submission, form.store_id);
  return submission;
}

/** Admin submission (any status; `profile_id` optional and must be of this store). */
export async function submitAsAdmin(
  ctx: StoreCtx,
  segment: string,
  body: Static<typeof SubmitFormBody>,
): Promise<FormSubmission> {
  const form = await formOrThrow(ctx, ctx.store.id, segment);
  const fields = checkedFields(form, body.fields);
  const profileId = body.profile_id ?? null;
  if (profileId && !(await findProfile(ctx.db, ctx.store.id, profileId)))
    throw validationError({
      field: 'profile_id',
      reason: 'not_found',
      message: `No profile ${profileId} in this store`,
    });
  return withTx(ctx, (tx) => insertSubmission(tx, form, profileId, fields));
}

/**
 * Storefront submission of an active form: the caller's profile token names the profile, otherwise
 * a guest profile is created (as `identify` does). Limited per IP and per profile (429).
 */
export async function submitFromStorefront(
  ctx: Ctx,
  storeId: string,
  segment: string,
  body: Static<typeof SubmitFormBody>,
  ip: string,
): Promise<FormSubmission> {
  const form = await findFormRow(ctx.db, storeId, segment);
  if (!form || form.status !== 'active') throw notFound('form', `No form ${segment}`);
  const current = storefrontProfile(ctx, storeId);
  // Counted before validation, in their own statements: refused attempts count too, and a
  // rolled-back submission does not give its hit back.
  await hitRateLimit(untracked(ctx), ctx.now(), `form:ip:${storeId}:${ip}`, SUBMISSIONS_PER_IP, WINDOW);
  if (current)
    await hitRateLimit(
      untracked(ctx),
      ctx.now(),
      `form:profile:${current.profileId}`,
      SUBMISSIONS_PER_PROFILE,
      WINDOW,
    );
  const fields = checkedFields(form, body.fields);
  return withTx(ctx, async (tx) => {
    const profileId = current ? current.profileId : (await insertProfile(tx, storeId)).id;
    return insertSubmission(tx, form, profileId, fields);
  });
}

export async function findSubmissions(
  ctx: StoreCtx,
  q: Static<typeof FindSubmissionsQuery>,
): Promise<PageOf<FormSubmission>> {
  const page = await listSubmissionRows(ctx.db, ctx.store.id, q);
  return { ...page, items: page.items.map(toSubmission) };
}

async function submissionOrThrow(ctx: StoreCtx, formSegment: string, id: string) {
  const form = await formOrThrow(ctx, ctx.store.id, formSegment);
  const row = await findSubmissionRow(ctx.db, ctx.store.id, form.id, id);
  if (!row) throw notFound('form_submission', `No submission ${id}`);
  return { form, row };
}

export async function getSubmission(ctx: StoreCtx, formSegment: string, id: string): Promise<FormSubmission> {
  return toSubmission((await submissionOrThrow(ctx, formSegment, id)).row);
}

/** An admin correction: the fields are replaced, validated against the form's current schema. */
export async function updateSubmission(
  ctx: StoreCtx,
  formSegment: string,
  id: string,
  body: Static<typeof UpdateSubmissionBody>,
): Promise<FormSubmission> {
  const { form, row } = await submissionOrThrow(ctx, formSegment, id);
  const fields = checkedFields(form, body.fields);
  const next = {
    ...row,
    fields: toJson(fields),
    search_text: submissionSearchText(fields),
    updated_at: ctx.now(),
  };
  return toSubmission(
    await withTx(ctx, async (tx) => {
      await tx.db.updateTable('form_submissions').set(next).where('id', '=', row.id).execute();
      return next;
    }),
  );
}
