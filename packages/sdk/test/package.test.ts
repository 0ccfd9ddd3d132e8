import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createStore, registerAccount } from '../../server/test/fixtures.ts';
import type { TestApp } from '../../server/test/helpers.ts';
import { liveServer } from './live-server.ts';

/**
 * The SDK as a stranger gets it: `npm pack`, installed from the tarball into an empty project in a
 * temporary directory (no workspace, no TypeScript loader), then used by plain `node`, a strict
 * TypeScript consumer and a browser bundle.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const sdkDir = join(root, 'packages/sdk');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

let scratch: string;
let t: TestApp;
let baseUrl: string;

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: { ...process.env, NODE_OPTIONS: '' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'openarky-sdk-consumer-'));
  const packs = join(scratch, 'packs');
  mkdirSync(packs);
  // `npm ci` built it (postinstall); this rebuilds only when a source changed since.
  execFileSync(process.execPath, [join(sdkDir, 'scripts/build.js'), '--if-stale'], { stdio: 'pipe' });
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packs], {
    cwd: sdkDir,
    stdio: 'pipe',
  });
  // TypeBox (the contract types' one dependency) from this checkout's node_modules: no registry needed.
  execFileSync('npm', ['pack', '--pack-destination', packs, join(root, 'node_modules/@sinclair/typebox')], {
    cwd: scratch,
    stdio: 'pipe',
  });
  const app = join(scratch, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  const tarballs = readdirSync(packs).map((f) => join(packs, f));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs], {
    cwd: app,
    stdio: 'pipe',
  });
  ({ t, baseUrl } = await liveServer());
}, 600_000);
afterAll(async () => t?.close());

describe('@openarky/sdk tarball', { timeout: 300_000 }, () => {
  it('ships compiled JavaScript and declarations and depends on nothing private', () => {
    const pkg = JSON.parse(
      readFileSync(join(scratch, 'app/node_modules/@openarky/sdk/package.json'), 'utf8'),
    );
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(['@sinclair/typebox']);
    expect(pkg.exports['.']).toMatchObject({ types: './dist/index.d.ts', default: './dist/index.js' });
    const files = readdirSync(join(scratch, 'app/node_modules/@openarky/sdk/dist'), { recursive: true }).map(
      String,
    );
    expect(files).toContain('index.js');
    expect(files).toContain('index.d.ts');
    expect(files).toContain(join('contract', 'index.d.ts'));
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.some((f) => f.includes('test'))).toBe(false);
    for (const f of files.filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
      expect(readFileSync(join(scratch, 'app/node_modules/@openarky/sdk/dist', f), 'utf8'), f).not.toMatch(
        /from ['"]@openarky\/contract['"]|import\(['"]@openarky\/contract/,
      );
    }
  });

  it('runs under plain node against a live server with only an API key', async () => {
    const owner = await registerAccount(t.app);
    const storeId = await createStore(t.app, owner, 'packed-sdk');
    const key = await createApiKey(t.app, owner);
    writeFileSync(
      join(scratch, 'app/check.mjs'),
      `import { createArkyClient } from '@openarky/sdk';
const sdk = createArkyClient({ baseUrl: process.argv[2], storeId: process.argv[3], apiKey: process.argv[4] });
const store = await sdk.store.getStore();
const currencies = await sdk.platform.getCurrencies();
console.log(JSON.stringify({ ok: store.ok, key: store.ok ? store.val.key : store.val.error, usd: currencies.ok && currencies.val.includes('USD'),
  price: sdk.utils.formatPrice([{ market: 'us', currency: 'USD', amount: 1250, compare_at: null }], 'us') }));
`,
    );
    const res = await run(process.execPath, ['check.mjs', baseUrl, storeId, key.value], join(scratch, 'app'));
    expect(res.code, res.out).toBe(0);
    expect(JSON.parse(res.out)).toEqual({ ok: true, key: 'packed-sdk', usd: true, price: '$12.50' });
  });

  it('type-checks a strict consumer', async () => {
    const app = join(scratch, 'app');
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          types: [],
          skipLibCheck: false,
        },
        files: ['consumer.ts'],
      }),
    );
    writeFileSync(
      join(app, 'consumer.ts'),
      `import { createArkyClient, createStorefrontClient, type Result, type Store, type ApiError } from '@openarky/sdk';

// An API key alone: no token callbacks needed.
const admin = createArkyClient({ storeId: 'store_x', apiKey: 'ak_x' });
// Token callbacks without an API key.
const sf = createStorefrontClient({ storeId: 'store_x', getToken: () => null, setToken: () => {} });
// @ts-expect-error neither an API key nor token callbacks
createArkyClient({ storeId: 'store_x' });

export async function run(): Promise<string> {
  const res: Result<Store, ApiError> = await admin.store.getStore();
  if (!res.ok) return res.val.error;
  const key: string = res.val.key;
  // @ts-expect-error a store key is a string, not a number (the types are real, not any)
  const wrong: number = res.val.key;
  void wrong;
  const product = await sf.eshop.product.get({ id: 'prod_x' });
  const price = product.ok ? admin.utils.formatPrice(product.val.variants[0]?.prices ?? [], 'us') : '';
  admin.utils.formatPrice([{ market: 'us', currency: 'USD', amount: 100, compare_at: null }]);
  return key + price;
}
`,
    );
    const res = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], app);
    expect(res.code, res.out).toBe(0);
  });

  it('bundles for the browser without Node built-ins or a TypeScript loader', async () => {
    const { build } = await import('esbuild');
    writeFileSync(
      join(scratch, 'app/browser.js'),
      `import { createStorefrontClient } from '@openarky/sdk';\nwindow.sf = createStorefrontClient({ storeId: 's', getToken: () => null, setToken: () => {} });\n`,
    );
    const out = await build({
      entryPoints: [join(scratch, 'app/browser.js')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      absWorkingDir: join(scratch, 'app'),
      logLevel: 'silent',
    });
    expect(out.errors).toEqual([]);
    expect(out.outputFiles[0]!.text).toContain('createStorefrontClient');
  });
});
