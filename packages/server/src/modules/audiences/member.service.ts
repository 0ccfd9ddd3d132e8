import type { Static } from '@sinclair/typebox';
import type {
  ListAddMemberBody,
  FindMembersQuery,
  Membership,
  PageOf,
  ProfileListMember,
  UpdateMemberBody,
} from '@openarky/contract';
import { withTx, type Ctx, type StoreCtx } from '../../lib/context.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { toJson } from '../../lib/json.ts';
import { findProfile, type ProfileRow } from '../profiles/index.ts';
import type { ProfileListMemberTable } from './audiences.table.ts';
import { canTransition, isEnded } from './list.rules.ts';
import { findMembership, listMemberRows, toMembership, toMembers } from './list.repo.ts';
import { listOrThrow } from './list.service.ts';
import { syncPaidSubscription } from './paid.cancel.ts';
import { emitSubscriberAdded, newMembership, setMembershipStatus } from './membership.ts';

/** Admin membership operations (CONTRACT §10.6 `sdk.crm.profileList.members`). */

async function profileOfStore(ctx: StoreCtx, profileId: string): Promise<ProfileRow> {
  const profile = await findProfile(ctx.db, ctx.store.id, profileId);
  if (!profile) throw notFound('profile', `No profile ${profileId}`);
  return profile;
}

const adminScope = (ctx: StoreCtx) => ({ storeId: ctx.store.id, activeOnly: false });

/** Admin add: the membership is active at once whatever the list type (the admin vouches). */
export async function addMember(
  ctx: StoreCtx,
  listId: string,
  profileId: string,
  body: Static<typeof ListAddMemberBody>,
): Promise<ProfileListMember> {
  const list = await listOrThrow(ctx, adminScope(ctx), listId);
  const profile = await profileOfStore(ctx, profileId);
  const row = await withTx(ctx, async (tx) => {
    const existing = await findMembership(tx.db, list.id, profile.id);
    if (existing && !isEnded(existing.status))
      throw new AppError('already_exists', 'This profile is already a member of the list', {
        field: 'profile_id',
      });
    const extra = {
      source: 'admin' as const,
      fields: toJson(body.fields ?? {}),
      lead_description: body.lead_description ?? null,
    };
    if (existing) return setMembershipStatus(tx, list, existing, 'active', extra);
    const created = newMembership(tx.now(), list, profile.id, {
      ...extra,
      fields: body.fields ?? {},
      status: 'active',
    });
    await tx.db.insertInto('profile_list_members').values(created).execute();
    await emitSubscriberAdded(tx, list, created);
    return created;
  });
  return (await toMembers(ctx.db, ctx.config, [row]))[0]!;
}

async function memberOrThrow(ctx: StoreCtx, listId: string, profileId: string) {
  const list = await listOrThrow(ctx, adminScope(ctx), listId);
  const row = await findMembership(ctx.db, list.id, profileId);
  if (!row) throw notFound('membership', `Profile ${profileId} is not a member of this list`);
  return { list, row };
}

export async function updateMember(
  ctx: StoreCtx,
  listId: string,
  profileId: string,
  body: Static<typeof UpdateMemberBody>,
): Promise<ProfileListMember> {
  const next = await withTx(ctx, async (tx) => {
    const { list, row } = await memberOrThrow(tx, listId, profileId);
    const status = body.status ?? row.status;
    if (!canTransition(row.status, status))
      throw new AppError('invalid_transition', `A membership cannot go from ${row.status} to ${status}`, {
        from: row.status,
        to: status,
      });
    const extra: Partial<ProfileListMemberTable> = {
      ...(body.fields !== undefined ? { fields: toJson(body.fields) } : {}),
      ...(body.lead_description !== undefined ? { lead_description: body.lead_description } : {}),
      ...(status === 'active' ? { confirm_token_hash: null, confirm_expires_at: null } : {}),
      ...(await syncPaidSubscription(tx, row, status)),
    };
    return setMembershipStatus(tx, list, row, status, extra);
  });
  return (await toMembers(ctx.db, ctx.config, [next]))[0]!;
}

/** Deletes the membership; a running paid one's Stripe subscription is cancelled at once. */
export async function removeMember(ctx: StoreCtx, listId: string, profileId: string): Promise<void> {
  await withTx(ctx, async (tx) => {
    const { row } = await memberOrThrow(tx, listId, profileId);
    await syncPaidSubscription(tx, row, 'removed');
    await tx.db.deleteFrom('profile_list_members').where('id', '=', row.id).execute();
  });
}

export async function findMembers(
  ctx: StoreCtx,
  q: Static<typeof FindMembersQuery>,
  listId?: string,
): Promise<PageOf<ProfileListMember>> {
  const list = listId ? await listOrThrow(ctx, adminScope(ctx), listId) : undefined;
  const page = await listMemberRows(ctx.db, ctx.store.id, list ? { ...q, profile_list_id: list.id } : q);
  return { ...page, items: await toMembers(ctx.db, ctx.config, page.items) };
}

/** A profile's memberships (admin profile view). */
export async function profileMemberships(
  ctx: Ctx,
  storeId: string,
  profileId: string,
): Promise<Membership[]> {
  const rows = await ctx.db
    .selectFrom('profile_list_members')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('profile_id', '=', profileId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => toMembership(ctx.config, r));
}
