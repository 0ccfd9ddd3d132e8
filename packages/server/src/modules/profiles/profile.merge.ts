import type { Ctx } from '../../lib/context.ts';
import { movePromoUses } from '../commerce/index.ts';
import type { ProfileRow } from './profile.repo.ts';

/**
 * Folds `from` into `into` (same store): promo uses add up (a per-customer limit cannot be dodged
 * with a fresh guest), every installed manifest's `onProfileMerge` moves its records (commerce:
 * carts and orders), and `from` is archived with its
 * tokens revoked. Runs in the caller's transaction.
 */
export async function mergeProfiles(tx: Ctx, from: ProfileRow, into: ProfileRow): Promise<void> {
  const now = tx.now();
  await movePromoUses(tx.db, from.id, into.id);
  await tx.db.updateTable('profiles').set({ updated_at: now }).where('id', '=', into.id).execute();
  await tx.modules.mergeProfiles(tx, {
    storeId: into.store_id,
    fromProfileId: from.id,
    intoProfileId: into.id,
  });
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
