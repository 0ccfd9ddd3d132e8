import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { seedDemo } from './seed/demo.ts';

/** How long a shutting-down server keeps answering (with `Connection: close`) before it closes idle sockets. */
const SHUTDOWN_GRACE_MS = 1500;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const started = performance.now();
  // Loaded only when asked for: without the variable no OpenTelemetry package is imported.
  const tracing = config.otelEndpoint
    ? await (
        await import('./lib/tracing.ts')
      ).startTracing(config, config.databaseUrl ? 'postgres' : 'sqlite')
    : undefined;
  const app = await buildApp(config, { tracing });
  const address = await app.listen({ port: config.port, host: config.host });
  const ready = Math.round(performance.now() - started);
  app.log.info(
    { address, role: config.processRole, database: app.deps.db.describe, ms: ready },
    `OpenArky is listening (role: ${config.processRole})`,
  );

  if (config.seedDemo) {
    const demo = await seedDemo(app);
    if (demo) {
      const lines = [
        '',
        '  OpenArky demo store created',
        `  store:     ${demo.storeKey} (${demo.storeId})`,
        `  login:     ${demo.email} / ${demo.password}`,
        `  API key:   ${demo.apiKey}`,
        '',
      ];
      console.log(lines.join('\n'));
    }
  }
  console.log(
    `\n  Role:  ${config.processRole}\n  Admin: ${config.publicUrl}/admin\n  API:   ${config.publicUrl}/v1\n  Docs:  ${config.publicUrl}/docs\n  Spec:  ${config.publicUrl}/openapi.json\n`,
  );

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining connections, finishing in-flight work');
    const timer = setTimeout(() => {
      app.log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    // Drain first: for a short grace the server keeps listening and answers everything, each reply
    // with `Connection: close`, so a client that already sent a request on a kept-alive socket gets
    // its answer instead of a reset, and sockets close one by one after their last reply. Only then
    // are the remaining idle sockets closed and in-flight requests awaited.
    app.drain();
    const grace = Math.min(SHUTDOWN_GRACE_MS, Math.floor(config.shutdownTimeoutMs / 2));
    new Promise((r) => setTimeout(r, grace))
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'error during shutdown');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
