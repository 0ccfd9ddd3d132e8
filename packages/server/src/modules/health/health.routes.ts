import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health, Readiness } from '@openarky/contract';
import { ping } from '../../db/create-db.ts';
import { migrationStatus } from '../../db/migrate.ts';
import type { AppDeps } from '../../app-deps.ts';

/** Liveness and readiness for load balancers and orchestrators. */
export const healthRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/healthz',
      { schema: { tags: ['health'], summary: 'Process is up', response: { 200: Health } } },
      async () => ({
        status: 'ok',
      }),
    );

    app.get(
      '/readyz',
      {
        schema: {
          tags: ['health'],
          summary: 'Database reachable, migrations current and not shutting down',
          response: { 200: Readiness, 503: Readiness },
        },
      },
      async (request, reply) => {
        // Draining for shutdown: not ready, so a load balancer stops sending before the close.
        if (deps.lifecycle.draining)
          return reply.code(503).send({
            status: 'draining',
            database: 'not_checked',
            migrations: { applied: 0, expected: 0, pending: [] },
          });
        try {
          await ping(deps.db.db);
          const migrations = await migrationStatus(deps.db.db);
          const ready = migrations.pending.length === 0;
          return reply
            .code(ready ? 200 : 503)
            .send({ status: ready ? 'ready' : 'migrations_pending', database: 'ok', migrations });
        } catch (error) {
          request.log.warn({ err: error }, 'readiness check failed');
          return reply.code(503).send({
            status: 'unavailable',
            database: 'unreachable',
            migrations: { applied: 0, expected: 0, pending: [] },
          });
        }
      },
    );
  };
