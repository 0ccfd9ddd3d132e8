import type { FastifyInstance } from 'fastify';
import { DEPLOY_JOB, deployHooksJob, scheduleDeployHooks } from './deploy-hooks.ts';
import { integrationRoutes } from './integration.routes.ts';

export { activeIntegration, stripeCredentials } from './integration.service.ts';
export { integrationServices } from './integration.registry.ts';

/** Routes, the deploy-hook subscriber and its debounced job. */
export async function registerIntegrations(app: FastifyInstance): Promise<void> {
  const { bus, jobs, config, now } = app.deps;
  bus.subscribe((trx, event) => scheduleDeployHooks(trx, event, now()));
  jobs.register(DEPLOY_JOB, deployHooksJob(config));
  await app.register(integrationRoutes);
}
