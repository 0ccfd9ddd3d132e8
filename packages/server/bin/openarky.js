#!/usr/bin/env node
// `openarky <command>` (see src/cli.ts). Runs the compiled CLI; in a source checkout it first
// rebuilds dist when a source is newer, so a fresh clone needs no separate build step.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const build = new URL('../scripts/build.js', import.meta.url);
if (existsSync(build)) {
  const res = spawnSync(process.execPath, [build.pathname, '--if-stale'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (res.status !== 0) process.exit(res.status ?? 1);
}
await import('../dist/cli.js');
