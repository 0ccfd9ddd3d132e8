import type { Profile, ProfileToken } from '@openarky/contract';
import type { Ctx, Db } from '../../lib/context.ts';
import { newSecretToken, sha256 } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { fromJson } from '../../lib/json.ts';
import type { ProfileTable } from './profile.table.ts';

export type ProfileRow = ProfileTable;

export async function findProfile(db: Db, storeId: string, id: string): Promise<ProfileRow | undefined> {
  return db
    .selectFrom('profiles')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Active profiles of a store holding an email, verified first, then oldest first. */
export async function profilesWithEmail(db: Db, storeId: string, email: string): Promise<ProfileRow[]> {
  return db
    .selectFrom('profiles')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('email', '=', email)
    .where('status', '=', 'active')
    .orderBy('verified', 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function insertProfile(
  ctx: Ctx,
  storeId: string,
  fields: { email?: string | null; market?: string | null } = {},
): Promise<ProfileRow> {
  const now = ctx.now();
  const row: ProfileRow = {
    id: newId('prof'),
    store_id: storeId,
    email: fields.email ?? null,
    verified: 0,
    status: 'active',
    market: fields.market ?? null,
    promo_usage: '[]',
    taxonomies: '[]',
    created_at: now,
    updated_at: now,
  };
  await ctx.db.insertInto('profiles').values(row).execute();
  return row;
}

/** A new `pt_` token; only its SHA-256 is stored. */
export async function issueProfileToken(ctx: Ctx, storeId: string, profileId: string): Promise<ProfileToken> {
  const token = newSecretToken('pt');
  const row = {
    id: newId('tok'),
    store_id: storeId,
    profile_id: profileId,
    token_hash: sha256(token),
    revoked_at: null,
    created_at: ctx.now(),
  };
  await ctx.db.insertInto('profile_tokens').values(row).execute();
  return { id: row.id, token, created_at: row.created_at };
}

/** Row → wire Profile; lists live token ids only, never values or codes (CONTRACT §11.1). */
export async function toProfile(db: Db, row: ProfileRow): Promise<Profile> {
  const tokens = await db
    .selectFrom('profile_tokens')
    .select(['id', 'created_at'])
    .where('profile_id', '=', row.id)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return {
    id: row.id,
    store_id: row.store_id,
    email: row.email,
    verified: row.verified === 1,
    status: row.status,
    promo_usage: fromJson(row.promo_usage, []),
    taxonomies: fromJson(row.taxonomies, []),
    auth_tokens: tokens,
    verification_codes: [],
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
