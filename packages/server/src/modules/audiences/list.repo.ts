import type { Static } from '@sinclair/typebox';
import type {
  FindMembersQuery,
  FindProfileListsQuery,
  Membership,
  PageOf,
  ProfileList,
  ProfileListMember,
  ProfileListType,
} from '@openarky/contract';
import type { Config } from '../../config.ts';
import type { Db } from '../../lib/context.ts';
import { fromJson } from '../../lib/json.ts';
import { findPage } from '../../lib/pagination.ts';
import { toProfile } from '../profiles/index.ts';
import type { ProfileListMemberTable, ProfileListTable } from './audiences.table.ts';
import { unsubscribeToken } from './tokens.ts';

const COUNTED = ['active', 'cancellation_scheduled'] as const;

export async function memberCounts(db: Db, listIds: string[]): Promise<Map<string, number>> {
  if (!listIds.length) return new Map();
  const rows = await db
    .selectFrom('profile_list_members')
    .select(['profile_list_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('profile_list_id', 'in', listIds)
    .where('status', 'in', COUNTED)
    .groupBy('profile_list_id')
    .execute();
  return new Map(rows.map((r) => [r.profile_list_id, Number(r.n)]));
}

export function toList(row: ProfileListTable, memberCount: number): ProfileList {
  return {
    id: row.id,
    store_id: row.store_id,
    key: row.key,
    name: row.name,
    description: row.description,
    status: row.status,
    type: fromJson<ProfileListType>(row.type, { type: 'standard' }),
    member_count: memberCount,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export async function toLists(db: Db, rows: ProfileListTable[]): Promise<ProfileList[]> {
  const counts = await memberCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toList(r, counts.get(r.id) ?? 0));
}

/** The membership as the wire shows it; `token` only when `withToken` (own profile, admins). */
export function toMembership(config: Config, row: ProfileListMemberTable, withToken = true): Membership {
  return {
    id: row.id,
    store_id: row.store_id,
    profile_id: row.profile_id,
    profile_list_id: row.profile_list_id,
    source: row.source,
    fields: fromJson(row.fields, {}),
    lead_description: row.lead_description,
    status: row.status,
    plan_id: row.plan_id,
    pending_plan_id: row.pending_plan_id,
    payment: fromJson(row.payment, null),
    start_date: row.start_date,
    end_date: row.end_date,
    ...(withToken ? { token: unsubscribeToken(config, row.id) } : {}),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export async function toMembers(
  db: Db,
  config: Config,
  rows: ProfileListMemberTable[],
): Promise<ProfileListMember[]> {
  const ids = [...new Set(rows.map((r) => r.profile_id))];
  const profiles = ids.length
    ? await db.selectFrom('profiles').selectAll().where('id', 'in', ids).execute()
    : [];
  const byId = new Map(await Promise.all(profiles.map(async (p) => [p.id, await toProfile(db, p)] as const)));
  return rows.map((r) => ({ profile: byId.get(r.profile_id)!, membership: toMembership(config, r) }));
}

/** The list named by a path segment: `{id}` or `{storeId}:{key}`. */
export async function findListRow(
  db: Db,
  storeId: string,
  segment: string,
): Promise<ProfileListTable | undefined> {
  let qb = db.selectFrom('profile_lists').selectAll().where('store_id', '=', storeId);
  if (segment.includes(':')) {
    const [store, key, ...rest] = segment.split(':');
    if (store !== storeId || !key || rest.length) return undefined;
    qb = qb.where('key', '=', key);
  } else {
    qb = qb.where('id', '=', segment);
  }
  return qb.executeTakeFirst();
}

export async function listListRows(
  db: Db,
  storeId: string,
  q: Static<typeof FindProfileListsQuery> & { activeOnly?: boolean },
): Promise<PageOf<ProfileListTable>> {
  let qb = db.selectFrom('profile_lists').selectAll().where('store_id', '=', storeId);
  if (q.query) {
    const like = `%${q.query.toLowerCase()}%`;
    qb = qb.where((eb) => eb.or([eb('key', 'like', like), eb(eb.fn('lower', ['name']), 'like', like)]));
  }
  return findPage(qb, q, { columns: { created_at: 'created_at', updated_at: 'updated_at', key: 'key' } });
}

export async function findMembership(
  db: Db,
  listId: string,
  profileId: string,
): Promise<ProfileListMemberTable | undefined> {
  return db
    .selectFrom('profile_list_members')
    .selectAll()
    .where('profile_list_id', '=', listId)
    .where('profile_id', '=', profileId)
    .executeTakeFirst();
}

export async function listMemberRows(
  db: Db,
  storeId: string,
  q: Static<typeof FindMembersQuery>,
): Promise<PageOf<ProfileListMemberTable>> {
  let qb = db.selectFrom('profile_list_members').selectAll().where('store_id', '=', storeId);
  if (q.profile_list_id) qb = qb.where('profile_list_id', '=', q.profile_list_id);
  if (q.profile_id) qb = qb.where('profile_id', '=', q.profile_id);
  return findPage(qb, q, { columns: { created_at: 'created_at', updated_at: 'updated_at' } });
}
