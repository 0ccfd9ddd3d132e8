import { beforeStoreDelete } from '../stores/index.ts';
import { reassignProfileCommerce } from '../commerce/index.ts';
import { onProfileMerge } from './profile.merge.ts';

export { profileRoutes } from './profile.routes.ts';
export { adminProfileRoutes } from './profile.admin.routes.ts';
export { storefrontProfile } from './profile.service.ts';
export { onProfileMerge, type ProfileMergeHook } from './profile.merge.ts';
export { registerProfileSection, type ProfileSectionLoader } from './profile.sections.ts';
export { findProfile, insertProfile, issueProfileToken, profilesWithEmail, toProfile, type ProfileRow } from './profile.repo.ts';

// Profile email codes name their store without a foreign key (email_codes also holds account codes).
beforeStoreDelete('profile-email-codes', async (tx) => {
  await tx.db.deleteFrom('email_codes').where('store_id', '=', tx.store.id).execute();
});

// Carts and orders follow a merged profile (CONTRACT §10.6: everything moves to the target).
onProfileMerge(async (tx, { storeId, fromProfileId, intoProfileId }) => {
  await reassignProfileCommerce(tx.db, storeId, fromProfileId, intoProfileId);
});
