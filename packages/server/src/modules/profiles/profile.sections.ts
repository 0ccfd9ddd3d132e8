import type { Ctx } from '../../lib/context.ts';

/**
 * What other modules add to an admin's view of a profile (forms: submissions, audiences:
 * memberships). Registered from their index.ts, so profiles never imports them (no cycle).
 */
export type ProfileSectionLoader = (ctx: Ctx, storeId: string, profileId: string) => Promise<unknown[]>;

const sections = new Map<string, ProfileSectionLoader>();

export function registerProfileSection(
  name: 'form_submissions' | 'memberships',
  loader: ProfileSectionLoader,
): void {
  sections.set(name, loader);
}

export async function loadProfileSection(
  name: 'form_submissions' | 'memberships',
  ctx: Ctx,
  storeId: string,
  profileId: string,
): Promise<unknown[]> {
  const loader = sections.get(name);
  return loader ? loader(ctx, storeId, profileId) : [];
}
