import type { Static } from '@sinclair/typebox';
import type {
  AccessResult,
  ListAddMemberBody,
  FindMembersQuery,
  Membership,
  MembershipStatus,
  PageOf,
  ProfileListMember,
  ProfileListType,
  ListSubscribeBody,
  UpdateMemberBody,
} from '@openarky/contract';
import { withTx, type Ctx, type StoreCtx } from '../../lib/context.ts';
import { AppError, forbidden, notFound, unauthenticated, validationError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import { enqueueTemplatedEmail } from '../emails/index.ts';
import { hitRateLimit, normalizeEmail } from '../identity/index.ts';
import { findProfile, storefrontProfile, type ProfileRow } from '../profiles/index.ts';
import type { ProfileListMemberTable, ProfileListTable } from './audiences.table.ts';
import { canTransition, grantsAccess, isEnded } from './list.rules.ts';
import { findMembership, listMemberRows, toList, toMembership, toMembers } from './list.repo.ts';
import { listOrThrow } from './list.service.ts';
import {
  hashConfirmToken,
  newConfirmToken,
  unsubscribeToken,
  verifyUnsubscribeToken,
  withToken,
} from './tokens.ts';

/** A double opt-in link is valid this long. */
const CONFIRM_TTL = 7 * 86400;
/** Confirmation emails per profile per hour (a form cannot be used to mail-bomb an address). */
const CONFIRM_EMAILS_PER_HOUR = 5;

const listType = (list: ProfileListTable) => fromJson<ProfileListType>(list.type, { type: 'standard' });

/**
 * Moves a membership to `status` in the caller's transaction; reaching `active` from another
 * status emits `audience.subscriber_added` with the list and the membership (CONTRACT §10.6).
 */
export async function setMembershipStatus(
  tx: Ctx,
  list: ProfileListTable,
  row: ProfileListMemberTable,
  status: MembershipStatus,
  extra: Partial<ProfileListMemberTable> = {},
): Promise<ProfileListMemberTable> {
  const now = tx.now();
  const next: ProfileListMemberTable = {
    ...row,
    ...extra,
    status,
    start_date: status === 'active' && row.status !== 'active' ? now : (extra.start_date ?? row.start_date),
    end_date:
      isEnded(status) && !isEnded(row.status)
        ? now
        : status === 'active'
          ? null
          : (extra.end_date ?? row.end_date),
    updated_at: now,
  };
  await tx.db.updateTable('profile_list_members').set(next).where('id', '=', row.id).execute();
  if (status === 'active' && row.status !== 'active') await emitSubscriberAdded(tx, list, next);
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
    };
    return setMembershipStatus(tx, list, row, status, extra);
  });
  return (await toMembers(ctx.db, ctx.config, [next]))[0]!;
}

export async function removeMember(ctx: StoreCtx, listId: string, profileId: string): Promise<void> {
  const { row } = await memberOrThrow(ctx, listId, profileId);
  await ctx.db.deleteFrom('profile_list_members').where('id', '=', row.id).execute();
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

// Storefront.

function callerProfile(ctx: Ctx, storeId: string, authFailure?: string) {
  const current = storefrontProfile(ctx, storeId);
  if (!current)
    throw unauthenticated(authFailure ?? 'A profile token of this store is required (sf.identify)');
  return current;
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

function checkUrl(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    const u = new URL(value);
    if (u.protocol === 'http:' || u.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  throw validationError({ field, reason: 'format', message: `${field} must be an http(s) URL` });
}

export interface SubscribeHooks {
  /** Paid lists: starts a Stripe Checkout Session and returns its URL (payments integration). */
  startCheckout?: (
    tx: Ctx,
    list: ProfileListTable,
    row: ProfileListMemberTable,
    body: Static<typeof ListSubscribeBody>,
  ) => Promise<string>;
}
const hooks: SubscribeHooks = {};
export function setPaidCheckout(start: NonNullable<SubscribeHooks['startCheckout']>): void {
  hooks.startCheckout = start;
}

/**
 * `sf.crm.profileList.subscribe`: standard lists → active at once; confirmation lists → pending
 * with a single-use link emailed (double opt-in); paid lists → pending with a Checkout URL.
 * Subscribing again while a membership is running returns it unchanged (a pending confirmation
 * is mailed again).
 */
export async function subscribe(
  ctx: Ctx,
  storeId: string,
  listSegment: string,
  body: Static<typeof ListSubscribeBody>,
  authFailure?: string,
): Promise<{ checkout_url: string | null; membership: Membership }> {
  const list = await listOrThrow(ctx, { storeId, activeOnly: true }, listSegment);
  const { profileId } = callerProfile(ctx, storeId, authFailure);
  if (body.profile_id && body.profile_id !== profileId)
    throw forbidden('profile_id must be the caller’s own profile');
  const confirmUrl = checkUrl(body.confirm_url, 'confirm_url');
  checkUrl(body.success_url, 'success_url');
  checkUrl(body.cancel_url, 'cancel_url');
  const type = listType(list);
  if (type.type === 'paid' && !hooks.startCheckout)
    throw new AppError('payment_provider_not_configured', 'Paid lists need the Stripe payments integration');

  const result = await withTx(ctx, async (tx) => {
    let profile = (await findProfile(tx.db, storeId, profileId))!;
    if (body.email && normalizeEmail(body.email) !== profile.email) {
      const email = normalizeEmail(body.email);
      await tx.db
        .updateTable('profiles')
        .set({ email, verified: 0, updated_at: tx.now() })
        .where('id', '=', profile.id)
        .execute();
      profile = { ...profile, email, verified: 0 };
    }
    if (type.type === 'confirmation' && !profile.email)
      throw validationError({
        field: 'email',
        reason: 'required',
        message: 'A confirmation list needs an email address',
      });
    const existing = await findMembership(tx.db, list.id, profile.id);
    if (existing && grantsAccess(existing.status)) return { row: existing, checkoutUrl: null };
    let row = existing;
    if (!row) {
      row = newMembership(tx.now(), list, profile.id, {
        source: 'signup',
        status: type.type === 'standard' ? 'active' : 'pending',
      });
      await tx.db.insertInto('profile_list_members').values(row).execute();
      if (row.status === 'active') await emitSubscriberAdded(tx, list, row);
    } else if (isEnded(row.status)) {
      // A former member comes back: a new cycle on the same row.
      row = {
        ...row,
        source: 'signup',
        status: 'pending',
        start_date: null,
        end_date: null,
        updated_at: tx.now(),
      };
      await tx.db.updateTable('profile_list_members').set(row).where('id', '=', row.id).execute();
      if (type.type === 'standard') row = await setMembershipStatus(tx, list, row, 'active');
    }
    if (type.type === 'confirmation') {
      await hitRateLimit(tx.db, tx.now(), `list-confirm:${profile.id}`, CONFIRM_EMAILS_PER_HOUR, 3600);
      const { token, hash } = newConfirmToken();
      row = { ...row, confirm_token_hash: hash, confirm_expires_at: tx.now() + CONFIRM_TTL };
      await tx.db
        .updateTable('profile_list_members')
        .set({ confirm_token_hash: hash, confirm_expires_at: row.confirm_expires_at })
        .where('id', '=', row.id)
        .execute();
      const unsubscribe = unsubscribeHeaders(tx, storeId, row.id);
      const base = confirmUrl ?? `${tx.config.publicUrl}/v1/storefront/${storeId}/profile-lists/confirm`;
      await enqueueTemplatedEmail(tx.db, tx.now(), {
        storeId,
        to: profile.email!,
        template: 'audience_confirmation',
        locale: body.locale,
        data: {
          list: { name: list.name ?? list.key, key: list.key },
          confirm_url: withToken(base, token),
          unsubscribe_url: unsubscribe.url,
        },
        headers: unsubscribe.headers,
      });
      return { row, checkoutUrl: null };
    }
    if (type.type === 'paid') return { row, checkoutUrl: await hooks.startCheckout!(tx, list, row, body) };
    return { row, checkoutUrl: null };
  });
  const fresh = (await findMembership(ctx.db, list.id, profileId)) ?? result.row;
  return { checkout_url: result.checkoutUrl, membership: toMembership(ctx.config, fresh) };
}

/** Double opt-in: a valid unused token turns its pending membership active (single use). */
export async function confirmSubscription(
  ctx: Ctx,
  storeId: string,
  token: string,
): Promise<{ confirmed: true }> {
  const invalid = () =>
    validationError({
      field: 'token',
      reason: 'invalid',
      message: 'This confirmation link is invalid, used or expired',
    });
  await withTx(ctx, async (tx) => {
    const row = await tx.db
      .selectFrom('profile_list_members')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('confirm_token_hash', '=', hashConfirmToken(token))
      .executeTakeFirst();
    if (!row || row.status !== 'pending' || (row.confirm_expires_at ?? 0) < tx.now()) throw invalid();
    // Single use: the hash is cleared in the same statement that checks it is still there.
    const claimed = await tx.db
      .updateTable('profile_list_members')
      .set({ confirm_token_hash: null, confirm_expires_at: null })
      .where('id', '=', row.id)
      .where('confirm_token_hash', '=', row.confirm_token_hash)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw invalid();
    const list = (await tx.db
      .selectFrom('profile_lists')
      .selectAll()
      .where('id', '=', row.profile_list_id)
      .executeTakeFirst())!;
    await setMembershipStatus(
      tx,
      list,
      { ...row, confirm_token_hash: null, confirm_expires_at: null },
      'active',
    );
  });
  return { confirmed: true };
}

/** One-click unsubscribe with the signed token of a list email; answers the same when repeated. */
export async function unsubscribe(ctx: Ctx, storeId: string, token: string): Promise<{ unsubscribed: true }> {
  const id = verifyUnsubscribeToken(ctx.config, token);
  const invalid = () =>
    validationError({ field: 'token', reason: 'invalid', message: 'This unsubscribe link is invalid' });
  if (!id) throw invalid();
  await withTx(ctx, async (tx) => {
    const row = await tx.db
      .selectFrom('profile_list_members')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw invalid();
    if (isEnded(row.status)) return;
    const list = (await tx.db
      .selectFrom('profile_lists')
      .selectAll()
      .where('id', '=', row.profile_list_id)
      .executeTakeFirst())!;
    await setMembershipStatus(tx, list, row, 'cancelled', {
      confirm_token_hash: null,
      confirm_expires_at: null,
    });
  });
  return { unsubscribed: true };
}

/** `sf.crm.profileList.checkAccess`: whether the caller's profile holds a running membership. */
export async function checkAccess(
  ctx: Ctx,
  storeId: string,
  listSegment: string,
): Promise<Static<typeof AccessResult>> {
  const list = await listOrThrow(ctx, { storeId, activeOnly: true }, listSegment);
  const current = storefrontProfile(ctx, storeId);
  const row = current ? await findMembership(ctx.db, list.id, current.profileId) : undefined;
  return {
    has_access: Boolean(row && grantsAccess(row.status)),
    membership: row ? toMembership(ctx.config, row) : null,
  };
}
