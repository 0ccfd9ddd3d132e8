import { defineModule } from '../../lib/module.ts';
import { deployHooksJob, scheduleDeployHooks } from './deploy-hooks.ts';
import { integrationRoutes } from './integration.routes.ts';

export { activeIntegration, stripeCredentials } from './integration.service.ts';
export { integrationServices } from './integration.registry.ts';

/** Routes, the deploy-hook subscriber and its debounced job. */
export const integrationsModule = defineModule({
  name: 'integrations',
  install: ({ config, now }) => ({
    routes: async (app) => {
      await app.register(integrationRoutes);
    },
    subscribers: [(trx, event) => scheduleDeployHooks(trx, event, now())],
    jobs: [deployHooksJob(config)],
  }),
});
