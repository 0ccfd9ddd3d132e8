import type { FastifyInstance } from 'fastify';
import type { Ctx, StoreCtx } from '../lib/context.ts';
import { randomBase62 } from '../lib/ids.ts';
import { isUniqueViolation } from '../db/create-db.ts';
import { findAccountByEmail, register, updateAccount } from '../modules/identity/index.ts';
import { createStore } from '../modules/stores/index.ts';
import { BUILT_IN_PERMISSIONS } from '../modules/tenancy/index.ts';
import { bookingStep, catalogueStep, contentStep } from './demo-steps.ts';

export interface DemoInfo {
  storeId: string;
  storeKey: string;
  email: string;
  password: string;
  apiKey: string;
}

/** What a demo step works with: the owner's context and the same context inside the demo store. */
export interface DemoContext {
  /** Acts as the demo owner (an account principal), inside the seeding transaction. */
  ctx: Ctx;
  /** The owner in the demo store: what store-scoped services take. */
  store: StoreCtx;
  info: DemoInfo;
}

/** One piece of demo data, created through the module's real services. */
export interface DemoStep {
  name: string;
  run(demo: DemoContext): Promise<void>;
}

/**
 * Steps run in order after the owner, store and API key exist. Modules append theirs as they land
 * (catalogue: products; booking: services and providers; CMS: entries), e.g.
 * `{ name: 'catalogue', run: async ({ store }) => { await createProduct(store, {...}) } }`.
 */
export const demoSteps: DemoStep[] = [catalogueStep, contentStep, bookingStep];

export const DEMO_EMAIL = 'demo@openarky.local';
export const DEMO_STORE_KEY = 'demo';

/**
 * Creates the demo store when the database has no store at all (main runs it only when
 * `SEED_DEMO` is on, which is never in production). Everything is created through the services in
 * one transaction: a failing step leaves no half-made demo. Returns null when nothing was seeded.
 */
export async function seedDemo(app: FastifyInstance): Promise<DemoInfo | null> {
  const { config, db, now } = app.deps;
  if (!config.seedDemo) return null;
  const any = await db.db.selectFrom('stores').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  const password = randomBase62(16);
  try {
    return await db.db.transaction().execute(async (trx) => {
      const base: Ctx = {
        db: trx,
        config,
        log: app.log,
        now,
        requestId: 'seed-demo',
        principal: { kind: 'anonymous' },
        modules: app.deps.modules,
      };
      await register(base, { email: DEMO_EMAIL, password, first_name: 'Demo', last_name: 'Owner' });
      const account = (await findAccountByEmail(trx, DEMO_EMAIL))!;
      const ctx: Ctx = {
        ...base,
        principal: {
          kind: 'account',
          accountId: account.id,
          email: account.email,
          tokenId: 'seed',
          via: 'jwt',
          superAdmin: false,
        },
      };
      const store = await createStore(ctx, {
        key: DEMO_STORE_KEY,
        timezone: 'UTC',
        billing_email: DEMO_EMAIL,
        languages: [{ id: 'en' }, { id: 'fr' }],
      });
      const keys = await updateAccount(ctx, { api_tokens: [{ id: null, name: 'demo' }] });
      const info: DemoInfo = {
        storeId: store.id,
        storeKey: store.key,
        email: DEMO_EMAIL,
        password,
        apiKey: keys.newly_created_tokens[0]!.value!,
      };
      const demo: DemoContext = {
        ctx,
        store: { ...ctx, store: { id: store.id, role: 'owner', permissions: BUILT_IN_PERMISSIONS.owner } },
        info,
      };
      for (const step of demoSteps) {
        app.log.debug({ step: step.name }, 'demo seed step');
        await step.run(demo);
      }
      return info;
    });
  } catch (error) {
    // Another process seeded at the same moment (same email or store key): nothing left to do.
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}
