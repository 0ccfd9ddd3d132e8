import { withTx, type StoreCtx } from '../../lib/context.ts';
import { AppError, inUse, notFound, validationError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { findAccountByEmail, insertAccount, normalizeEmail } from '../identity/index.ts';
import {
  deleteMembership,
  findMembership,
  includesAll,
  isBuiltInRole,
  lockedOwnerIds,
  permissionStrings,
  putMembership,
  requireRole,
  rolePermissions,
} from '../tenancy/index.ts';

/** The store's owners, locked so two concurrent demotions cannot both pass the check. */
const lockedOwners = (ctx: StoreCtx) => lockedOwnerIds(ctx.db, ctx.store.id);

/**
 * A caller grants or takes away only roles whose permissions it holds itself; owner needs owner
 * (or super), super needs super (CONTRACT §1.7 v1.1).
 */
async function requireGrant(ctx: StoreCtx, role: string, what: string): Promise<void> {
  if (role === 'super') requireRole(ctx, 'super', what);
  if (role === 'owner') requireRole(ctx, 'owner', what);
  const granted = await rolePermissions(ctx.db, ctx.store.id, role);
  if (!includesAll(ctx.store.permissions, granted, ctx.store.id)) {
    throw new AppError(
      'forbidden',
      `Your role cannot perform ${what}: it does not hold every permission of ${role}`,
      {
        required: permissionStrings(granted, ctx.store.id).join(' '),
      },
    );
  }
}

/** A built-in role (any case) or a custom role of this store; 400 on field `role` otherwise. */
async function checkRole(ctx: StoreCtx, input: string): Promise<string> {
  const role = input.startsWith('role_') ? input : input.toLowerCase();
  if (isBuiltInRole(role)) return role;
  const custom = await ctx.db
    .selectFrom('roles')
    .select('id')
    .where('store_id', '=', ctx.store.id)
    .where('id', '=', role)
    .executeTakeFirst();
  if (!custom)
    throw validationError({
      field: 'role',
      reason: 'invalid_value',
      message: `${input} is neither a built-in role nor a role of this store`,
    });
  return role;
}

/** Adds a member at once, creating the account if the email is unknown; re-adding changes the role. */
export async function addMember(
  ctx: StoreCtx,
  input: { email: string; role?: string | undefined },
): Promise<void> {
  const role = await checkRole(ctx, input.role ?? 'admin');
  await requireGrant(ctx, role, `granting ${role}`);
  const email = normalizeEmail(input.email);
  await withTx(ctx, async (tx) => {
    const now = ctx.now();
    let account = await findAccountByEmail(tx.db, email);
    if (!account) {
      const id = newId('acc');
      await insertAccount(tx.db, {
        id,
        email,
        password_hash: null,
        provider: 'EMAIL',
        confirmed: 0,
        created_at: now,
      });
      account = (await findAccountByEmail(tx.db, email))!;
    }
    const existing = await findMembership(tx.db, ctx.store.id, account.id);
    if (existing) {
      if (existing.role === role) return;
      await requireGrant(ctx, existing.role, `changing a ${existing.role}'s role`);
      if (existing.role === 'owner') {
        const owners = await lockedOwners(tx);
        if (owners.length <= 1) throw inUse('last_owner', 'The store must keep at least one owner');
      }
    }
    await putMembership(
      tx.db,
      { store_id: ctx.store.id, account_id: account.id, role, joined_at: existing?.joined_at ?? now },
      Boolean(existing),
    );
    await emit(
      tx,
      'account.updated',
      {
        id: account.id,
        email: account.email,
        store_id: ctx.store.id,
        role,
        action: existing ? 'role_changed' : 'added',
      },
      ctx.store.id,
    );
  });
}

export async function removeMember(ctx: StoreCtx, accountId: string): Promise<void> {
  await withTx(ctx, async (tx) => {
    const member = await tx.db
      .selectFrom('memberships')
      .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
      .select(['memberships.role', 'accounts.email'])
      .where('memberships.store_id', '=', ctx.store.id)
      .where('memberships.account_id', '=', accountId)
      .executeTakeFirst();
    if (!member) throw notFound('member', `Account ${accountId} is not a member of this store`);
    await requireGrant(ctx, member.role, `removing a ${member.role}`);
    if (member.role === 'owner') {
      const owners = await lockedOwners(tx);
      if (owners.length <= 1) throw inUse('last_owner', 'The last owner cannot be removed');
    }
    await deleteMembership(tx.db, ctx.store.id, accountId);
    await emit(
      tx,
      'account.updated',
      { id: accountId, email: member.email, store_id: ctx.store.id, role: member.role, action: 'removed' },
      ctx.store.id,
    );
  });
}
