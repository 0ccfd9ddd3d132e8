import type { MembershipStatus, ProfileListType } from '@openarky/contract';
import type { Ctx } from '../../lib/context.ts';
import { emit } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import type { ProfileListMemberTable, ProfileListTable } from './audiences.table.ts';
import { grantsAccess, isEnded } from './list.rules.ts';
import { toList, toMembership } from './list.repo.ts';
import { unsubscribeToken, withToken } from './tokens.ts';

/** Membership rows and their status changes (CONTRACT §10.6), shared by admin, storefront, import and Stripe. */

export const listType = (list: ProfileListTable) =>
  fromJson<ProfileListType>(list.type, { type: 'standard' });

/**
 * Moves a membership to `status` in the caller's transaction; joining (`active` from a status
 * that gave no access: pending, cancelled, expired) emits `audience.subscriber_added` with the
 * list and the membership (CONTRACT §10.6). A withdrawn scheduled cancellation is not a join.
 */
export async function setMembershipStatus(
  tx: Ctx,
  list: ProfileListTable,
  row: ProfileListMemberTable,
  status: MembershipStatus,
  extra: Partial<ProfileListMemberTable> = {},
): Promise<ProfileListMemberTable> {
  const now = tx.now();
  const joins = status === 'active' && !grantsAccess(row.status);
  const next: ProfileListMemberTable = {
    ...row,
    ...extra,
    status,
    start_date: joins ? now : (extra.start_date ?? row.start_date),
    end_date:
      isEnded(status) && !isEnded(row.status)
        ? now
        : status === 'active'
          ? null
          : (extra.end_date ?? row.end_date),
    updated_at: now,
  };
  await tx.db.updateTable('profile_list_members').set(next).where('id', '=', row.id).execute();
  if (joins) await emitSubscriberAdded(tx, list, next);
  return next;
}

export async function emitSubscriberAdded(
  tx: Ctx,
  list: ProfileListTable,
  row: ProfileListMemberTable,
): Promise<void> {
  const count = await tx.db
    .selectFrom('profile_list_members')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('profile_list_id', '=', list.id)
    .where('status', 'in', ['active', 'cancellation_scheduled'])
    .executeTakeFirstOrThrow();
  await emit(
    tx,
    'audience.subscriber_added',
    { list: toList(list, Number(count.n)), membership: toMembership(tx.config, row, false) },
    list.store_id,
  );
}

/** A new membership row (not yet inserted). */
export function newMembership(
  now: number,
  list: ProfileListTable,
  profileId: string,
  fields: {
    source: ProfileListMemberTable['source'];
    status: MembershipStatus;
    fields?: Record<string, unknown>;
    lead_description?: string | null;
  },
): ProfileListMemberTable {
  return {
    id: newId('plm'),
    store_id: list.store_id,
    profile_list_id: list.id,
    profile_id: profileId,
    source: fields.source,
    fields: toJson(fields.fields ?? {}),
    lead_description: fields.lead_description ?? null,
    status: fields.status,
    plan_id: null,
    pending_plan_id: null,
    payment: null,
    start_date: fields.status === 'active' ? now : null,
    end_date: null,
    confirm_token_hash: null,
    confirm_expires_at: null,
    provider_ref: null,
    created_at: now,
    updated_at: now,
  };
}

/** The List-Unsubscribe headers of a list email (RFC 2369, one-click RFC 8058). */
export function unsubscribeHeaders(
  ctx: Ctx,
  storeId: string,
  membershipId: string,
): { url: string; headers: Record<string, string> } {
  const url = withToken(
    `${ctx.config.publicUrl}/v1/storefront/${storeId}/profile-lists/unsubscribe`,
    unsubscribeToken(ctx.config, membershipId),
  );
  return {
    url,
    headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
