import type { Static } from '@sinclair/typebox';
import { parse } from 'csv-parse/sync';
import type { ImportProfilesBody, ImportReport } from '@openarky/contract';
import { withTx, type StoreCtx } from '../../lib/context.ts';
import { validationError } from '../../lib/errors.ts';
import { emitMany } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';
import { normalizeEmail } from '../identity/index.ts';
import type { ProfileRow } from '../profiles/index.ts';
import type { ProfileListMemberTable, ProfileListTable } from './audiences.table.ts';
import { isEnded } from './list.rules.ts';
import { memberCounts, toList, toMembership } from './list.repo.ts';
import { listOrThrow } from './list.service.ts';
import { newMembership } from './membership.ts';

/** Rows per transaction: each batch costs a handful of statements whatever its size. */
export const IMPORT_BATCH = 500;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface ImportRow {
  row: number;
  email: string;
  fields: Record<string, unknown>;
}

/** CSV text (header row first) → rows with their 1-based data row number. */
export function rowsFromCsv(
  csv: string,
  emailColumn: string,
  mappings: Record<string, string> | undefined,
): { rows: ImportRow[]; errors: ImportReport['errors'] } {
  let records: Record<string, string>[];
  try {
    records = parse(csv, {
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: true,
    });
  } catch (error) {
    const e = error as { message: string; lines?: number };
    throw validationError({
      field: 'csv',
      reason: 'invalid_csv',
      message: `csv is not valid CSV${e.lines ? ` (line ${e.lines})` : ''}: ${e.message}`,
    });
  }
  const rows: ImportRow[] = [];
  const errors: ImportReport['errors'] = [];
  if (records.length && !(emailColumn in records[0]!))
    throw validationError({
      field: 'email_column',
      reason: 'not_found',
      message: `The CSV has no column ${emailColumn}`,
    });
  records.forEach((record, i) => {
    const fields: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(record)) {
      if (column === emailColumn || value === undefined || value === '') continue;
      const key = mappings ? mappings[column] : column;
      if (key) fields[key] = value;
    }
    rows.push({ row: i + 1, email: record[emailColumn] ?? '', fields });
  });
  return { rows, errors };
}

/**
 * `importProfiles`: every row's email gets a profile (created when the store has none) and an
 * active membership of the list. Rows already members are skipped; bad rows are reported with
 * their number and nothing else is written for them. Runs in batches, one transaction each.
 */
export async function importProfiles(
  ctx: StoreCtx,
  listSegment: string,
  body: Static<typeof ImportProfilesBody>,
): Promise<ImportReport> {
  const list = await listOrThrow(ctx, { storeId: ctx.store.id, activeOnly: false }, listSegment);
  if (body.csv === undefined && body.rows === undefined)
    throw validationError({ field: 'csv', reason: 'required', message: 'Send csv or rows' });
  const parsed =
    body.csv !== undefined
      ? rowsFromCsv(body.csv, body.email_column ?? 'email', body.field_mappings)
      : {
          rows: body.rows!.map((r, i) => ({ row: i + 1, email: r.email, fields: r.fields ?? {} })),
          errors: [],
        };
  const report: ImportReport = { imported: 0, created: 0, skipped: 0, errors: parsed.errors };
  const seen = new Set<string>();
  const valid: ImportRow[] = [];
  for (const r of parsed.rows) {
    const email = normalizeEmail(r.email);
    if (!email) report.errors.push({ row: r.row, reason: 'email_required', field: 'email' });
    else if (email.length > 254 || !EMAIL.test(email))
      report.errors.push({ row: r.row, reason: 'invalid_email', field: 'email' });
    else if (seen.has(email)) report.skipped++;
    else {
      seen.add(email);
      valid.push({ ...r, email });
    }
  }
  for (let i = 0; i < valid.length; i += IMPORT_BATCH) {
    const batch = valid.slice(i, i + IMPORT_BATCH);
    const result = await withTx(ctx, (tx) => importBatch(tx, list, batch));
    report.imported += result.imported;
    report.created += result.created;
    report.skipped += result.skipped;
  }
  report.errors.sort((a, b) => a.row - b.row);
  return report;
}

async function importBatch(tx: StoreCtx, list: ProfileListTable, batch: ImportRow[]) {
  const now = tx.now();
  const storeId = list.store_id;
  const emails = batch.map((r) => r.email);
  // The store's active profile per email: verified first, then oldest (as sf.verify chooses).
  const found = await tx.db
    .selectFrom('profiles')
    .select(['id', 'email', 'verified', 'created_at'])
    .where('store_id', '=', storeId)
    .where('status', '=', 'active')
    .where('email', 'in', emails)
    .orderBy('verified', 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const profileOf = new Map<string, string>();
  for (const p of found) if (p.email && !profileOf.has(p.email)) profileOf.set(p.email, p.id);
  const fresh: ProfileRow[] = batch
    .filter((r) => !profileOf.has(r.email))
    .map((r) => ({
      id: newId('prof'),
      store_id: storeId,
      email: r.email,
      verified: 0,
      status: 'active' as const,
      market: null,
      promo_usage: '[]',
      taxonomies: '[]',
      created_at: now,
      updated_at: now,
    }));
  if (fresh.length) await tx.db.insertInto('profiles').values(fresh).execute();
  for (const p of fresh) profileOf.set(p.email!, p.id);

  const existing = await tx.db
    .selectFrom('profile_list_members')
    .selectAll()
    .where('profile_list_id', '=', list.id)
    .where('profile_id', 'in', [...profileOf.values()])
    .execute();
  const memberOf = new Map(existing.map((m) => [m.profile_id, m]));
  const inserts: ProfileListMemberTable[] = [];
  const activated: ProfileListMemberTable[] = [];
  let skipped = 0;
  for (const r of batch) {
    const profileId = profileOf.get(r.email)!;
    const current = memberOf.get(profileId);
    if (current && !isEnded(current.status)) {
      skipped++;
      continue;
    }
    if (current) {
      const again: ProfileListMemberTable = {
        ...current,
        source: 'import',
        status: 'active',
        fields: toJson(r.fields),
        start_date: now,
        end_date: null,
        updated_at: now,
      };
      await tx.db.updateTable('profile_list_members').set(again).where('id', '=', current.id).execute();
      activated.push(again);
    } else {
      const row = newMembership(now, list, profileId, {
        source: 'import',
        status: 'active',
        fields: r.fields,
      });
      inserts.push(row);
      activated.push(row);
    }
  }
  if (inserts.length) await tx.db.insertInto('profile_list_members').values(inserts).execute();
  if (activated.length) {
    const count = (await memberCounts(tx.db, [list.id])).get(list.id) ?? 0;
    const listView = toList(list, count);
    await emitMany(
      tx,
      activated.map((m) => ({
        type: 'audience.subscriber_added',
        data: { list: listView, membership: toMembership(tx.config, m, false) },
      })),
      storeId,
    );
  }
  return { imported: activated.length, created: fresh.length, skipped };
}
