import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createDb, createScratchDatabase, type DbHandle } from '../src/db/create-db.ts';
import { newId } from '../src/lib/ids.ts';
import { sealSecret } from '../src/lib/crypto.ts';
import { countStaleSecrets } from '../src/lib/rotate-secrets.ts';
import { ENGINE, testConfig } from './helpers.ts';
import { call, createStore, registerAccount } from './fixtures.ts';
import { ensureServerBuilt, spawnServer } from './spawn.ts';

/** The `openarky` CLI (the server package's bin) run as a child process on this run's engine. */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'packages/server/bin/openarky.js');
/** The compiled CLI the bin runs once dist is fresh (`beforeAll` builds it): most calls skip the bin's staleness walk. */
const compiled = join(root, 'packages/server/dist/cli.js');
const KEY_A = Buffer.alloc(32, 7).toString('base64');
const KEY_B = Buffer.alloc(32, 8).toString('base64');

let env: Record<string, string>;
let handle: DbHandle;
let drop: () => Promise<void>;

beforeAll(async () => {
  ensureServerBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'openarky-cli-'));
  const scratch = await createScratchDatabase(ENGINE, {
    adminUrl: process.env.TEST_DATABASE_URL,
    dir,
    name: `oa_cli_${randomBytes(4).toString('hex')}`,
  });
  env = scratch.url ? { DATABASE_URL: scratch.url, DATA_DIR: dir } : { DATA_DIR: dir };
  handle = createDb({
    url: scratch.url,
    sqliteFile: join(dir, 'openarky.db'),
    poolMax: 2,
  });
  drop = async () => {
    await handle.close();
    await scratch.drop();
  };
});
afterAll(async () => drop?.());

function cli(
  args: string[],
  extra: Record<string, string> = {},
  entry = compiled,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [entry, ...args],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          JWT_SECRET: 'cli-test-secret-0123456789abcdef0123',
          ENCRYPTION_KEY: KEY_A,
          PASSWORD_HASH_COST: '10',
          ...env,
          ...extra,
        },
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          out: stdout,
          err: stderr,
        }),
    );
  });
}

/** A queued job row, as any module's enqueue writes it. */
async function insertJob(kind: string, payload: unknown, now = Math.floor(Date.now() / 1000)): Promise<void> {
  await handle.db
    .insertInto('jobs')
    .values({
      id: newId('job'),
      kind,
      dedupe_key: null,
      payload: JSON.stringify(payload),
      state: 'pending',
      run_at: now,
      attempts: 0,
      max_attempts: 5,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** The app on the CLI's database, to check what the commands did through HTTP. */
async function appOn(overrides: Record<string, string> = {}): Promise<FastifyInstance> {
  const app = await buildApp(testConfig({ ENCRYPTION_KEY: KEY_A, ...overrides }), {
    db: handle,
    runJobs: false,
  });
  await app.ready();
  return app;
}

// Every command is a fresh Node process (several seconds each on a loaded machine).
describe('openarky CLI', { timeout: 240_000 }, () => {
  it('prints usage and exits 2 on an unknown command', async () => {
    const res = await cli(['frobnicate'], {}, bin);
    expect(res.code).toBe(2);
    expect(res.err).toContain('unknown command "frobnicate"');
    expect(res.err).toContain('usage: openarky');
  });

  it('migrate status lists pending migrations, migrate applies them, MIGRATE_ON_START=false is honoured', async () => {
    const before = await cli(['migrate', 'status']);
    expect(before.code).toBe(0);
    expect(before.out).toMatch(/applied: 0 of \d+/);
    expect(before.out).toContain('0001_foundation');

    // A server told not to migrate starts on the empty database and reports itself not ready.
    const server = await spawnServer({ ...env, MIGRATE_ON_START: 'false' }, 180_000);
    try {
      const notReady = await fetch(`${server.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(((await notReady.json()) as { status: string }).status).toBe('migrations_pending');

      const up = await cli(['migrate']);
      expect(up.code).toBe(0);
      expect(up.out).toMatch(/applied \d+ migration\(s\)/);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const after = await cli(['migrate', 'status']);
    expect(after.out).toContain('pending: none');
    expect((await cli(['migrate', 'up'])).out).toContain('is up to date');
    expect((await cli(['migrate', 'sideways'])).code).toBe(2);
  });

  it('create-user makes an account that can log in; --super makes it a platform super-admin', async () => {
    const res = await cli([
      'create-user',
      '--email',
      'Root@Example.com',
      '--password',
      'a long password',
      '--super',
    ]);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/created account acc_\w+ \(root@example.com\) with platform super-admin rights/);
    expect(
      (await cli(['create-user', '--email', 'root@example.com', '--password', 'another password'])).code,
    ).toBe(1);
    expect((await cli(['create-user', '--email', 'x@example.com', '--password', 'short'])).code).toBe(2);
    expect((await cli(['create-user', '--password', 'a long password'])).code).toBe(2);

    const app = await appOn();
    try {
      const login = await call(app, null, {
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: 'root@example.com', password: 'a long password' },
      });
      expect(login.status).toBe(200);
      const root = { headers: { authorization: `Bearer ${login.body.access_token}` } };
      // A super-admin reaches a store it is not a member of.
      const other = await registerAccount(app);
      const storeId = await createStore(app, other);
      expect((await call(app, root, { url: `/v1/stores/${storeId}` })).status).toBe(200);
      expect((await call(app, other, { url: `/v1/stores/${storeId}` })).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('create-store makes a store owned by an existing account', async () => {
    expect(
      (await cli(['create-user', '--email', 'shopkeeper@example.com', '--password', 'a long password'])).code,
    ).toBe(0);
    const res = await cli([
      'create-store',
      '--key',
      'corner-shop',
      '--owner',
      'shopkeeper@example.com',
      '--timezone',
      'Europe/Paris',
    ]);
    expect(res.code, res.err).toBe(0);
    const id = /\((store_\w+)\)/.exec(res.out)?.[1];
    const row = await handle.db
      .selectFrom('stores')
      .select(['key', 'timezone'])
      .where('id', '=', id!)
      .executeTakeFirst();
    expect(row).toEqual({ key: 'corner-shop', timezone: 'Europe/Paris' });
    const member = await handle.db
      .selectFrom('memberships')
      .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
      .select(['accounts.email', 'memberships.role'])
      .where('memberships.store_id', '=', id!)
      .execute();
    expect(member).toEqual([{ email: 'shopkeeper@example.com', role: 'owner' }]);

    expect(
      (await cli(['create-store', '--key', 'corner-shop', '--owner', 'shopkeeper@example.com'])).err,
    ).toContain('already_exists');
    expect((await cli(['create-store', '--key', 'nobody-shop', '--owner', 'ghost@example.com'])).code).toBe(
      1,
    );
    expect(
      (
        await cli([
          'create-store',
          '--key',
          'bad-zone',
          '--owner',
          'shopkeeper@example.com',
          '--timezone',
          'Mars/Olympus',
        ])
      ).err,
    ).toContain('validation_error');
  });

  it('jobs lists failed jobs and retries one', async () => {
    const now = Math.floor(Date.now() / 1000);
    await insertJob('test.cli-failed', { n: 1 }, now);
    const job = await handle.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', 'test.cli-failed')
      .executeTakeFirstOrThrow();
    await handle.db
      .updateTable('jobs')
      .set({ state: 'failed', attempts: 5, last_error: 'boom: receiver said 500' })
      .where('id', '=', job.id)
      .execute();

    const list = await cli(['jobs']);
    expect(list.code).toBe(0);
    expect(list.out).toContain(job.id);
    expect(list.out).toContain('boom: receiver said 500');

    const retry = await cli(['jobs', 'retry', job.id]);
    expect(retry.code, retry.err).toBe(0);
    const row = await handle.db
      .selectFrom('jobs')
      .select(['state', 'attempts'])
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'pending', attempts: 0 });
    expect((await cli(['jobs', 'retry', job.id])).err).toContain('is pending, not failed');
    expect((await cli(['jobs', 'retry', 'job_missing'])).err).toContain('no job job_missing');
    expect((await cli(['jobs', 'list'])).out).not.toContain(job.id);
  });

  it('secrets rotate re-seals every stored secret under the new key', async () => {
    // Secrets under key A: a webhook (through the API), an idempotent reply and a mail job payload.
    const app = await appOn();
    let storeId: string;
    let webhookId: string;
    let owner: Awaited<ReturnType<typeof registerAccount>>;
    try {
      owner = await registerAccount(app);
      storeId = await createStore(app, owner);
      const hook = await call(app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/webhooks`,
        headers: { 'idempotency-key': 'rotate-1' },
        payload: {
          key: 'rotate',
          url: 'https://example.com/hook',
          events: [{ event: 'order.created' }],
          secret: 'whsec_rotate_me',
        },
      });
      expect(hook.status).toBe(201);
      webhookId = hook.body.id;
    } finally {
      await app.close();
    }
    const keyA = Buffer.from(KEY_A, 'base64');
    const configA = testConfig({ ENCRYPTION_KEY: KEY_A });
    await insertJob('email.send', {
      to: 'x@example.com',
      secrets: { code: sealSecret(keyA, configA.encryptionKeyId, '123456') },
    });
    const configB = testConfig({ ENCRYPTION_KEY: KEY_B, ENCRYPTION_KEY_PREVIOUS: KEY_A });
    expect(await countStaleSecrets(handle.db, configB)).toBeGreaterThanOrEqual(3);

    // Without the previous key, nothing can be opened: the command says so and fails.
    const blind = await cli(['secrets', 'rotate'], { ENCRYPTION_KEY: KEY_B });
    expect(blind.code).toBe(1);
    expect(blind.out).toContain('ENCRYPTION_KEY_PREVIOUS is not set');

    const res = await cli(['secrets', 'rotate'], { ENCRYPTION_KEY: KEY_B, ENCRYPTION_KEY_PREVIOUS: KEY_A });
    expect(res.code, res.out + res.err).toBe(0);
    expect(res.out).toContain('webhooks.secret_sealed: 1 re-sealed');
    expect(res.out).toContain('idempotency_keys.response_body');
    expect(res.out).toContain('jobs.payload');
    expect(await countStaleSecrets(handle.db, configB)).toBe(0);

    // A server holding only key B reads the webhook secret.
    const appB = await appOn({ ENCRYPTION_KEY: KEY_B });
    try {
      const login = await call(appB, null, {
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: owner!.email, password: 'correct horse battery' },
      });
      const caller = { headers: { authorization: `Bearer ${login.body.access_token}` } };
      const got = await call(appB, caller, { url: `/v1/stores/${storeId!}/webhooks/${webhookId!}` });
      expect(got.status).toBe(200);
      expect(got.body.secret).toBe('whsec_rotate_me');
    } finally {
      await appB.close();
    }
  });

  it('seed-demo creates the demo store once', async () => {
    // This database already has stores: nothing to do.
    const res = await cli(['seed-demo']);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('already has a store');
  });
});
