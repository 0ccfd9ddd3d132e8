#!/usr/bin/env node
/**
 * Compiles the server to `packages/server/dist` (ESM, one bundle per entry point). Dependencies in
 * node_modules stay external; the private `@openarky/contract` workspace is inlined, so the output
 * runs with plain `node` and needs neither TypeScript nor the contract sources at run time.
 *
 *   node packages/server/scripts/build.js             build
 *   node packages/server/scripts/build.js --if-stale  build only when a source is newer than dist
 *
 * Several processes may build at once (parallel test files): every output file is written to a
 * temporary name and renamed into place, so a reader never sees half a file.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinModules } from 'node:module';

const serverDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const contractDir = join(serverDir, '..', 'contract');
const distDir = join(serverDir, 'dist');
const stamp = join(distDir, '.build-stamp');
const entryPoints = { main: join(serverDir, 'src/main.ts'), cli: join(serverDir, 'src/cli.ts') };

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

function isStale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const sources = [
    join(serverDir, 'src'),
    join(contractDir, 'src'),
    join(serverDir, 'package.json'),
    join(serverDir, 'scripts'),
  ];
  return sources.some((p) => existsSync(p) && newestMtime(p) > built);
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

const { build } = await import('esbuild');
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const started = performance.now();
const result = await build({
  entryPoints,
  outdir: distDir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  write: false,
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-packages',
      setup(b) {
        // Bare specifiers are packages from node_modules (loaded at run time), except our own workspaces.
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.path.startsWith('@openarky/')) return undefined;
          if (builtins.has(args.path)) return { path: args.path, external: true };
          return { path: args.path, external: true };
        });
      },
    },
  ],
});
mkdirSync(distDir, { recursive: true });
for (const file of result.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  const tmp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
}
const tmpStamp = `${stamp}.${process.pid}.tmp`;
writeFileSync(tmpStamp, new Date().toISOString() + '\n');
renameSync(tmpStamp, stamp);
const ms = Math.round(performance.now() - started);
console.error(`server built into ${relative(process.cwd(), distDir) || '.'} in ${ms} ms`);
