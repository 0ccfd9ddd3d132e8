import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { registerDashboard } from './index.ts';

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function appServing(dir: string) {
  const app = Fastify();
  apps.push(app);
  await registerDashboard(app, dir);
  await app.ready();
  return app;
}

function builtDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oa-dashboard-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><div id="root"></div><script src="/admin/assets/app-1a2b3c.js"></script>',
  );
  writeFileSync(join(dir, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
  writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
  return dir;
}

describe('dashboard static serving', () => {
  it('answers every client route with the SPA shell, revalidated', async () => {
    const app = await appServing(builtDir());
    for (const url of ['/admin', '/admin/', '/admin/orders/ord_1', '/admin/settings/webhooks?open=wh_1']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('serves hashed assets with a one-year immutable cache, other files revalidated, a missing asset 404', async () => {
    const app = await appServing(builtDir());
    const js = await app.inject({ url: '/admin/assets/app-1a2b3c.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.body).toBe('console.log(1)');
    const icon = await app.inject({ url: '/admin/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
    const missing = await app.inject({ url: '/admin/assets/app-old.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toContain('<div id="root">');
  });

  it('redirects / to the dashboard', async () => {
    const app = await appServing(builtDir());
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/admin/');
  });

  it('explains how to build the dashboard when it is not built', async () => {
    const app = await appServing(join(tmpdir(), 'oa-dashboard-missing-dir'));
    for (const url of ['/admin', '/admin/products']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('npm run build:admin');
    }
    expect((await app.inject({ url: '/' })).headers.location).toBe('/admin/');
  });
});
