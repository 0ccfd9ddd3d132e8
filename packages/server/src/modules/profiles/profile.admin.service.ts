import type { Static } from '@sinclair/typebox';
import type {
  AdminProfile,
  CreateProfileBody,
  FindProfilesQuery,
  PageOf,
  Profile,
  UpdateProfileBody,
} from '@openarky/contract';
import { withTx, type StoreCtx } from '../../lib/context.ts';
import { alreadyExists, notFound, validationError } from '../../lib/errors.ts';
import { toJson } from '../../lib/json.ts';
import { findPage } from '../../lib/pagination.ts';
import { profileCommerce } from '../commerce/index.ts';
import { normalizeEmail } from '../identity/index.ts';
import { mergeProfiles } from './profile.merge.ts';
import { findProfile, insertProfile, profilesWithEmail, toProfile, type ProfileRow } from './profile.repo.ts';

/** Admin customer profiles (CONTRACT §10.6): create, find, read, update, merge, revoke sessions. */

async function profileOrThrow(ctx: StoreCtx, id: string): Promise<ProfileRow> {
  const row = await findProfile(ctx.db, ctx.store.id, id);
  if (!row) throw notFound('profile', `No profile ${id}`);
  return row;
}

/** An active profile of this store other than `exceptId` already holds the email → 409. */
async function assertEmailFree(ctx: StoreCtx, email: string, exceptId?: string): Promise<void> {
  const holders = await profilesWithEmail(ctx.db, ctx.store.id, email);
  if (holders.some((p) => p.id !== exceptId))
    throw alreadyExists('email', `A profile with email ${email} already exists`);
}

export async function createAdminProfile(
  ctx: StoreCtx,
  body: Static<typeof CreateProfileBody>,
): Promise<Profile> {
  const email = normalizeEmail(body.email);
  const row = await withTx(ctx, async (tx) => {
    await assertEmailFree(tx, email);
    return insertProfile(tx, ctx.store.id, { email, taxonomies: body.taxonomies ?? [] });
  });
  return toProfile(ctx.db, row);
}

export async function findAdminProfiles(
  ctx: StoreCtx,
  q: Static<typeof FindProfilesQuery>,
): Promise<PageOf<Profile>> {
  let qb = ctx.db.selectFrom('profiles').selectAll().where('store_id', '=', ctx.store.id);
  if (q.email) qb = qb.where('email', '=', normalizeEmail(q.email));
  if (q.query) qb = qb.where('email', 'like', `%${q.query.trim().toLowerCase()}%`);
  const page = await findPage(qb, q, {
    columns: { created_at: 'created_at', updated_at: 'updated_at', email: 'email' },
  });
  return { ...page, items: await Promise.all(page.items.map((row) => toProfile(ctx.db, row))) };
}

/** The profile with its carts, orders, form submissions and list memberships. */
export async function getAdminProfile(ctx: StoreCtx, id: string): Promise<AdminProfile> {
  const row = await profileOrThrow(ctx, id);
  const { carts, orders } = await profileCommerce(ctx.db, ctx.store.id, row.id);
  const submissions = ctx.modules.extension('profileSubmissions');
  const memberships = ctx.modules.extension('profileMemberships');
  return {
    ...(await toProfile(ctx.db, row)),
    carts,
    orders,
    form_submissions: submissions ? await submissions(ctx, ctx.store.id, row.id) : [],
    memberships: memberships ? await memberships(ctx, ctx.store.id, row.id) : [],
  };
}

async function revokeTokens(ctx: StoreCtx, profileId: string, tokenId?: string): Promise<number> {
  let qb = ctx.db
    .updateTable('profile_tokens')
    .set({ revoked_at: ctx.now() })
    .where('store_id', '=', ctx.store.id)
    .where('profile_id', '=', profileId)
    .where('revoked_at', 'is', null);
  if (tokenId) qb = qb.where('id', '=', tokenId);
  const result = await qb.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Partial update; a new email makes the profile unverified, archiving revokes its sessions. */
export async function updateAdminProfile(
  ctx: StoreCtx,
  id: string,
  body: Static<typeof UpdateProfileBody>,
): Promise<AdminProfile> {
  await withTx(ctx, async (tx) => {
    const row = await profileOrThrow(tx, id);
    const email =
      body.email === undefined ? row.email : body.email === null ? null : normalizeEmail(body.email);
    const status = body.status ?? row.status;
    if (email && status === 'active' && (email !== row.email || row.status !== 'active'))
      await assertEmailFree(tx, email, row.id);
    await tx.db
      .updateTable('profiles')
      .set({
        email,
        verified: email === row.email ? row.verified : 0,
        status,
        taxonomies: body.taxonomies !== undefined ? toJson(body.taxonomies) : row.taxonomies,
        updated_at: tx.now(),
      })
      .where('id', '=', row.id)
      .execute();
    if (status === 'archived' && row.status !== 'archived') await revokeTokens(tx, row.id);
  });
  return getAdminProfile(ctx, id);
}

/**
 * Folds `source_id` into the target: carts, orders, submissions, memberships and promo uses move
 * (through the modules' merge hooks), the source is archived and its sessions revoked. The target
 * takes the source's email when it has none.
 */
export async function mergeAdminProfiles(
  ctx: StoreCtx,
  targetId: string,
  sourceId: string,
): Promise<AdminProfile> {
  if (targetId === sourceId)
    throw validationError({
      field: 'source_id',
      reason: 'same_profile',
      message: 'A profile cannot be merged into itself',
    });
  await withTx(ctx, async (tx) => {
    const target = await profileOrThrow(tx, targetId);
    const source = await findProfile(tx.db, ctx.store.id, sourceId);
    if (!source)
      throw validationError({
        field: 'source_id',
        reason: 'not_found',
        message: `No profile ${sourceId} in this store`,
      });
    if (target.status !== 'active')
      throw validationError({ field: 'id', reason: 'archived', message: 'The target profile is archived' });
    await mergeProfiles(tx, source, target);
    if (!target.email && source.email) {
      await tx.db
        .updateTable('profiles')
        .set({ email: source.email, verified: source.verified, updated_at: tx.now() })
        .where('id', '=', target.id)
        .execute();
    }
  });
  return getAdminProfile(ctx, targetId);
}

export async function revokeProfileSessions(
  ctx: StoreCtx,
  id: string,
  tokenId?: string,
): Promise<{ deleted: true; revoked: number }> {
  const row = await profileOrThrow(ctx, id);
  const revoked = await withTx(ctx, (tx) => revokeTokens(tx, row.id, tokenId));
  if (tokenId && revoked === 0) throw notFound('session', `No active session ${tokenId} of this profile`);
  return { deleted: true, revoked };
}
