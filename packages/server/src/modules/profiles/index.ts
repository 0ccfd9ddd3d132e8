import { defineModule } from '../../lib/module.ts';
import { profileRoutes } from './profile.routes.ts';
import { adminProfileRoutes } from './profile.admin.routes.ts';

export { profileRoutes } from './profile.routes.ts';
export { storefrontProfile } from './profile.service.ts';
export { adminProfileRoutes } from './profile.admin.routes.ts';
export type { ProfileSectionLoader } from './profile.sections.ts';
export {
  findProfile,
  insertProfile,
  issueProfileToken,
  profilesWithEmail,
  toProfile,
  type ProfileRow,
} from './profile.repo.ts';
export type { ProfileMergeHook } from '../../lib/module.ts';
export type { ProfileTable, ProfileTokenTable } from './profile.table.ts';

/** Storefront profiles (CONTRACT §3 storefront identity); merge hooks come from other manifests. */
export const profilesModule = defineModule({
  name: 'profiles',
  install: () => ({
    routes: async (app) => {
      await app.register(profileRoutes);
      await app.register(adminProfileRoutes);
    },
  }),
});
