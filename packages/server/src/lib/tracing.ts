import type { FastifyPluginCallback } from 'fastify';
import type { LogEvent } from 'kysely';
import type { Config } from '../config.ts';

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** What the app needs from tracing: the Fastify plugin and a hook on every database query. */
export interface Tracing {
  /** Spans for each request (route, status) and its hooks and handler. */
  readonly fastifyPlugin: FastifyPluginCallback;
  /** Kysely's `log` hook: one client span per query, timed by Kysely, parented to the request. */
  readonly onQuery: (event: LogEvent) => void;
  /** Flushes the spans still buffered (on shutdown). */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing to `OTEL_EXPORTER_OTLP_ENDPOINT` (OTLP/HTTP): HTTP server spans
 * through `@fastify/otel`, outbound calls (fetch/undici: webhooks, imports, Stripe) through the
 * undici instrumentation, and database queries from Kysely's query log. `main.ts` imports this
 * file only when the variable is set, and the packages are imported in the function: a server
 * without tracing never loads them.
 */
export async function startTracing(config: Config, engine: 'sqlite' | 'postgres'): Promise<Tracing> {
  // Imported here, not at the top: the server bundle keeps top-level imports of external packages
  // eagerly, and these must cost nothing when tracing is off.
  const [
    { SpanKind, SpanStatusCode, context, trace },
    { OTLPTraceExporter },
    { registerInstrumentations },
    { UndiciInstrumentation },
    { resourceFromAttributes },
    { BatchSpanProcessor, NodeTracerProvider },
    { FastifyOtelInstrumentation },
  ] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-node'),
    import('@fastify/otel'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.otelServiceName }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${config.otelEndpoint}/v1/traces` })),
    ],
  });
  provider.register();
  const fastifyOtel = new FastifyOtelInstrumentation({
    // Probes and scrapes every few seconds would drown the traces worth reading.
    ignorePaths: ({ url }) => PROBES.has(url),
  });
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [fastifyOtel, new UndiciInstrumentation()],
  });
  const tracer = trace.getTracer('openarky.db');
  return {
    fastifyPlugin: fastifyOtel.plugin() as FastifyPluginCallback,
    onQuery: (event) => {
      // Kysely reports a query once it finished: the span is back-dated by its duration.
      const end = Date.now();
      const operation = /^\s*(\w+)/.exec(event.query.sql)?.[1]?.toUpperCase() ?? 'QUERY';
      const span = tracer.startSpan(
        `${operation} ${engine}`,
        {
          kind: SpanKind.CLIENT,
          startTime: end - event.queryDurationMillis,
          attributes: {
            'db.system.name': engine === 'postgres' ? 'postgresql' : 'sqlite',
            'db.query.text': event.query.sql,
          },
        },
        context.active(),
      );
      if (event.level === 'error')
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(event.error) });
      span.end(end);
    },
    shutdown: () => provider.shutdown(),
  };
}
