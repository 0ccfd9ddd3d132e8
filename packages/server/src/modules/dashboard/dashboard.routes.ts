import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * The built dashboard (`packages/admin/dist`). This file sits in `src/modules/dashboard/` when run
 * from source but is bundled into `dist/main.js` for `npm start`, two levels higher: the first of
 * the two candidates that holds a build wins (the source one when neither does, for the 503 page).
 */
export const DEFAULT_DASHBOARD_DIR = ['../../../../admin/dist/', '../../admin/dist/']
  .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
  .reduce((found, dir) =>
    existsSync(`${found}index.html`) || !existsSync(`${dir}index.html`) ? found : dir,
  );

/** Where the dashboard is mounted; the SPA's router uses the same base. */
export const DASHBOARD_PREFIX = '/admin';

// Vite names every file under assets/ by its content hash, so a year-long cache is safe; the HTML
// shell must be revalidated so a new build is picked up at once.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>OpenArky dashboard not built</title></head>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>The dashboard is not built</h1>
<p>Build it with <code>npm run build:admin</code> (it also runs on <code>npm install</code>), then reload this page.
The API is available at <a href="/v1">/v1</a>, its documentation at <a href="/docs">/docs</a>.</p>
</body></html>`;

/**
 * Serves the merchant dashboard at `/admin` (CONTRACT-free: no `/v1` route): hashed assets with a
 * long cache, every other `/admin/...` path answered with the SPA's index.html (client routing),
 * and `/` redirected to it.
 */
export async function registerDashboard(app: FastifyInstance, dir = DEFAULT_DASHBOARD_DIR): Promise<void> {
  const indexFile = `${dir.replace(/\/+$/, '')}/index.html`;
  const built = existsSync(indexFile);

  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect(`${DASHBOARD_PREFIX}/`));

  if (!built) {
    const notBuilt = async (_request: unknown, reply: FastifyReply) =>
      reply.code(503).header('cache-control', REVALIDATE).type('text/html; charset=utf-8').send(NOT_BUILT);
    app.get(DASHBOARD_PREFIX, { schema: { hide: true } }, notBuilt);
    app.get(`${DASHBOARD_PREFIX}/*`, { schema: { hide: true } }, notBuilt);
    return;
  }

  // Read once: the shell is small and a rebuild needs a restart anyway (new asset routes).
  const shell = readFileSync(indexFile);
  await app.register(fastifyStatic, {
    root: dir,
    prefix: `${DASHBOARD_PREFIX}/`,
    // One route per file present at start-up, so the SPA fallback below can own `/admin/*`.
    wildcard: false,
    index: false,
    decorateReply: false,
    schemaHide: true,
    // Our own Cache-Control below (send's would overwrite it with `max-age=0`).
    cacheControl: false,
    setHeaders: (res, path) => {
      res.setHeader('cache-control', /[\\/]assets[\\/]/.test(path) ? IMMUTABLE : REVALIDATE);
    },
  });

  const sendShell = async (_request: unknown, reply: FastifyReply) =>
    reply.header('cache-control', REVALIDATE).type('text/html; charset=utf-8').send(shell);
  app.get(DASHBOARD_PREFIX, { schema: { hide: true } }, sendShell);
  app.get(`${DASHBOARD_PREFIX}/*`, { schema: { hide: true } }, async (request, reply) => {
    // A missing hashed asset is a real 404 (a stale tab after a deploy), not the SPA shell.
    if (request.url.startsWith(`${DASHBOARD_PREFIX}/assets/`)) {
      return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    }
    return sendShell(request, reply);
  });
}
