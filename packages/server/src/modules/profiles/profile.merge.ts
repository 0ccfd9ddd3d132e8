import type { Ctx } from '../../lib/context.ts';
import { fromJson, toJson } from '../../lib/json.ts';
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

type PromoUse = { promo_code_id: string; uses: number };

/**
 * Folds `from` into `into` (same store): promo uses add up (a per-customer limit cannot be dodged
 * with a fresh guest), registered modules move their records, and `from` is archived with its
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
