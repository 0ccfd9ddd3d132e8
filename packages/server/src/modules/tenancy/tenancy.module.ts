import { countRows, defineModule } from '../../lib/module.ts';
import { roleRoutes } from './role.routes.ts';

/** The tenancy floor's own contribution: the `members` store count and the roles routes. */
export const tenancyModule = defineModule({
  name: 'tenancy',
  storeCounters: { members: countRows('memberships') },
  install: () => ({
    routes: async (app) => {
      await app.register(roleRoutes);
    },
  }),
});
