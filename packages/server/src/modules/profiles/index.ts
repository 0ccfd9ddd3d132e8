import { beforeStoreDelete } from '../stores/index.ts';

export { profileRoutes } from './profile.routes.ts';
export { storefrontProfile } from './profile.service.ts';
export { onProfileMerge, type ProfileMergeHook } from './profile.merge.ts';

// Profile email codes name their store without a foreign key (email_codes also holds account codes).
beforeStoreDelete('profile-email-codes', async (tx) => {
  await tx.db.deleteFrom('email_codes').where('store_id', '=', tx.store.id).execute();
});
