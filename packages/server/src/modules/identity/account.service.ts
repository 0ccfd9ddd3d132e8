import type { Static } from '@sinclair/typebox';
import type {
  Account,
  AccountToken,
  PageOf,
  SearchAccountsQuery,
  UpdateAccountBody,
} from '@openarky/contract';
import { withTx, type Ctx } from '../../lib/context.ts';
import { newSecretToken, sha256 } from '../../lib/crypto.ts';
import { inUse, notFound, validationError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';
import { paginate } from '../../lib/pagination.ts';
import { membershipPermissions, requireAccount, resolveStoreAccess } from '../tenancy/index.ts';
import { findAccountById } from './account.repo.ts';
import { toAccount, toAccountToken } from './account.mapper.ts';

async function loadAccount(ctx: Ctx, accountId: string): Promise<Account> {
  const row = await findAccountById(ctx.db, accountId);
  if (!row) throw notFound('account');
  const memberships = await ctx.db
    .selectFrom('memberships')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('joined_at')
    .execute();
  const keys = await ctx.db
    .selectFrom('api_keys')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return toAccount(row, memberships, keys, await membershipPermissions(ctx.db, memberships));
}

export async function getMe(ctx: Ctx, authFailure?: string): Promise<Account> {
  return loadAccount(ctx, requireAccount(ctx, authFailure).accountId);
}

/**
 * Updates profile fields; `api_tokens` is the complete desired list of API keys (CONTRACT §3):
 * entries without id are created (their value is returned once), listed ids are kept (renamed),
 * unlisted keys are revoked at once.
 */
export async function updateAccount(ctx: Ctx, input: Static<typeof UpdateAccountBody>, authFailure?: string) {
  const { accountId } = requireAccount(ctx, authFailure);
  return withTx(ctx, async (tx) => {
    const now = ctx.now();
    const created: AccountToken[] = [];
    await tx.db
      .updateTable('accounts')
      .set({
        ...(input.first_name !== undefined ? { first_name: input.first_name } : {}),
        ...(input.last_name !== undefined ? { last_name: input.last_name } : {}),
        ...(input.phone !== undefined ? { phone: input.phone } : {}),
        ...(input.avatar !== undefined ? { avatar: input.avatar } : {}),
        ...(input.phone_numbers !== undefined ? { phone_numbers: toJson(input.phone_numbers) } : {}),
        ...(input.addresses !== undefined ? { addresses: toJson(input.addresses) } : {}),
        updated_at: now,
      })
      .where('id', '=', accountId)
      .execute();

    if (input.api_tokens) {
      const existing = await tx.db
        .selectFrom('api_keys')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .execute();
      const known = new Map(existing.map((k) => [k.id, k]));
      const keep = new Set<string>();
      for (const [i, entry] of input.api_tokens.entries()) {
        if (entry.expires_at != null && entry.expires_at <= now) {
          throw validationError({
            field: `api_tokens.${i}.expires_at`,
            reason: 'in_past',
            message: 'expires_at must be in the future',
          });
        }
        if (entry.id) {
          if (!known.has(entry.id))
            throw validationError({
              field: `api_tokens.${i}.id`,
              reason: 'not_found',
              message: `No API key ${entry.id}`,
            });
          keep.add(entry.id);
          if (entry.name !== undefined)
            await tx.db
              .updateTable('api_keys')
              .set({ name: entry.name })
              .where('id', '=', entry.id)
              .execute();
          continue;
        }
        const value = newSecretToken('ak');
        const row = {
          id: newId('tok'),
          account_id: accountId,
          name: entry.name ?? null,
          key_hash: sha256(value),
          expires_at: entry.expires_at ?? null,
          last_used_at: null,
          revoked_at: null,
          created_at: now,
        };
        await tx.db.insertInto('api_keys').values(row).execute();
        keep.add(row.id);
        created.push(toAccountToken(row, value));
      }
      const revoke = existing.filter((k) => !keep.has(k.id)).map((k) => k.id);
      if (revoke.length)
        await tx.db.updateTable('api_keys').set({ revoked_at: now }).where('id', 'in', revoke).execute();
    }
    return { success: true as const, newly_created_tokens: created };
  });
}

/** Deletes the caller's account; refused while it is the last owner of a store. */
export async function deleteAccount(ctx: Ctx, authFailure?: string): Promise<void> {
  const { accountId } = requireAccount(ctx, authFailure);
  await withTx(ctx, async (tx) => {
    const owned = await tx.db
      .selectFrom('memberships')
      .select('store_id')
      .where('account_id', '=', accountId)
      .where('role', '=', 'owner')
      .execute();
    for (const { store_id } of owned) {
      const owners = await tx.db
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('store_id', '=', store_id)
        .where('role', '=', 'owner')
        .executeTakeFirstOrThrow();
      if (Number(owners.n) <= 1)
        throw inUse('last_owner', `This account is the last owner of store ${store_id}`);
    }
    const memberships = await tx.db
      .selectFrom('memberships')
      .select('store_id')
      .where('account_id', '=', accountId)
      .execute();
    for (const { store_id } of memberships) {
      await emit(tx, 'account.updated', { id: accountId, store_id, action: 'removed' }, store_id);
    }
    await tx.db.deleteFrom('accounts').where('id', '=', accountId).execute();
  });
}

/** The members of a store the caller belongs to. */
export async function searchAccounts(
  ctx: Ctx,
  q: Static<typeof SearchAccountsQuery>,
  authFailure?: string,
): Promise<PageOf<Account>> {
  const scoped = await resolveStoreAccess(ctx, q.store_id, authFailure);
  let qb = ctx.db
    .selectFrom('accounts')
    .innerJoin('memberships', 'memberships.account_id', 'accounts.id')
    .selectAll('accounts')
    .where('memberships.store_id', '=', scoped.store.id);
  if (q.query) {
    const like = `%${q.query.toLowerCase()}%`;
    qb = qb.where((eb) =>
      eb.or([
        eb('accounts.email', 'like', like),
        eb(eb.fn('lower', ['accounts.first_name']), 'like', like),
        eb(eb.fn('lower', ['accounts.last_name']), 'like', like),
      ]),
    );
  }
  const page = await paginate(qb, q, {
    columns: { created_at: 'accounts.created_at', email: 'accounts.email' },
  });
  // One query for the page's memberships; API keys are listed only for the caller's own account.
  const ids = page.items.map((row) => row.id);
  const memberships = ids.length
    ? await ctx.db
        .selectFrom('memberships')
        .selectAll()
        .where('account_id', 'in', ids)
        .orderBy('joined_at')
        .execute()
    : [];
  const self = ctx.principal.kind === 'account' ? ctx.principal.accountId : null;
  const ownKeys =
    self && ids.includes(self)
      ? await ctx.db
          .selectFrom('api_keys')
          .selectAll()
          .where('account_id', '=', self)
          .where('revoked_at', 'is', null)
          .orderBy('created_at')
          .execute()
      : [];
  const items: Account[] = [];
  for (const row of page.items) {
    // Another member's other stores are none of the caller's business.
    const visible = memberships.filter(
      (m) => m.account_id === row.id && (row.id === self || m.store_id === scoped.store.id),
    );
    items.push(
      toAccount(row, visible, row.id === self ? ownKeys : [], await membershipPermissions(ctx.db, visible)),
    );
  }
  return { ...page, items };
}
