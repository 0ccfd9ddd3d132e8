import { defineModule } from '../../lib/module.ts';
import { healthRoutes } from './health.routes.ts';

export { healthRoutes } from './health.routes.ts';

/** Liveness and readiness probes. */
export const healthModule = defineModule({
  name: 'health',
  install: (deps) => ({
    routes: async (app) => {
      await app.register(healthRoutes(deps));
    },
  }),
});
