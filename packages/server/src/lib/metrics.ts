import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppDeps } from '../app-deps.ts';
import type { Db } from './context.ts';
import { safeEqual } from './crypto.ts';
import { AppError } from './errors.ts';

/** One sample of a gauge read at scrape time. */
export interface MetricSample {
  labels?: Record<string, string>;
  value: number;
}

/**
 * A gauge a module reads from the database on each scrape: every process reports the same
 * cluster-wide value, so several replicas (and the worker) can be scraped without adding up.
 */
export interface MetricSource {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
  collect(db: Db, now: number): Promise<MetricSample[]>;
}

/** The foundation's own gauges: the job queue and the outbox. */
export const foundationMetrics: readonly MetricSource[] = [
  {
    name: 'openarky_jobs',
    help:
      'Background job rows by kind and state, cluster-wide (pending = queue depth; failed = gave up, rows kept 7 days: ' +
      'not a counter, see openarky_job_failures_total)',
    labelNames: ['kind', 'state'],
    collect: async (db) => {
      const rows = await db
        .selectFrom('jobs')
        .select(['kind', 'state', (eb) => eb.fn.countAll().as('n')])
        .where('state', 'in', ['pending', 'failed'])
        .groupBy(['kind', 'state'])
        .execute();
      return rows.map((r) => ({ labels: { kind: r.kind, state: r.state }, value: Number(r.n) }));
    },
  },
  {
    name: 'openarky_outbox_lag_seconds',
    help: 'Age of the oldest event not yet dispatched (0 when the outbox is drained)',
    collect: async (db, now) => {
      const row = await db
        .selectFrom('outbox_events')
        .select((eb) => eb.fn.min('created_at').as('oldest'))
        .where('dispatched_at', 'is', null)
        .executeTakeFirst();
      const oldest = row?.oldest == null ? null : Number(row.oldest);
      return [{ value: oldest === null ? 0 : Math.max(0, now - oldest) }];
    },
  },
];

/**
 * Prometheus metrics on `/metrics`: request durations by route pattern (never the raw URL, so
 * ids do not explode the series), database pool use, process defaults, and the gauges modules
 * declare (`MetricSource`). Every process role serves it, the worker included.
 */
export function installMetrics(app: FastifyInstance, deps: AppDeps, sources: readonly MetricSource[]): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'openarky_' });
  const duration = new Histogram({
    name: 'openarky_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'openarky_job_failures_total',
    help: 'Failed job runs in this process by kind; final="true" when the job gave up (per process: sum() across them)',
    labelNames: ['kind', 'final'],
    registers: [registry],
  });
  deps.jobs.onFailure(({ kind, final }) => failures.inc({ kind, final: String(final) }));
  const pool = deps.db.poolStats;
  new Gauge({
    name: 'openarky_db_pool_connections',
    help:
      "This process's database connections by state: total, idle, waiting (queries waiting for one), max " +
      '(SQLite: its one connection, idle or held by a query or transaction)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const s = pool();
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
      this.set({ state: 'max' }, s.max);
    },
  });
  for (const source of sources) {
    new Gauge({
      name: source.name,
      help: source.help,
      labelNames: source.labelNames ?? [],
      registers: [registry],
      async collect() {
        this.reset();
        for (const sample of await source.collect(deps.db.db, deps.now()))
          if (sample.labels) this.set(sample.labels, sample.value);
          else this.set(sample.value);
      },
    });
  }

  app.addHook('onResponse', (request, reply, done) => {
    // The pattern (`/v1/stores/:storeId/products/:id`); unmatched URLs share one label.
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    duration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });

  const token = deps.config.metricsToken;
  // Production without METRICS_TOKEN: no /metrics at all (nothing to leak); elsewhere it is open.
  if (!token && deps.config.env === 'production') return;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (token) {
      const given = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim() ?? '';
      if (!safeEqual(given, token))
        throw new AppError('unauthenticated', 'GET /metrics needs the METRICS_TOKEN');
    }
    const body = await registry.metrics();
    return reply.type(registry.contentType).send(body);
  });
}
