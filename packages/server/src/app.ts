import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest, type RouteOptions } from 'fastify';
import cors from '@fastify/cors';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.ts';
import type { AppDeps } from './app-deps.ts';
import { createDb, type DbHandle } from './db/create-db.ts';
import { migrateToLatest, migrationStatus } from './db/migrate.ts';
import { EventBus } from './lib/events.ts';
import { JobRunner } from './lib/job-runner.ts';
import { systemClock, type Clock } from './lib/time.ts';
import type { Ctx } from './lib/context.ts';
import { installErrorHandling } from './lib/http/error-handler.ts';
import { installIdempotency } from './lib/http/idempotency.ts';
import { installInputGuard, validatorCompilers } from './lib/http/input-guard.ts';
import { IdempotencyScope } from './lib/idempotency-scope.ts';
import { installGlobalRateLimit } from './lib/http/rate-limit.ts';
import { installMetrics } from './lib/metrics.ts';
import type { Tracing } from './lib/tracing.ts';
import { installOpenApi } from './lib/http/openapi.ts';
import { installCompression } from './lib/http/compression.ts';
import { normalizeInput } from './lib/http/normalize.ts';
import { InstalledModules, type ModuleManifest } from './lib/module.ts';
import { coreModule } from './lib/core.module.ts';
import { healthModule } from './modules/health/index.ts';
import { platformModule } from './modules/platform/index.ts';
import { authenticate, identityModule } from './modules/identity/index.ts';
import { tenancyModule } from './modules/tenancy/index.ts';
import { storesModule } from './modules/stores/index.ts';
import { catalogModule } from './modules/catalog/index.ts';
import { commerceModule } from './modules/commerce/index.ts';
import { mediaModule } from './modules/media/index.ts';
import { cmsModule } from './modules/cms/index.ts';
import { webhooksModule } from './modules/webhooks/index.ts';
import { integrationsModule } from './modules/integrations/index.ts';
import { profilesModule } from './modules/profiles/index.ts';
import { marketsModule } from './modules/markets/index.ts';
import { paymentsModule } from './modules/payments/index.ts';
import { formsModule } from './modules/forms/index.ts';
import { audiencesModule } from './modules/audiences/index.ts';
import { emailsModule } from './modules/emails/index.ts';
import { bookingModule } from './modules/booking/index.ts';
import { dashboardModule } from './modules/dashboard/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: Ctx;
  }
  interface FastifyInstance {
    deps: AppDeps;
    /**
     * Starts a graceful shutdown: every answer from now on carries `Connection: close` and
     * `/readyz` answers 503 (`/healthz` stays 200 until the server closes).
     */
    drain(): void;
  }
}

export interface BuildOptions {
  /** Use this database instead of opening one from config (tests, benchmarks). */
  db?: DbHandle;
  now?: Clock;
  /** Start the background job runner (default true). Tests drive `app.deps.jobs.tick()` instead. */
  runJobs?: boolean;
  /** Extra routes registered after the modules (tests use it for probe routes). */
  register?: (app: FastifyInstance) => Promise<void>;
  /** Called for every route as it is registered (tests collect the route table with it). */
  onRoute?: (route: RouteOptions) => void;
  /** Install these manifests instead of `MODULES` (tests of the manifest mechanism). */
  modules?: readonly ModuleManifest[];
  /** OpenTelemetry hooks (`lib/tracing.ts`), given by main when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  tracing?: Tracing;
  /** Write log lines here instead of stdout (tests read what the server logs). */
  logStream?: { write(line: string): void };
}

/**
 * Every module of the app, in installation order (routes, jobs, subscribers, store counters,
 * deletion and merge hooks: see `lib/module.ts`). A new module adds one line here.
 */
export const MODULES: readonly ModuleManifest[] = [
  coreModule,
  healthModule,
  platformModule,
  identityModule,
  tenancyModule,
  storesModule,
  catalogModule,
  commerceModule,
  mediaModule,
  cmsModule,
  webhooksModule,
  integrationsModule,
  profilesModule,
  marketsModule,
  paymentsModule,
  formsModule,
  audiencesModule,
  emailsModule,
  bookingModule,
  dashboardModule,
];

/** The only routes a `PROCESS_ROLE=worker` process answers. */
const WORKER_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ANONYMOUS = Object.freeze({ kind: 'anonymous' as const });

/** Builds the Fastify app from configuration: used by main, tests and benchmarks. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const db =
    options.db ??
    createDb({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      poolMax: config.databasePoolMax,
      log: options.tracing?.onQuery,
    });
  const now = options.now ?? systemClock;

  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      // Readable logs on a developer's terminal; JSON lines everywhere else (log shippers).
      ...(config.env === 'development' && process.stdout.isTTY && !options.logStream
        ? {
            transport: {
              target: 'pino-pretty',
              options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
            },
          }
        : {}),
      redact: {
        paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
        censor: '[redacted]',
      },
    },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: {
      customOptions: {
        allErrors: true,
        coerceTypes: 'array',
        useDefaults: true,
        keywords: ['x-aliases', 'x-lowercase'],
      },
    },
    schemaController: { compilersFactory: validatorCompilers },
    // Requests already on an accepted connection are answered (with `Connection: close`), never
    // refused with a 503; idle keep-alive sockets get a grace period first (see main.ts shutdown).
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();
  // First, so every route and hook of the app runs inside the request's span.
  if (options.tracing) await app.register(options.tracing.fastifyPlugin);
  const onRoute = options.onRoute;
  if (onRoute) app.addHook('onRoute', (route) => onRoute(route as RouteOptions));

  const bus = new EventBus();
  // PROCESS_ROLE=web: this process never runs jobs, the outbox or pollers (a worker process does).
  const jobs = new JobRunner(db.db, app.log, bus, {
    pollIntervalMs: config.jobPollIntervalMs,
    now,
    enabled: config.processRole !== 'web',
  });
  const modules = new InstalledModules(options.modules ?? MODULES);
  const lifecycle = { draining: false };
  const deps: AppDeps = { config, db, bus, jobs, now, log: app.log, modules, lifecycle };
  app.decorate('deps', deps);
  app.decorateRequest('ctx', null as unknown as Ctx);

  // MIGRATE_ON_START=false: migrations are a deploy step (`openarky migrate`); /readyz reports pending ones.
  if (config.migrateOnStart) await migrateToLatest(db.db);

  installErrorHandling(app, config.bodyLimitBytes);
  // PROCESS_ROLE=worker: only the probes answer (container health checks); every other route is a 404.
  if (config.processRole === 'worker') {
    app.addHook('onRequest', (request, reply, done) => {
      // An unknown route already goes to the 404 handler.
      if (request.is404 || WORKER_ROUTES.has(request.routeOptions.url ?? '')) return done();
      reply.callNotFound();
    });
  }
  installInputGuard(app);

  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id'],
    maxAge: 86400,
  });

  await installGlobalRateLimit(app, config);
  await installCompression(app);
  installMetrics(
    app,
    deps,
    modules.manifests.flatMap((m) => m.metrics ?? []),
  );

  await installOpenApi(app, config);

  // Callback-style hooks with a synchronous fast path: an anonymous read (the storefront) costs
  // no promise or extra microtask here; only a request with credentials awaits authentication.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const idempotency = MUTATING.has(request.method)
      ? new IdempotencyScope(config, db.db, (message) => request.log.error(message))
      : undefined;
    const ctx: Ctx = {
      // Writes get the guarded handle: a write outside withTx once a key is held is refused (500).
      db: idempotency ? idempotency.guard(db.db) : db.db,
      config,
      log: request.log,
      now,
      requestId: request.id,
      principal: ANONYMOUS,
      // Only a write can carry an Idempotency-Key (see lib/http/idempotency.ts).
      idempotency,
      modules,
    };
    request.ctx = ctx;
    const headers = request.headers;
    if (headers.authorization === undefined && headers['x-api-key'] === undefined) return done();
    authenticate(request).then((principal) => {
      request.ctx = { ...ctx, principal };
      done();
    }, done);
  });

  // Aliases and case-insensitive enums are rewritten before validation (CONTRACT §1.1, §2.5).
  app.addHook('preValidation', (request, _reply, done) => {
    const schema = request.routeOptions.schema;
    if (schema) {
      if (schema.body && request.body && typeof request.body === 'object')
        normalizeInput(schema.body as never, request.body);
      if (schema.querystring && request.query) normalizeInput(schema.querystring as never, request.query);
    }
    done();
  });

  installIdempotency(app, (req: FastifyRequest) => req.ctx);

  const closers: (() => Promise<void>)[] = [];
  for (const manifest of modules.manifests) {
    const runtime = manifest.install?.(deps);
    if (!runtime) continue;
    for (const job of runtime.jobs ?? []) jobs.register(job);
    for (const subscriber of runtime.subscribers ?? []) bus.subscribe(subscriber);
    for (const poller of runtime.pollers ?? []) jobs.poll(poller);
    if (runtime.onClose) closers.push(runtime.onClose);
    if (runtime.routes) await app.register(runtime.routes);
  }

  if (options.register) await options.register(app);

  let waitForMigrations: NodeJS.Timeout | undefined;
  if ((options.runJobs ?? true) && config.processRole !== 'web') {
    app.addHook('onReady', async () => {
      if (config.migrateOnStart || (await migrationStatus(db.db)).pending.length === 0) return jobs.start();
      // MIGRATE_ON_START=false before `openarky migrate` ran: serve /healthz and a 503 /readyz,
      // and start background work once the schema is current.
      app.log.warn('migrations are pending: background jobs wait for `openarky migrate`');
      const check = () => {
        waitForMigrations = setTimeout(
          () => {
            void migrationStatus(db.db)
              .then((s) => (s.pending.length === 0 ? jobs.start() : check()))
              .catch((error: unknown) => {
                app.log.error({ err: error }, 'waiting for migrations');
                check();
              });
          },
          Math.max(config.jobPollIntervalMs, 1000),
        );
        waitForMigrations.unref();
      };
      check();
    });
  }
  // While shutting down, answers carry `Connection: close` so keep-alive sockets do not hold the
  // process open after their last in-flight request.
  app.decorate('drain', () => {
    lifecycle.draining = true;
  });
  app.addHook('preClose', async () => {
    lifecycle.draining = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (lifecycle.draining) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onClose', async () => {
    clearTimeout(waitForMigrations);
    await jobs.stop();
    for (const close of closers) await close();
    if (!options.db) await db.close();
    await options.tracing?.shutdown();
  });

  return app;
}
