import { onProfileMerge, registerProfileSection } from '../profiles/index.ts';
import { profileSubmissions } from './form.repo.ts';

export { formRoutes, storefrontFormRoutes } from './form.routes.ts';
export { checkFormSchema, validateSubmission, checkValue } from './form.fields.ts';
export { profileSubmissions } from './form.repo.ts';

registerProfileSection('form_submissions', (ctx, storeId, profileId) =>
  profileSubmissions(ctx.db, storeId, profileId),
);

// A merged profile's submissions follow it (CONTRACT §10.6).
onProfileMerge(async (tx, { storeId, fromProfileId, intoProfileId }) => {
  await tx.db
    .updateTable('form_submissions')
    .set({ profile_id: intoProfileId })
    .where('store_id', '=', storeId)
    .where('profile_id', '=', fromProfileId)
    .execute();
});
