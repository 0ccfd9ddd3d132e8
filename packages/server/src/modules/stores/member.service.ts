import type { Role } from '@openarky/contract';
import { withTx, type StoreCtx } from '../../lib/context.ts';
import { inUse, notFound } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { findAccountByEmail, insertAccount, normalizeEmail } from '../identity/index.ts';
import { deleteMembership, findMembership, lockedOwnerIds, putMembership, requireRole } from '../tenancy/index.ts';

/** The store's owners, locked so two concurrent demotions cannot both pass the check. */
const lockedOwners = (ctx: StoreCtx) => lockedOwnerIds(ctx.db, ctx.store.id);

/** The role needed to grant or take away `role` (CONTRACT §1.7). */
function requiredFor(role: Role): Role {
  return role === 'super' ? 'super' : role === 'owner' ? 'owner' : 'admin';
}

/** Adds a member at once, creating the account if the email is unknown; re-adding changes the role. */
export async function addMember(ctx: StoreCtx, input: { email: string; role?: Role | undefined }): Promise<void> {
  const role = input.role ?? 'admin';
  requireRole(ctx, requiredFor(role), `granting ${role}`);
  const email = normalizeEmail(input.email);
  await withTx(ctx, async (tx) => {
    const now = ctx.now();
    let account = await findAccountByEmail(tx.db, email);
    if (!account) {
      const id = newId('acc');
      await insertAccount(tx.db, { id, email, password_hash: null, provider: 'EMAIL', confirmed: 0, created_at: now });
      account = (await findAccountByEmail(tx.db, email))!;
    }
    const existing = await findMembership(tx.db, ctx.store.id, account.id);
    if (existing) {
      if (existing.role === role) return;
      requireRole(ctx, requiredFor(existing.role), `changing a ${existing.role}'s role`);
      if (existing.role === 'owner') {
        const owners = await lockedOwners(tx);
        if (owners.length <= 1) throw inUse('last_owner', 'The store must keep at least one owner');
      }
    }
    await putMembership(tx.db, { store_id: ctx.store.id, account_id: account.id, role, joined_at: existing?.joined_at ?? now }, Boolean(existing));
    await emit(tx, 'account.updated', { id: account.id, email: account.email, store_id: ctx.store.id, role, action: existing ? 'role_changed' : 'added' }, ctx.store.id);
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
    requireRole(ctx, requiredFor(member.role), `removing a ${member.role}`);
    if (member.role === 'owner') {
      const owners = await lockedOwners(tx);
      if (owners.length <= 1) throw inUse('last_owner', 'The last owner cannot be removed');
    }
    await deleteMembership(tx.db, ctx.store.id, accountId);
    await emit(tx, 'account.updated', { id: accountId, email: member.email, store_id: ctx.store.id, role: member.role, action: 'removed' }, ctx.store.id);
  });
}
