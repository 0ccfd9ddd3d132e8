/**
 * Cold start and idle memory of the real server process: time from spawn until /healthz answers,
 * and RSS after 3 s idle, `NODE_ENV=production`. `npm run bench -- startup` (PostgreSQL when
 * BENCH_DATABASE_URL is set; BENCH_SERVER_ENTRY=path/to/main.js measures a compiled build).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function startup(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  // BENCH_START=tsx measures the TypeScript sources through tsx (the pre-build way) instead of dist.
  const viaTsx = process.env.BENCH_START === 'tsx';
  if (!viaTsx)
    execFileSync(process.execPath, ['packages/server/scripts/build.js', '--if-stale'], { stdio: 'inherit' });
  const entry = viaTsx
    ? ['--import', 'tsx', 'packages/server/src/main.ts']
    : ['--enable-source-maps', 'packages/server/dist/main.js'];
  const results: { ms: number; cpuMs: number; rssMiB: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'openarky-bench-start-'));
    const port = 18000 + i;
    const started = performance.now();
    const child = spawn(process.execPath, entry, {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
        ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dir,
        SEED_DEMO: 'false',
        LOG_LEVEL: 'warn',
        ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
      },
      stdio: 'ignore',
    });
    let ms = 0;
    let cpuMs = 0;
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.ok) {
          ms = performance.now() - started;
          // CPU time spent until ready (utime + stime, clock ticks of 10 ms): steadier than wall time on a busy machine.
          const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          cpuMs = (Number(stat[11]) + Number(stat[12])) * 10;
          break;
        }
      } catch {
        /* not yet */
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 3000));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
    results.push({ ms: Math.round(ms), cpuMs, rssMiB: Math.round(rssKiB / 1024) });
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
  console.log(
    `entry: ${viaTsx ? 'tsx src/main.ts' : 'dist/main.js'}; engine: ${process.env.BENCH_DATABASE_URL ? 'postgres' : 'sqlite'} (fresh database each run, migrations included)`,
  );
  console.log(
    `cold start to first /healthz: median ${median(results.map((r) => r.ms))} ms  (runs: ${results.map((r) => r.ms).join(', ')})`,
  );
  console.log(
    `CPU time until ready: median ${median(results.map((r) => r.cpuMs))} ms  (runs: ${results.map((r) => r.cpuMs).join(', ')})`,
  );
  console.log(
    `idle RSS after 3 s: median ${median(results.map((r) => r.rssMiB))} MiB  (runs: ${results.map((r) => r.rssMiB).join(', ')})`,
  );
}
