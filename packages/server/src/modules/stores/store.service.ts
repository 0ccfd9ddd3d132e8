import type { Static } from '@sinclair/typebox';
import type { CreateStoreBody, ListStoresQuery, PageOf, Store, UpdateStoreBody } from '@openarky/contract';
import { isUniqueViolation } from '../../db/create-db.ts';
import { withTx, type Ctx, type StoreCtx } from '../../lib/context.ts';
import { alreadyExists, notFound, validationError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import { paginate } from '../../lib/pagination.ts';
import { insertDefaultMarkets } from '../markets/index.ts';
import {
  deleteStoreRow,
  findStoreRow,
  insertStoreRow,
  putMembership,
  requireAccount,
  requireRole,
  updateStoreRow,
} from '../tenancy/index.ts';
import { toStore } from './store.mapper.ts';

/** True for IANA zone names the runtime knows (`America/New_York`, `UTC`). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}

/** 002 `[{ code, isDefault }]` → `[{ id }]` with the default first; duplicates removed. */
function normalizeLanguages(input: { id: string; is_default?: boolean | undefined }[]): { id: string }[] {
  const sorted = [...input].sort((a, b) => Number(b.is_default ?? false) - Number(a.is_default ?? false));
  const seen = new Set<string>();
  const out: { id: string }[] = [];
  for (const l of sorted) {
    const id = l.id.toLowerCase();
    if (!seen.has(id)) out.push({ id });
    seen.add(id);
  }
  return out;
}

const MAX_SETTINGS_BYTES = 64 * 1024;
function checkSettings(settings: unknown): void {
  if (settings !== undefined && Buffer.byteLength(JSON.stringify(settings)) > MAX_SETTINGS_BYTES) {
    throw validationError({
      field: 'settings',
      reason: 'max_size',
      message: 'settings must be at most 64 KiB of JSON',
    });
  }
}

export async function createStore(ctx: Ctx, input: Static<typeof CreateStoreBody>): Promise<Store> {
  const principal = requireAccount(ctx);
  if (!isTimeZone(input.timezone)) {
    throw validationError({
      field: 'timezone',
      reason: 'invalid_timezone',
      message: `${input.timezone} is not an IANA time zone`,
    });
  }
  checkSettings(input.settings);
  const now = ctx.now();
  const id = newId('store');
  const billing = input.billing_email.trim().toLowerCase();
  try {
    return await withTx(ctx, async (tx) => {
      await insertStoreRow(tx.db, {
        id,
        key: input.key,
        timezone: input.timezone,
        languages: toJson(normalizeLanguages(input.languages ?? [{ id: 'en' }])),
        emails: toJson({
          billing: input.emails?.billing ?? billing,
          support: input.emails?.support ?? billing,
        }),
        status: 'active',
        is_network: 0,
        settings: toJson(input.settings ?? {}),
        created_at: now,
        updated_at: now,
      });
      await putMembership(
        tx.db,
        { store_id: id, account_id: principal.accountId, role: 'owner', joined_at: now },
        false,
      );
      await insertDefaultMarkets(tx.db, id, now);
      const store = await getStoreById(tx, id);
      await emit(tx, 'store.created', store, id);
      return store;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('key', `Store key ${input.key} is taken`);
    throw error;
  }
}

/** Every `Store.counts` key of the contract (0 until the module that owns it is installed), then the installed counters. */
const COUNT_KEYS = ['products', 'services', 'providers', 'nodes', 'media', 'orders', 'members'] as const;
async function storeCounts(ctx: Ctx, storeId: string): Promise<Record<string, number>> {
  const counted = await ctx.modules.storeCounts(ctx.db, storeId);
  return { ...Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])), ...counted };
}

export async function getStoreById(ctx: Ctx, id: string): Promise<Store> {
  const row = await findStoreRow(ctx.db, id);
  if (!row) throw notFound('store');
  const subscription = await ctx.db
    .selectFrom('subscriptions')
    .selectAll()
    .where('store_id', '=', id)
    .executeTakeFirst();
  return toStore(row, { subscription: subscription ?? null, counts: await storeCounts(ctx, id) });
}

/** Stores where the caller is a member (platform super-admins: all). */
export async function listStores(ctx: Ctx, q: Static<typeof ListStoresQuery>): Promise<PageOf<Store>> {
  const principal = requireAccount(ctx);
  let qb = ctx.db.selectFrom('stores').selectAll('stores');
  if (!principal.superAdmin) {
    qb = qb.where(
      'stores.id',
      'in',
      ctx.db.selectFrom('memberships').select('store_id').where('account_id', '=', principal.accountId),
    );
  }
  if (q.status) qb = qb.where('stores.status', '=', q.status);
  if (q.is_network !== undefined) qb = qb.where('stores.is_network', '=', q.is_network ? 1 : 0);
  if (q.query) {
    const like = `%${q.query.toLowerCase()}%`;
    qb = qb.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['stores.key']), 'like', like),
        eb(eb.fn('lower', ['stores.emails']), 'like', like),
      ]),
    );
  }
  const page = await paginate(qb, q, {
    columns: { created_at: 'stores.created_at', updated_at: 'stores.updated_at', key: 'stores.key' },
  });
  return { ...page, items: page.items.map((row) => toStore(row)) };
}

export async function updateStore(ctx: StoreCtx, input: Static<typeof UpdateStoreBody>): Promise<Store> {
  if (input.status !== undefined) requireRole(ctx, 'owner', 'a status change');
  if (input.is_network !== undefined) requireRole(ctx, 'super', 'an is_network change');
  if (input.timezone !== undefined && !isTimeZone(input.timezone)) {
    throw validationError({
      field: 'timezone',
      reason: 'invalid_timezone',
      message: `${input.timezone} is not an IANA time zone`,
    });
  }
  checkSettings(input.settings);
  try {
    return await withTx(ctx, async (tx) => {
      const current = (await findStoreRow(tx.db, ctx.store.id))!;
      const emails = input.emails ? { ...fromJson<object>(current.emails, {}), ...input.emails } : undefined;
      await updateStoreRow(tx.db, ctx.store.id, {
        ...(input.key !== undefined ? { key: input.key } : {}),
        ...(input.timezone !== undefined ? { timezone: input.timezone } : {}),
        ...(input.languages !== undefined ? { languages: toJson(normalizeLanguages(input.languages)) } : {}),
        ...(emails ? { emails: toJson(emails) } : {}),
        ...(input.settings !== undefined ? { settings: toJson(input.settings) } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.is_network !== undefined ? { is_network: input.is_network ? 1 : 0 } : {}),
        updated_at: ctx.now(),
      });
      const store = await getStoreById(tx, ctx.store.id);
      await emit(tx, 'store.updated', store, ctx.store.id);
      return store;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('key', `Store key ${input.key} is taken`);
    throw error;
  }
}

/**
 * Deletes the store and, through `ON DELETE CASCADE` on every store-owned table, every row that
 * belongs to it. The `store.deleted` event stays in the outbox (it has no foreign key).
 */
export async function deleteStore(ctx: StoreCtx): Promise<void> {
  requireRole(ctx, 'owner', 'deleting the store');
  await withTx(ctx, async (tx) => {
    const store = await getStoreById(tx, ctx.store.id);
    await emit(tx, 'store.deleted', { id: store.id, key: store.key }, ctx.store.id);
    await tx.modules.beforeStoreDelete(tx);
    await deleteStoreRow(tx.db, ctx.store.id);
  });
}
