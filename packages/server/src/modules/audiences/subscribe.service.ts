import type { Static } from '@sinclair/typebox';
import type { AccessResult, Membership, ListSubscribeBody } from '@openarky/contract';
import { withTx, type Ctx } from '../../lib/context.ts';
import { forbidden, unauthenticated, validationError } from '../../lib/errors.ts';
import { enqueueTemplatedEmail } from '../emails/index.ts';
import { hitRateLimit, normalizeEmail } from '../identity/index.ts';
import { findProfile, storefrontProfile } from '../profiles/index.ts';
import type { ProfileListMemberTable, ProfileListTable } from './audiences.table.ts';
import { grantsAccess, isEnded } from './list.rules.ts';
import { findMembership, toMembership } from './list.repo.ts';
import { listOrThrow } from './list.service.ts';
import {
  emitSubscriberAdded,
  listType,
  newMembership,
  setMembershipStatus,
  unsubscribeHeaders,
} from './membership.ts';
import { syncPaidSubscription } from './paid.cancel.ts';
import { openCheckout, paidPlan, pendingPayment, type PaidPlan } from './paid.checkout.ts';
import { hashConfirmToken, newConfirmToken, verifyUnsubscribeToken, withToken } from './tokens.ts';

/** A double opt-in link is valid this long. */
const CONFIRM_TTL = 7 * 86400;
/** Confirmation emails per profile per hour (a form cannot be used to mail-bomb an address). */
const CONFIRM_EMAILS_PER_HOUR = 5;

// Storefront.

function callerProfile(ctx: Ctx, storeId: string, authFailure?: string) {
  const current = storefrontProfile(ctx, storeId);
  if (!current)
    throw unauthenticated(authFailure ?? 'A profile token of this store is required (sf.identify)');
  return current;
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
  const plan = type.type === 'paid' ? await paidPlan(ctx, storeId, type, body) : null;

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
    const done = { previous: existing ?? null, email: profile.email };
    if (existing && grantsAccess(existing.status)) return { ...done, row: existing };
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
        // A paid cycle starts without the previous subscription.
        plan_id: null,
        payment: null,
        provider_ref: null,
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
      return { ...done, row };
    }
    return { ...done, row };
  });
  const checkoutUrl =
    plan && result.row.status === 'pending' ? await startPaid(ctx, plan, list, result) : null;
  const fresh = (await findMembership(ctx.db, list.id, profileId)) ?? result.row;
  return { checkout_url: checkoutUrl, membership: toMembership(ctx.config, fresh) };
}

/**
 * The Stripe step of a paid subscription, after the pending membership committed (no Stripe call
 * holds a transaction open). If Stripe fails, the membership goes back to what it was (a new one
 * is deleted) and the caller gets 502 `provider_error`: nothing is left behind.
 */
async function startPaid(
  ctx: Ctx,
  plan: PaidPlan,
  list: ProfileListTable,
  pending: { row: ProfileListMemberTable; previous: ProfileListMemberTable | null; email: string | null },
): Promise<string> {
  const { row, previous } = pending;
  let session: { id: string; url: string };
  try {
    session = await openCheckout(ctx, plan, list, row, pending.email);
  } catch (error) {
    await withTx(ctx, async (tx) => {
      if (previous)
        await tx.db.updateTable('profile_list_members').set(previous).where('id', '=', row.id).execute();
      else
        await tx.db
          .deleteFrom('profile_list_members')
          .where('id', '=', row.id)
          .where('status', '=', 'pending')
          .execute();
    });
    throw error;
  }
  await withTx(ctx, async (tx) => {
    // Only while still pending: a webhook that already moved the membership wins.
    await tx.db
      .updateTable('profile_list_members')
      .set({ payment: pendingPayment(plan, session.id), plan_id: plan.price.id, updated_at: tx.now() })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .execute();
  });
  return session.url;
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

/**
 * One-click unsubscribe with the signed token of a list email; answers the same when repeated.
 * A paid membership with a Stripe subscription goes to `cancellation_scheduled` (access until the
 * period end, which the cancellation job records as `end_date`); any other ends at once.
 */
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
    // A paid membership already scheduled to end was unsubscribed before (or in Stripe's portal).
    if (isEnded(row.status) || row.status === 'cancellation_scheduled') return;
    const list = (await tx.db
      .selectFrom('profile_lists')
      .selectAll()
      .where('id', '=', row.profile_list_id)
      .executeTakeFirst())!;
    // A paying member keeps what the period paid for: the subscription ends at period end.
    const to = row.provider_ref && row.status === 'active' ? 'cancellation_scheduled' : 'cancelled';
    await setMembershipStatus(tx, list, row, to, {
      confirm_token_hash: null,
      confirm_expires_at: null,
      ...(await syncPaidSubscription(tx, row, to)),
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
