import { defineModule } from '../../lib/module.ts';
import { registerDashboard } from './dashboard.routes.ts';

export { registerDashboard, DASHBOARD_PREFIX, DEFAULT_DASHBOARD_DIR } from './dashboard.routes.ts';

/** The merchant dashboard (packages/admin) at `/admin`, and `/` redirected to it. */
export const dashboardModule = defineModule({
  name: 'dashboard',
  install: () => ({
    routes: async (app) => {
      await registerDashboard(app);
    },
  }),
});
