import type { FormSubmission, Membership } from '@openarky/contract';
import type { Ctx } from '../../lib/context.ts';

/** Loads one section of an admin's view of a profile for `(storeId, profileId)`. */
export type ProfileSectionLoader<T> = (ctx: Ctx, storeId: string, profileId: string) => Promise<T[]>;

declare module '../../lib/module.ts' {
  interface Extensions {
    /**
     * What other modules add to an admin's view of a profile (CONTRACT §10.6), each filled by
     * one manifest's `provides` (forms: submissions, audiences: memberships), so profiles
     * imports neither of them.
     */
    profileSubmissions: ProfileSectionLoader<FormSubmission>;
    profileMemberships: ProfileSectionLoader<Membership>;
  }
}
