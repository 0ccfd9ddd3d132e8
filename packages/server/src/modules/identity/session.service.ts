import type { AuthToken } from '@openarky/contract';
import { withTx, type Ctx } from '../../lib/context.ts';
import { sha256 } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { signToken, verifyToken } from './tokens.ts';

/** Opens a session (a refresh-token family) and returns the access/refresh pair. */
export async function issueTokens(
  ctx: Ctx,
  accountId: string,
  opts: { verified: boolean; familyId?: string },
): Promise<AuthToken> {
  const now = ctx.now();
  const sid = newId('tok');
  const { accessTokenTtlSeconds: accessTtl, refreshTokenTtlSeconds: refreshTtl } = ctx.config;
  const access = await signToken(ctx.config, { sub: accountId, sid, typ: 'access' }, now, accessTtl);
  const refresh = await signToken(ctx.config, { sub: accountId, sid, typ: 'refresh' }, now, refreshTtl);
  await ctx.db
    .insertInto('auth_sessions')
    .values({
      id: sid,
      account_id: accountId,
      family_id: opts.familyId ?? sid,
      refresh_hash: sha256(refresh),
      is_verified: opts.verified ? 1 : 0,
      expires_at: now + refreshTtl,
      revoked_at: null,
      rotated_at: null,
      created_at: now,
    })
    .execute();
  return {
    id: sid,
    access_token: access,
    refresh_token: refresh,
    access_expires_at: now + accessTtl,
    refresh_expires_at: now + refreshTtl,
    created_at: now,
    is_verified: opts.verified,
  };
}

const invalidRefresh = () =>
  new AppError('invalid_refresh_token', 'Refresh token is unknown, revoked or expired');

/**
 * Rotates a refresh token. Presenting a token that was already rotated means it leaked: the whole
 * family (every session descending from that login) is revoked.
 */
export async function refreshSession(ctx: Ctx, refreshToken: string): Promise<AuthToken> {
  const now = ctx.now();
  const claims = await verifyToken(ctx.config, refreshToken, 'refresh', now);
  if (!claims) throw invalidRefresh();
  // One phase reads and writes, so a retry after a crash replays its answer instead of seeing its
  // own rotation as a reuse. `null` (a refused token) commits too: a reuse revokes the family.
  const tokens = await withTx(ctx, async (tx): Promise<AuthToken | null> => {
    const session = await tx.db
      .selectFrom('auth_sessions')
      .selectAll()
      .where('id', '=', claims.sid)
      .executeTakeFirst();
    if (!session || session.refresh_hash !== sha256(refreshToken) || session.account_id !== claims.sub)
      return null;
    if (session.rotated_at !== null) {
      await tx.db
        .updateTable('auth_sessions')
        .set({ revoked_at: now })
        .where('family_id', '=', session.family_id)
        .where('revoked_at', 'is', null)
        .execute();
      tx.log.warn(
        { family: session.family_id, account: session.account_id },
        'refresh token reuse: session family revoked',
      );
      return null;
    }
    if (session.revoked_at !== null || session.expires_at <= now) return null;
    // Conditional update: of two concurrent refreshes with one token, only one rotates it.
    const rotated = await tx.db
      .updateTable('auth_sessions')
      .set({ rotated_at: now })
      .where('id', '=', session.id)
      .where('rotated_at', 'is', null)
      .executeTakeFirst();
    if (Number(rotated.numUpdatedRows) !== 1) return null;
    return issueTokens(tx, session.account_id, {
      verified: session.is_verified === 1,
      familyId: session.family_id,
    });
  });
  if (!tokens) throw invalidRefresh();
  return tokens;
}

/** Revokes the session of the access token (and the one named by a refresh token, if given). */
export async function revokeSession(
  ctx: Ctx,
  sessionId: string | null,
  refreshToken?: string,
): Promise<void> {
  const now = ctx.now();
  const ids: string[] = sessionId ? [sessionId] : [];
  if (refreshToken) {
    const claims = await verifyToken(ctx.config, refreshToken, 'refresh', now);
    if (claims) ids.push(claims.sid);
  }
  if (!ids.length) return;
  const families = await ctx.db
    .selectFrom('auth_sessions')
    .select('family_id')
    .where('id', 'in', ids)
    .execute();
  if (!families.length) return;
  await withTx(ctx, async (tx) => {
    await tx.db
      .updateTable('auth_sessions')
      .set({ revoked_at: now })
      .where(
        'family_id',
        'in',
        families.map((f) => f.family_id),
      )
      .where('revoked_at', 'is', null)
      .execute();
  });
}
