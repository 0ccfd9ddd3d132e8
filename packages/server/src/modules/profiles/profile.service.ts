import type { Static } from '@sinclair/typebox';
import type {
  IdentifyBody,
  IdentifyResult,
  ProfileMe,
  ProfileToken,
  ProfileVerifyBody,
} from '@openarky/contract';
import { withTx, type Ctx } from '../../lib/context.ts';
import { unauthenticated, validationError } from '../../lib/errors.ts';
import {
  consumeEmailCode,
  hitRateLimit,
  invalidCode,
  limitCodeVerification,
  normalizeEmail,
  sendEmailCode,
} from '../identity/index.ts';
import { findMarket } from '../markets/index.ts';
import type { StoreTable } from '../tenancy/index.ts';
import { toStorefrontStore } from '../stores/index.ts';
import { mergeProfiles } from './profile.merge.ts';
import { profileCommerce } from '../commerce/index.ts';
import {
  findProfile,
  insertProfile,
  issueProfileToken,
  profilesWithEmail,
  toProfile,
  type ProfileRow,
} from './profile.repo.ts';

/** New guest profiles per IP per 10 minutes (storefront servers should set TRUST_PROXY). */
const GUESTS_PER_IP = 600;

/** The caller's profile on this store; a token of another store counts as no token. */
export function storefrontProfile(ctx: Ctx, storeId: string): { profileId: string; tokenId: string } | null {
  const p = ctx.principal;
  return p.kind === 'profile' && p.storeId === storeId
    ? { profileId: p.profileId, tokenId: p.tokenId }
    : null;
}

function requireProfile(ctx: Ctx, storeId: string, authFailure?: string) {
  const current = storefrontProfile(ctx, storeId);
  if (!current) throw unauthenticated(authFailure ?? 'A profile token of this store is required');
  return current;
}

/** Records an email on a profile; a different email than the verified one makes it unverified. */
async function recordEmail(tx: Ctx, profile: ProfileRow, email: string): Promise<void> {
  if (profile.email === email) return;
  await tx.db
    .updateTable('profiles')
    .set({ email, verified: 0, updated_at: tx.now() })
    .where('id', '=', profile.id)
    .execute();
}

export interface IdentifyInput {
  body: Static<typeof IdentifyBody>;
  /** The `pt_` token the request carried, returned as is when it is valid for this store. */
  presentedToken: string | null;
  ip: string;
}

/**
 * `sf.identify` (CONTRACT §3): without a valid token of this store a guest profile and its token
 * are created; with one, the same profile and the same token come back (no token churn on every
 * page load). `market` is remembered; `email` is recorded, and with `verify` a code is emailed.
 */
export async function identify(ctx: Ctx, store: StoreTable, input: IdentifyInput): Promise<IdentifyResult> {
  const storeId = store.id;
  const { body } = input;
  const market = body.market ? await findMarket(ctx.db, storeId, body.market) : undefined;
  if (body.market && !market)
    throw validationError({
      field: 'market',
      reason: 'not_found',
      message: `No market ${body.market} in this store`,
    });
  const email = body.email ? normalizeEmail(body.email) : null;
  if (body.verify && !email)
    throw validationError({ field: 'email', reason: 'required', message: 'verify needs an email' });
  const current = input.presentedToken ? storefrontProfile(ctx, storeId) : null;

  const { profileId, token } = await withTx(ctx, async (tx) => {
    let profile: ProfileRow;
    let token: ProfileToken;
    const existing = current ? await findProfile(tx.db, storeId, current.profileId) : undefined;
    if (current && existing && input.presentedToken) {
      profile = existing;
      const row = await tx.db
        .selectFrom('profile_tokens')
        .select('created_at')
        .where('id', '=', current.tokenId)
        .executeTakeFirstOrThrow();
      token = { id: current.tokenId, token: input.presentedToken, created_at: row.created_at };
    } else {
      await hitRateLimit(tx.db, tx.now(), `identify:ip:${input.ip}`, GUESTS_PER_IP, 600);
      profile = await insertProfile(tx, storeId);
      token = await issueProfileToken(tx, storeId, profile.id);
    }
    if (market && profile.market !== market.key) {
      await tx.db
        .updateTable('profiles')
        .set({ market: market.key, updated_at: tx.now() })
        .where('id', '=', profile.id)
        .execute();
    }
    if (email) await recordEmail(tx, profile, email);
    if (email && body.verify) await sendEmailCode(tx, { email, purpose: 'profile', storeId, ip: input.ip });
    return { profileId: profile.id, token };
  });

  const profile = (await findProfile(ctx.db, storeId, profileId))!;
  const chosen = market ?? (profile.market ? await findMarket(ctx.db, storeId, profile.market) : undefined);
  return {
    profile: await toProfile(ctx.db, profile),
    token,
    store: await toStorefrontStore(ctx.db, store),
    market: chosen ?? null,
    code_sent: Boolean(email && body.verify),
  };
}

/**
 * `sf.verify`: a correct code proves the email. The store's profile already holding that email
 * (verified first, then oldest) survives and the caller's profile is merged into it; otherwise the
 * caller's profile (or a new one) takes the email. The caller's token is replaced by a fresh one,
 * and a profile that was unverified loses every older token, so a token planted before the
 * verification (session fixation) does not gain the verified profile.
 */
export async function verifyProfile(
  ctx: Ctx,
  storeId: string,
  body: Static<typeof ProfileVerifyBody>,
  ip: string,
): Promise<ProfileToken> {
  await limitCodeVerification(ctx, ip);
  const current = storefrontProfile(ctx, storeId);
  const currentRow = current ? await findProfile(ctx.db, storeId, current.profileId) : undefined;
  const email = body.email ? normalizeEmail(body.email) : currentRow?.email;
  if (!email)
    throw validationError({
      field: 'email',
      reason: 'required',
      message: 'No email to verify: identify with an email first, or send it',
    });

  const token = await withTx(ctx, async (tx) => {
    if (!(await consumeEmailCode(tx, { email, code: body.code, purpose: 'profile', storeId }))) return null;
    const now = tx.now();
    const holders = await profilesWithEmail(tx.db, storeId, email);
    const survivor = holders[0] ?? currentRow ?? (await insertProfile(tx, storeId, { email }));
    if (currentRow && currentRow.id !== survivor.id) await mergeProfiles(tx, currentRow, survivor);
    let revoke = tx.db
      .updateTable('profile_tokens')
      .set({ revoked_at: now })
      .where('profile_id', '=', survivor.id)
      .where('revoked_at', 'is', null);
    if (survivor.verified === 1) revoke = revoke.where('id', '=', current?.tokenId ?? '');
    await revoke.execute();
    await tx.db
      .updateTable('profiles')
      .set({ email, verified: 1, updated_at: now })
      .where('id', '=', survivor.id)
      .execute();
    return issueProfileToken(tx, storeId, survivor.id);
  });
  if (!token) throw invalidCode();
  return token;
}

/** `sf.logout`: revokes the presented token (answers the same without one). */
export async function logoutProfile(ctx: Ctx, storeId: string): Promise<{ logged_out: true }> {
  const current = storefrontProfile(ctx, storeId);
  if (current) {
    await withTx(ctx, async (tx) => {
      await tx.db
        .updateTable('profile_tokens')
        .set({ revoked_at: tx.now() })
        .where('id', '=', current.tokenId)
        .where('revoked_at', 'is', null)
        .execute();
    });
  }
  return { logged_out: true };
}

/** `sf.me`: the caller's profile with its carts and orders. */
export async function getProfileMe(ctx: Ctx, storeId: string, authFailure?: string): Promise<ProfileMe> {
  const { profileId } = requireProfile(ctx, storeId, authFailure);
  const row = await findProfile(ctx.db, storeId, profileId);
  if (!row) throw unauthenticated();
  const { carts, orders } = await profileCommerce(ctx.db, storeId, profileId);
  const submissions = ctx.modules.extension('profileSubmissions');
  return {
    profile: await toProfile(ctx.db, row),
    carts,
    orders,
    form_submissions: submissions ? await submissions(ctx, storeId, profileId) : [],
  };
}
