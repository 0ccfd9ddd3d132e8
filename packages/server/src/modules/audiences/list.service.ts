import type { Static } from '@sinclair/typebox';
import type {
  CreateProfileListBody,
  FindProfileListsQuery,
  PageOf,
  ProfileList,
  UpdateProfileListBody,
} from '@openarky/contract';
import { isUniqueViolation } from '../../db/create-db.ts';
import { withTx, type Ctx, type StoreCtx } from '../../lib/context.ts';
import { alreadyExists, notFound, validationError, type FieldError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';
import type { ProfileListTable } from './audiences.table.ts';
import { parseListType } from './list.rules.ts';
import { findListRow, listListRows, memberCounts, toList, toLists } from './list.repo.ts';

export interface ListScope {
  storeId: string;
  activeOnly: boolean;
}

export async function listOrThrow(ctx: Ctx, scope: ListScope, segment: string): Promise<ProfileListTable> {
  const row = await findListRow(ctx.db, scope.storeId, segment);
  if (!row || (scope.activeOnly && row.status !== 'active'))
    throw notFound('profile_list', `No profile list ${segment}`);
  return row;
}

async function withCount(ctx: Ctx, row: ProfileListTable): Promise<ProfileList> {
  return toList(row, (await memberCounts(ctx.db, [row.id])).get(row.id) ?? 0);
}

function uniqueKey(error: unknown, key: string): never {
  if (isUniqueViolation(error)) throw alreadyExists('key', `A profile list with key ${key} already exists`);
  throw error;
}

export async function createList(
  ctx: StoreCtx,
  body: Static<typeof CreateProfileListBody>,
): Promise<ProfileList> {
  const errors: FieldError[] = [];
  const type = parseListType(body.type, errors) ?? { type: 'standard' as const };
  if (errors.length) throw validationError(errors);
  const now = ctx.now();
  const row: ProfileListTable = {
    id: newId('plst'),
    store_id: ctx.store.id,
    key: body.key,
    name: body.name ?? null,
    description: body.description ?? null,
    status: body.status ?? 'active',
    type: toJson(type),
    created_at: now,
    updated_at: now,
  };
  // The row comes back from the transaction: a replay answers with the one that committed.
  const saved = await withTx(ctx, async (tx) => {
    await tx.db.insertInto('profile_lists').values(row).execute();
    return row;
  }).catch((e: unknown) => uniqueKey(e, body.key));
  return toList(saved, 0);
}

export async function updateList(
  ctx: StoreCtx,
  segment: string,
  body: Static<typeof UpdateProfileListBody>,
): Promise<ProfileList> {
  const errors: FieldError[] = [];
  const type = parseListType(body.type, errors);
  if (errors.length) throw validationError(errors);
  // Looked up inside the phase: a retry after a crash that renamed the list replays its answer.
  const saved = await withTx(ctx, async (tx) => {
    const row = await listOrThrow(tx, { storeId: ctx.store.id, activeOnly: false }, segment);
    const next: ProfileListTable = {
      ...row,
      key: body.key ?? row.key,
      name: body.name !== undefined ? body.name : row.name,
      description: body.description !== undefined ? body.description : row.description,
      status: body.status ?? row.status,
      type: type ? toJson(type) : row.type,
      updated_at: tx.now(),
    };
    await tx.db.updateTable('profile_lists').set(next).where('id', '=', row.id).execute();
    return next;
  }).catch((e: unknown) => uniqueKey(e, body.key ?? segment));
  return withCount(ctx, saved);
}

export async function deleteList(ctx: StoreCtx, segment: string): Promise<void> {
  const row = await listOrThrow(ctx, { storeId: ctx.store.id, activeOnly: false }, segment);
  await withTx(ctx, async (tx) => {
    await tx.db.deleteFrom('profile_list_members').where('profile_list_id', '=', row.id).execute();
    await tx.db.deleteFrom('profile_lists').where('id', '=', row.id).execute();
  });
}

export async function getList(ctx: Ctx, scope: ListScope, segment: string): Promise<ProfileList> {
  return withCount(ctx, await listOrThrow(ctx, scope, segment));
}

export async function findLists(
  ctx: Ctx,
  scope: ListScope,
  q: Static<typeof FindProfileListsQuery>,
): Promise<PageOf<ProfileList>> {
  const page = await listListRows(ctx.db, scope.storeId, { ...q, activeOnly: scope.activeOnly });
  return { ...page, items: await toLists(ctx.db, page.items) };
}
