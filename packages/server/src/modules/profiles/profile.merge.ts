import type { Ctx } from '../../lib/context.ts';
import { movePromoUses } from '../commerce/index.ts';
import type { ProfileRow } from './profile.repo.ts';

/** What a module moves when one profile is folded into another (e.g. commerce: carts and orders). */
export type ProfileMergeHook = (
  tx: Ctx,
  merge: { storeId: string; fromProfileId: string; intoProfileId: string },
) => Promise<void>;

const hooks: ProfileMergeHook[] = [];

/** Registers a hook run inside the merge transaction (from a module's index.ts). */
export function onProfileMerge(hook: ProfileMergeHook): void {
  hooks.push(hook);
}

/**
 * Folds `from` into `into` (same store): promo uses add up (a per-customer limit cannot be dodged
 * with a fresh guest), registered modules move their records, and `from` is archived with its
 * tokens revoked. Runs in the caller's transaction.
 */
export async function mergeProfiles(tx: Ctx, from: ProfileRow, into: ProfileRow): Promise<void> {
  const now = tx.now();
  await movePromoUses(tx.db, from.id, into.id);
  await tx.db.updateTable('profiles').set({ updated_at: now }).where('id', '=', into.id).execute();
  for (const hook of hooks)
    await hook(tx, { storeId: into.store_id, fromProfileId: from.id, intoProfileId: into.id });
  await tx.db
    .updateTable('profiles')
    .set({ status: 'archived', updated_at: now })
    .where('id', '=', from.id)
    .execute();
  await tx.db
    .updateTable('profile_tokens')
    .set({ revoked_at: now })
    .where('profile_id', '=', from.id)
    .where('revoked_at', 'is', null)
    .execute();
}
