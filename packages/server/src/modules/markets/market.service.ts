import type { CreateMarketBody, Market, UpdateMarketBody } from '@openarky/contract';
import { forUpdate, isUniqueViolation } from '../../db/create-db.ts';
import { withTx, type StoreCtx } from '../../lib/context.ts';
import { alreadyExists, inUse, notFound, validationError, type FieldError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';
import { normalizeMarketInput, type LocationRef, type NormalizedMarket } from './market.input.ts';
import { findMarket, listMarkets, toMarket } from './market.repo.ts';

/** Pickup `location_id`s must name pickup locations of this store; locks them against deletion. */
async function checkLocationRefs(ctx: StoreCtx, refs: LocationRef[]): Promise<FieldError[]> {
  if (!refs.length) return [];
  const ids = [...new Set(refs.map((r) => r.locationId))];
  const rows = await forUpdate(
    ctx.db,
    ctx.db
      .selectFrom('locations')
      .select(['id', 'is_pickup_location'])
      .where('store_id', '=', ctx.store.id)
      .where('id', 'in', ids),
  ).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const errors: FieldError[] = [];
  for (const ref of refs) {
    const row = byId.get(ref.locationId);
    if (!row)
      errors.push({
        field: ref.field,
        reason: 'not_found',
        message: `No location ${ref.locationId} in this store`,
      });
    else if (row.is_pickup_location !== 1)
      errors.push({
        field: ref.field,
        reason: 'not_pickup_location',
        message: `Location ${ref.locationId} is not a pickup location`,
      });
  }
  return errors;
}

async function validated(ctx: StoreCtx, normalized: NormalizedMarket): Promise<void> {
  const errors = [...normalized.errors, ...(await checkLocationRefs(ctx, normalized.locationRefs))];
  if (errors.length) throw validationError(errors);
}

async function keyTaken(ctx: StoreCtx, key: string, exceptId?: string): Promise<boolean> {
  let q = ctx.db
    .selectFrom('markets')
    .select('id')
    .where('store_id', '=', ctx.store.id)
    .where('key', '=', key);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Converts a unique-key race that slipped past the pre-check into the same 409. */
async function uniqueKey<T>(key: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('key', `Market key ${key} is taken in this store`);
    throw error;
  }
}

export async function getMarket(ctx: StoreCtx, idOrKey: string): Promise<Market> {
  const market = await findMarket(ctx.db, ctx.store.id, idOrKey);
  if (!market) throw notFound('market', `No market ${idOrKey}`);
  return market;
}

export const listStoreMarkets = (ctx: StoreCtx): Promise<Market[]> => listMarkets(ctx.db, ctx.store.id);

/** Creates a market at the end of the display order (CONTRACT §5.1). */
export async function createMarket(ctx: StoreCtx, input: CreateMarketBody): Promise<Market> {
  const id = newId('mkt');
  const normalized = normalizeMarketInput(input, {
    storeId: ctx.store.id,
    marketId: id,
    marketKey: input.key,
  });
  const m = normalized.value;
  return uniqueKey(input.key, () =>
    withTx(ctx, async (tx) => {
      await validated(tx, normalized);
      if (await keyTaken(tx, input.key))
        throw alreadyExists('key', `Market key ${input.key} is taken in this store`);
      const last = await tx.db
        .selectFrom('markets')
        .select((eb) => eb.fn.max('position').as('p'))
        .where('store_id', '=', ctx.store.id)
        .executeTakeFirst();
      const now = ctx.now();
      const row = {
        id,
        store_id: ctx.store.id,
        key: input.key,
        currency: m.currency!,
        tax_mode: m.tax_mode!,
        tax_bps: m.tax_bps ?? 0,
        payment_methods: toJson(m.payment_methods ?? [{ id: 'cash' }]),
        zones: toJson(m.zones ?? []),
        position: last?.p === null || last?.p === undefined ? 0 : Number(last.p) + 1,
        created_at: now,
        updated_at: now,
      };
      await tx.db.insertInto('markets').values(row).execute();
      return toMarket(row);
    }),
  );
}

/** Partial update; `zones` replaces the whole list. */
export async function updateMarket(ctx: StoreCtx, idOrKey: string, input: UpdateMarketBody): Promise<Market> {
  return uniqueKey(input.key, () =>
    withTx(ctx, async (tx) => {
      const current = await getMarket(tx, idOrKey);
      await forUpdate(tx.db, tx.db.selectFrom('markets').select('id').where('id', '=', current.id)).execute();
      const normalized = normalizeMarketInput(input, {
        storeId: ctx.store.id,
        marketId: current.id,
        marketKey: input.key ?? current.key,
      });
      await validated(tx, normalized);
      const m = normalized.value;
      if (m.key !== undefined && m.key !== current.key && (await keyTaken(tx, m.key, current.id))) {
        throw alreadyExists('key', `Market key ${m.key} is taken in this store`);
      }
      await tx.db
        .updateTable('markets')
        .set({
          ...(m.key !== undefined ? { key: m.key } : {}),
          ...(m.currency !== undefined ? { currency: m.currency } : {}),
          ...(m.tax_mode !== undefined ? { tax_mode: m.tax_mode } : {}),
          ...(m.tax_bps !== undefined ? { tax_bps: m.tax_bps } : {}),
          ...(m.payment_methods !== undefined ? { payment_methods: toJson(m.payment_methods) } : {}),
          ...(m.zones !== undefined ? { zones: toJson(m.zones) } : {}),
          updated_at: ctx.now(),
        })
        .where('id', '=', current.id)
        .execute();
      return getMarket(tx, current.id);
    }),
  );
}

/** Deletes a market; a store always keeps at least one (409 in_use, reason last_market). */
export async function deleteMarket(ctx: StoreCtx, idOrKey: string): Promise<void> {
  await withTx(ctx, async (tx) => {
    // Lock the store row so two concurrent deletes cannot remove the last two markets together.
    await forUpdate(tx.db, tx.db.selectFrom('stores').select('id').where('id', '=', ctx.store.id)).execute();
    const market = await getMarket(tx, idOrKey);
    const count = await tx.db
      .selectFrom('markets')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('store_id', '=', ctx.store.id)
      .executeTakeFirstOrThrow();
    if (Number(count.n) <= 1)
      throw inUse(
        'last_market',
        'A store needs at least one market; create another before deleting this one',
      );
    await tx.db.deleteFrom('markets').where('id', '=', market.id).execute();
  });
}
