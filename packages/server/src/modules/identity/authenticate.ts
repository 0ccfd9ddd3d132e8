import type { FastifyRequest } from 'fastify';
import { untracked, type Principal } from '../../lib/context.ts';
import { sha256 } from '../../lib/crypto.ts';
import { verifyToken } from './tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when a credential was presented but is not valid (expired, revoked, unknown). */
    authFailure?: string;
  }
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * Resolves the caller from `X-API-Key` or `Authorization: Bearer` (CONTRACT §1.6): `ak_` API key,
 * `pt_` profile token, anything else an access JWT whose session must not be revoked. An invalid
 * credential leaves the caller anonymous with `authFailure` set; routes that need a principal
 * answer 401.
 */
export async function authenticate(request: FastifyRequest): Promise<Principal> {
  const ctx = request.ctx;
  const now = ctx.now();
  const apiKeyHeader = request.headers['x-api-key'];
  const token = typeof apiKeyHeader === 'string' && apiKeyHeader ? apiKeyHeader.trim() : bearer(request);
  if (!token) return { kind: 'anonymous' };

  if (token.startsWith('ak_')) {
    const row = await ctx.db
      .selectFrom('api_keys')
      .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
      .select([
        'api_keys.id',
        'api_keys.account_id',
        'api_keys.expires_at',
        'api_keys.revoked_at',
        'api_keys.last_used_at',
        'accounts.email',
        'accounts.platform_super',
      ])
      .where('api_keys.key_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) {
      request.authFailure = 'API key is unknown, revoked or expired';
      return { kind: 'anonymous' };
    }
    // last_used_at at minute resolution: one write per key per minute, not per request. Idempotent
    // bookkeeping, not part of any request's result (and made before a key is claimed anyway).
    if (row.last_used_at === null || now - row.last_used_at >= 60) {
      await untracked(ctx)
        .updateTable('api_keys')
        .set({ last_used_at: now })
        .where('id', '=', row.id)
        .execute();
    }
    return {
      kind: 'account',
      accountId: row.account_id,
      email: row.email,
      tokenId: row.id,
      via: 'api_key',
      superAdmin: row.platform_super === 1 || ctx.config.platformSuperAdmins.includes(row.email),
    };
  }

  if (token.startsWith('pt_')) {
    const row = await ctx.db
      .selectFrom('profile_tokens')
      .innerJoin('profiles', 'profiles.id', 'profile_tokens.profile_id')
      .select([
        'profile_tokens.id',
        'profile_tokens.profile_id',
        'profile_tokens.store_id',
        'profile_tokens.revoked_at',
        'profiles.status',
      ])
      .where('profile_tokens.token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || row.status !== 'active') {
      request.authFailure = 'Profile token is unknown or revoked';
      return { kind: 'anonymous' };
    }
    return { kind: 'profile', profileId: row.profile_id, storeId: row.store_id, tokenId: row.id };
  }

  const claims = await verifyToken(ctx.config, token, 'access', now);
  if (!claims) {
    request.authFailure = 'Access token is invalid or expired';
    return { kind: 'anonymous' };
  }
  const session = await ctx.db
    .selectFrom('auth_sessions')
    .innerJoin('accounts', 'accounts.id', 'auth_sessions.account_id')
    .select(['auth_sessions.revoked_at', 'accounts.email', 'accounts.platform_super'])
    .where('auth_sessions.id', '=', claims.sid)
    .where('auth_sessions.account_id', '=', claims.sub)
    .executeTakeFirst();
  if (!session || session.revoked_at !== null) {
    request.authFailure = 'Session was revoked';
    return { kind: 'anonymous' };
  }
  return {
    kind: 'account',
    accountId: claims.sub,
    email: session.email,
    tokenId: claims.sid,
    via: 'jwt',
    superAdmin: session.platform_super === 1 || ctx.config.platformSuperAdmins.includes(session.email),
  };
}
