import { defineModule } from '../../lib/module.ts';
import { formRoutes, storefrontFormRoutes } from './form.routes.ts';
import { profileSubmissions } from './form.repo.ts';

export { formRoutes, storefrontFormRoutes } from './form.routes.ts';
export { checkFormSchema, validateSubmission, checkValue } from './form.fields.ts';
export { profileSubmissions } from './form.repo.ts';

/** Forms and submissions (CONTRACT §8.3); a merged profile's submissions follow it (§10.6). */
export const formsModule = defineModule({
  name: 'forms',
  provides: {
    profileSubmissions: (ctx, storeId, profileId) => profileSubmissions(ctx.db, storeId, profileId),
  },
  install: () => ({
    routes: async (app) => {
      await app.register(formRoutes);
      await app.register(storefrontFormRoutes);
    },
  }),
  onProfileMerge: async (tx, { storeId, fromProfileId, intoProfileId }) => {
    await tx.db
      .updateTable('form_submissions')
      .set({ profile_id: intoProfileId })
      .where('store_id', '=', storeId)
      .where('profile_id', '=', fromProfileId)
      .execute();
  },
});
