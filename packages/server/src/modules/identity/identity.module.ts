import { recurringJob } from '../../lib/jobs.ts';
import { defineModule } from '../../lib/module.ts';
import { accountRoutes } from './account.routes.ts';
import { authRoutes } from './auth.routes.ts';
import { pruneEmailCodes } from './email-code.service.ts';
import { pruneRateLimits } from './rate-limit.ts';

/** Accounts, sessions, API keys, email codes (account and profile) and rate limits. */
export const identityModule = defineModule({
  name: 'identity',
  // Profile email codes name their store without a foreign key (email_codes also holds account codes).
  beforeStoreDelete: async (tx) => {
    await tx.db.deleteFrom('email_codes').where('store_id', '=', tx.store.id).execute();
  },
  install: () => ({
    routes: async (app) => {
      await app.register(authRoutes);
      await app.register(accountRoutes);
    },
    jobs: [
      recurringJob('identity.prune', 3600, async ({ db, now }) => {
        await pruneRateLimits(db, now());
        await pruneEmailCodes(db, now());
      }),
    ],
  }),
});
