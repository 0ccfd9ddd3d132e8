import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { createDb, type DbHandle } from '../db/create-db.ts';
import { migrateToLatest, migrationStatus } from '../db/migrate.ts';
import { AppError } from '../lib/errors.ts';
import type { Ctx } from '../lib/context.ts';
import { systemClock } from '../lib/time.ts';
import { countStaleSecrets, rotateSecrets } from '../lib/rotate-secrets.ts';
import { findAccountByEmail, register } from '../modules/identity/index.ts';
import { createStore } from '../modules/stores/index.ts';
import { seedDemo } from '../seed/demo.ts';

/** A command line the CLI cannot run: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export interface Flags {
  email?: string | undefined;
  password?: string | undefined;
  super?: boolean | undefined;
  key?: string | undefined;
  owner?: string | undefined;
  timezone?: string | undefined;
  'billing-email'?: string | undefined;
  state?: string | undefined;
  limit?: string | undefined;
}

const out = (line: string) => console.log(line);

function need(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`--${flag} is required`);
  return value;
}

async function withDb<T>(config: Config, fn: (handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = createDb({ url: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

/** The real app without HTTP listening or background jobs: services need its wiring (events, hooks). */
async function withApp<T>(config: Config, fn: (app: FastifyInstance) => Promise<T>): Promise<T> {
  const app = await buildApp(
    { ...config, logLevel: config.logLevel === 'silent' ? 'silent' : 'warn' },
    { runJobs: false },
  );
  try {
    await app.ready();
    return await fn(app);
  } finally {
    await app.close();
  }
}

function serviceCtx(app: FastifyInstance, principal: Ctx['principal'] = { kind: 'anonymous' }): Ctx {
  const { db, config, now, modules } = app.deps;
  return { db: db.db, config, log: app.log, now, requestId: 'cli', principal, modules };
}

/** Runs one command; returns the exit code. */
export async function runCommand(config: Config, args: string[], flags: Flags): Promise<number> {
  const [command, sub] = args;
  try {
    switch (command) {
      case 'migrate':
        return await migrate(config, sub ?? 'up');
      case 'seed-demo':
        return await seed(config);
      case 'create-user':
        return await createUser(config, flags);
      case 'create-store':
        return await createStoreCommand(config, flags);
      case 'jobs':
        return await jobs(config, sub ?? 'list', args[2], flags);
      case 'secrets':
        if (sub !== 'rotate') throw new UsageError('secrets: the only subcommand is `rotate`');
        return await rotate(config);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof AppError) {
      console.error(`${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

async function migrate(config: Config, sub: string): Promise<number> {
  return withDb(config, async ({ db, describe }) => {
    if (sub === 'up') {
      const applied = await migrateToLatest(db);
      out(
        applied.length
          ? `applied ${applied.length} migration(s) to ${describe}: ${applied.join(', ')}`
          : `${describe} is up to date`,
      );
      return 0;
    }
    if (sub === 'status') {
      const status = await migrationStatus(db);
      out(`database: ${describe}`);
      out(`applied: ${status.applied} of ${status.expected}`);
      out(status.pending.length ? `pending: ${status.pending.join(', ')}` : 'pending: none');
      return 0;
    }
    throw new UsageError(`migrate: unknown subcommand "${sub}" (up, status)`);
  });
}

async function seed(config: Config): Promise<number> {
  // An explicit command: seeds even where SEED_DEMO is off (production), but never over existing stores.
  return withApp({ ...config, seedDemo: true }, async (app) => {
    const demo = await seedDemo(app);
    if (!demo) {
      out('the database already has a store: nothing seeded');
      return 0;
    }
    out(
      `demo store created\nstore:   ${demo.storeKey} (${demo.storeId})\nlogin:   ${demo.email} / ${demo.password}\nAPI key: ${demo.apiKey}`,
    );
    return 0;
  });
}

async function createUser(config: Config, flags: Flags): Promise<number> {
  const email = need(flags.email, 'email');
  const password = need(flags.password, 'password');
  if (password.length < 8) throw new UsageError('--password must be at least 8 characters');
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError('--email is not an email address');
  return withApp(config, async (app) => {
    const ctx = serviceCtx(app);
    await register(ctx, { email, password });
    const account = (await findAccountByEmail(ctx.db, email))!;
    if (flags.super)
      await ctx.db.updateTable('accounts').set({ platform_super: 1 }).where('id', '=', account.id).execute();
    out(
      `created account ${account.id} (${account.email})${flags.super ? ' with platform super-admin rights' : ''}`,
    );
    return 0;
  });
}

async function createStoreCommand(config: Config, flags: Flags): Promise<number> {
  const key = need(flags.key, 'key');
  const ownerEmail = need(flags.owner, 'owner');
  return withApp(config, async (app) => {
    const base = serviceCtx(app);
    const owner = await findAccountByEmail(base.db, ownerEmail);
    if (!owner) {
      console.error(`not_found: no account with email ${ownerEmail} (create it with create-user)`);
      return 1;
    }
    const ctx = serviceCtx(app, {
      kind: 'account',
      accountId: owner.id,
      email: owner.email,
      tokenId: 'cli',
      via: 'jwt',
      superAdmin: false,
    });
    const store = await createStore(ctx, {
      key,
      timezone: flags.timezone ?? 'UTC',
      billing_email: flags['billing-email'] ?? owner.email,
    });
    out(`created store ${store.key} (${store.id}) owned by ${owner.email}`);
    return 0;
  });
}

async function jobs(config: Config, sub: string, id: string | undefined, flags: Flags): Promise<number> {
  return withDb(config, async ({ db }) => {
    if (sub === 'list') {
      const state = flags.state ?? 'failed';
      if (!['failed', 'pending', 'done'].includes(state))
        throw new UsageError('--state must be failed, pending or done');
      const limit = Number(flags.limit ?? 50);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new UsageError('--limit must be a whole number from 1 to 1000');
      const rows = await db
        .selectFrom('jobs')
        .select(['id', 'kind', 'attempts', 'max_attempts', 'last_error', 'updated_at'])
        .where('state', '=', state as 'failed')
        .orderBy('updated_at', 'desc')
        .limit(limit)
        .execute();
      out(`${rows.length} ${state} job(s)`);
      for (const r of rows) {
        const when = new Date(Number(r.updated_at) * 1000).toISOString();
        out(
          `${r.id}  ${r.kind}  attempts ${r.attempts}/${r.max_attempts}  ${when}  ${(r.last_error ?? '').split('\n')[0]!.slice(0, 200)}`,
        );
      }
      return 0;
    }
    if (sub === 'retry') {
      if (!id) throw new UsageError('jobs retry needs a job id');
      const now = systemClock();
      // Only a failed job: a pending one is already due, a done one must not run twice.
      const res = await db
        .updateTable('jobs')
        .set({
          state: 'pending',
          run_at: now,
          attempts: 0,
          locked_by: null,
          locked_until: null,
          updated_at: now,
        })
        .where('id', '=', id)
        .where('state', '=', 'failed')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) {
        const row = await db.selectFrom('jobs').select('state').where('id', '=', id).executeTakeFirst();
        console.error(
          row ? `job ${id} is ${row.state}, not failed: nothing to retry` : `not_found: no job ${id}`,
        );
        return 1;
      }
      out(`job ${id} queued again; a running server picks it up within JOB_POLL_INTERVAL_MS`);
      return 0;
    }
    throw new UsageError(`jobs: unknown subcommand "${sub}" (list, retry)`);
  });
}

async function rotate(config: Config): Promise<number> {
  if (Object.keys(config.decryptionKeys).length < 2) {
    out(
      'ENCRYPTION_KEY_PREVIOUS is not set: secrets sealed under an older key cannot be opened; set it to the key ENCRYPTION_KEY replaced',
    );
  }
  return withDb(config, async ({ db }) => {
    const report = await rotateSecrets(db, config);
    let total = 0;
    for (const r of report) {
      total += r.resealed;
      out(
        `${r.table}.${r.column}: ${r.resealed} re-sealed${r.unopenable ? `, ${r.unopenable} under an unknown key (left as is)` : ''}`,
      );
    }
    const stale = await countStaleSecrets(db, config);
    out(`${total} value(s) re-sealed under key ${config.encryptionKeyId}; ${stale} still under another key`);
    return stale === 0 ? 0 : 1;
  });
}
