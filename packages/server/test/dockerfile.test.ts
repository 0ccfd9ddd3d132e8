import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './spawn.ts';

/**
 * No container runtime on this machine: the Dockerfile's stages are run as plain shell instead.
 * `git archive HEAD` gives the clean checkout the build context would be; each stage gets its own
 * directory standing for `/app`; `COPY`, `COPY --from`, `WORKDIR`, `ENV` and `RUN` are carried
 * out as written, then the runtime stage's CMD starts and its HEALTHCHECK must pass. Slow (a full
 * `npm ci`, from the local npm cache when it can): set DOCKERFILE_TEST=1 to run it.
 */
const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');

interface Step {
  op: string;
  args: string;
}
interface Stage {
  name: string;
  steps: Step[];
}

/** The Dockerfile's instructions grouped by stage (continuation lines joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [op, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op === 'FROM')
      stages.push({ name: /\bAS\s+(\S+)/i.exec(args)?.[1] ?? String(stages.length), steps: [] });
    else stages.at(-1)?.steps.push({ op: op!.toUpperCase(), args });
  }
  return stages;
}

const work = mkdtempSync(join(tmpdir(), 'openarky-dockerfile-'));
let server: ReturnType<typeof spawn> | undefined;
// Asynchronous: removing two node_modules trees synchronously blocks vitest's worker for minutes
// on a loaded machine (its RPC to the runner then times out).
afterAll(async () => {
  server?.kill('SIGTERM');
  await rm(work, { recursive: true, force: true });
}, 600_000);

describe.skipIf(!process.env.DOCKERFILE_TEST)('Dockerfile, run as plain shell on a clean checkout', () => {
  it('builds, and the runtime stage starts and passes its HEALTHCHECK', async () => {
    const context = join(work, 'context');
    mkdirSync(context);
    execFileSync('sh', ['-c', `git -C "${ROOT}" archive HEAD | tar -x -C "${context}"`]);
    const stages = parseDockerfile(readFileSync(join(context, 'Dockerfile'), 'utf8'));
    const roots = new Map<string, string>();
    let cmd: string[] = [];
    let healthcheck = '';
    let env: Record<string, string> = {};
    let workdir = '';
    for (const stage of stages) {
      const root = join(work, `stage-${stage.name}`);
      roots.set(stage.name, root);
      let cwd = root;
      env = {};
      for (const { op, args } of stage.steps) {
        const inStage = (p: string) => (p.startsWith('/') ? join(root, p) : join(cwd, p));
        if (op === 'WORKDIR') mkdirSync((cwd = inStage(args)), { recursive: true });
        else if (op === 'ENV')
          for (const [, k, v] of args.matchAll(/(\w+)=(\S+)/g))
            env[k!] = v!.replace('/data', join(root, 'data'));
        else if (op === 'COPY') {
          // `COPY src… dest` from the context, `COPY --from=stage /abs… dest` from that stage's root.
          const from = /^--from=(\S+)\s+/.exec(args)?.[1];
          const parts = args.replace(/^--from=\S+\s+/, '').split(/\s+/);
          const dest = inStage(parts.pop()!);
          for (const src of parts) {
            const file = from ? join(roots.get(from)!, src) : join(context, src);
            const into =
              src === '.' ? dest : parts.length > 1 || /\/$/.test(args) ? join(dest, basename(src)) : dest;
            mkdirSync(dirname(into), { recursive: true });
            cpSync(file, into, { recursive: true, verbatimSymlinks: true });
          }
        } else if (op === 'RUN') {
          // `mkdir -p /data && chown node:node /data`: the stage's own data directory, no chown.
          const script = args.replace(/\/data/g, join(root, 'data')).replace(/&& chown \S+ \S+/g, '');
          // Asynchronous: a synchronous npm ci would block vitest's worker for minutes.
          await run('sh', ['-c', script], {
            cwd,
            maxBuffer: 64 * 1024 * 1024,
            env: { ...process.env, ...env, npm_config_prefer_offline: 'true' },
          });
        } else if (op === 'CMD') {
          cmd = JSON.parse(args) as string[];
          workdir = cwd;
        } else if (op === 'HEALTHCHECK') healthcheck = args.replace(/^.*?\bCMD\s+/, '');
      }
    }
    expect(workdir.startsWith(work)).toBe(true);
    // What the image adds on top of its base: the runtime stage's files (before the server writes any).
    const size = async (dir: string) => Number((await run('du', ['-sk', dir])).stdout.split('\t')[0]);
    const app = roots.get(stages.at(-1)!.name)!;
    console.info(
      `runtime stage: ${Math.round((await size(app)) / 1024)} MB, ` +
        `of which node_modules ${Math.round((await size(join(workdir, 'node_modules'))) / 1024)} MB`,
    );
    const port = await freePort();
    server = spawn(cmd[0] === 'node' ? process.execPath : cmd[0]!, cmd.slice(1), {
      cwd: workdir,
      env: {
        PATH: process.env.PATH ?? '',
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        JWT_SECRET: 'container-secret-0123456789abcdef0123',
        ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    server.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    while (!out.includes('OpenArky is listening')) {
      expect(server.exitCode, out).toBeNull();
      await new Promise((r) => setTimeout(r, 100));
    }
    const check = healthcheck.replace(/^node -e /, '');
    const probe = spawn(process.execPath, ['-e', JSON.parse(check) as string], {
      env: { PATH: process.env.PATH ?? '', PORT: String(port) },
    });
    expect(await new Promise((r) => probe.on('exit', r))).toBe(0);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    // The image carries the built dashboard (not the "not built" 503 page).
    const dashboard = await fetch(`http://127.0.0.1:${port}/admin/`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('<div id="root">');
  }, 3_600_000);
});
