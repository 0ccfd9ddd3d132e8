import type { Ctx } from '../../lib/context.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import type { ProfileRow } from './profile.repo.ts';

type PromoUse = { promo_code_id: string; uses: number };

/**
 * Folds `from` into `into` (same store): promo uses add up (a per-customer limit cannot be dodged
 * with a fresh guest), every installed manifest's `onProfileMerge` moves its records (commerce:
 * carts and orders), and `from` is archived with its
 * tokens revoked. Runs in the caller's transaction.
 */
export async function mergeProfiles(tx: Ctx, from: ProfileRow, into: ProfileRow): Promise<void> {
  const now = tx.now();
  const uses = new Map<string, number>();
  for (const u of [
    ...fromJson<PromoUse[]>(into.promo_usage, []),
    ...fromJson<PromoUse[]>(from.promo_usage, []),
  ]) {
    uses.set(u.promo_code_id, (uses.get(u.promo_code_id) ?? 0) + u.uses);
  }
  const promo = [...uses].map(([promo_code_id, n]) => ({ promo_code_id, uses: n }));
  await tx.db
    .updateTable('profiles')
    .set({ promo_usage: toJson(promo), updated_at: now })
    .where('id', '=', into.id)
    .execute();
  await tx.modules.mergeProfiles(tx, { storeId: into.store_id, fromProfileId: from.id, intoProfileId: into.id });
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
