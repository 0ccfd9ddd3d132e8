#!/usr/bin/env node
/**
 * Builds the publishable SDK into `dist`: ESM JavaScript and `.d.ts` from `src`, plus the
 * declarations of the private `@openarky/contract` package under `dist/contract`, with every
 * `@openarky/contract` specifier rewritten to that copy. The tarball then depends on nothing
 * private; its only dependency is TypeBox, for the contract's types (the JavaScript imports nothing).
 *
 *   node packages/sdk/scripts/build.js             build
 *   node packages/sdk/scripts/build.js --if-stale  build only when a source is newer than the last build
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const sdkDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const contractDir = join(sdkDir, '..', 'contract');
const dist = join(sdkDir, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
/** Written after a complete build (outside dist, so it is not packed). */
const stamp = join(sdkDir, '.build-stamp');

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
  if (!existsSync(stamp) || !existsSync(join(dist, 'index.js'))) return true;
  const built = statSync(stamp).mtimeMs;
  const sources = [
    join(sdkDir, 'src'),
    join(sdkDir, 'scripts'),
    join(sdkDir, 'package.json'),
    join(sdkDir, 'tsconfig.json'),
    join(sdkDir, 'tsconfig.build.json'),
    join(contractDir, 'src'),
    join(contractDir, 'tsconfig.json'),
  ];
  return sources.some((p) => existsSync(p) && newestMtime(p) > built);
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

rmSync(stamp, { force: true });

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(sdkDir, 'tsconfig.build.json')], { stdio: 'inherit' });
execFileSync(
  process.execPath,
  [
    tsc,
    '-p',
    join(contractDir, 'tsconfig.json'),
    '--noEmit',
    'false',
    '--declaration',
    '--emitDeclarationOnly',
    '--rewriteRelativeImportExtensions',
    '--rootDir',
    join(contractDir, 'src'),
    '--outDir',
    join(dist, 'contract'),
  ],
  { stdio: 'inherit' },
);

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (/\.(d\.ts|js)$/.test(entry.name)) yield path;
  }
}
for (const file of files(dist)) {
  // Declarations keep the sources' `.ts` specifiers; consumers resolve the emitted `.js` names.
  const text = readFileSync(file, 'utf8').replaceAll(
    /(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.ts\2/g,
    '$1$2$3.js$2',
  );
  let rel = relative(dirname(file), join(dist, 'contract', 'index.js'))
    .split(sep)
    .join('/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  writeFileSync(file, text.replaceAll(/(['"])@openarky\/contract\1/g, `$1${rel}$1`));
}
writeFileSync(stamp, `${new Date().toISOString()}\n`);
