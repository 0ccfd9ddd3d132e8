import type { CreateLocationBody, Location, UpdateLocationBody } from '@openarky/contract';
import { forUpdate, isUniqueViolation } from '../../db/create-db.ts';
import { withTx, type Ctx, type StoreCtx } from '../../lib/context.ts';
import { alreadyExists, inUse, notFound, validationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';
import { findCountry } from '../platform/index.ts';
import { findLocationRow, toLocation } from './location.repo.ts';
import { listMarkets } from './market.repo.ts';

type AddressInput = CreateLocationBody['address'];

/** Country upper-cased and checked against ISO 3166-1; other fields trimmed as given. */
function normalizeAddress(address: AddressInput): AddressInput {
  if (address.country === undefined) return address;
  const country = address.country.toUpperCase();
  if (!findCountry(country)) {
    throw validationError({
      field: 'address.country',
      reason: 'invalid_country',
      message: `${address.country} is not an ISO 3166-1 alpha-2 country`,
    });
  }
  return { ...address, country };
}

/** Shipping methods (by market key and method id) whose pickup location is this one. */
async function methodsUsing(ctx: Ctx, storeId: string, locationId: string): Promise<string[]> {
  const uses: string[] = [];
  for (const market of await listMarkets(ctx.db, storeId)) {
    for (const zone of market.zones) {
      for (const m of zone.shipping_methods)
        if (m.location_id === locationId) uses.push(`${market.key}/${m.id}`);
    }
  }
  return uses;
}

async function lockedLocation(ctx: StoreCtx, idOrKey: string) {
  const row = await findLocationRow(ctx.db, ctx.store.id, idOrKey);
  if (!row) throw notFound('location', `No location ${idOrKey}`);
  // Market writes lock the locations they reference: this orders the in-use check against them.
  await forUpdate(ctx.db, ctx.db.selectFrom('locations').select('id').where('id', '=', row.id)).execute();
  return row;
}

async function uniqueKey<T>(key: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('key', `Location key ${key} is taken in this store`);
    throw error;
  }
}

async function keyTaken(ctx: StoreCtx, key: string, exceptId?: string): Promise<boolean> {
  let q = ctx.db
    .selectFrom('locations')
    .select('id')
    .where('store_id', '=', ctx.store.id)
    .where('key', '=', key);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function getLocation(ctx: Ctx, storeId: string, idOrKey: string): Promise<Location> {
  const row = await findLocationRow(ctx.db, storeId, idOrKey);
  if (!row) throw notFound('location', `No location ${idOrKey}`);
  return toLocation(row);
}

export async function createLocation(ctx: StoreCtx, input: CreateLocationBody): Promise<Location> {
  const address = normalizeAddress(input.address);
  return uniqueKey(input.key, () =>
    withTx(ctx, async (tx) => {
      if (await keyTaken(tx, input.key))
        throw alreadyExists('key', `Location key ${input.key} is taken in this store`);
      const now = ctx.now();
      const row = {
        id: newId('loc'),
        store_id: ctx.store.id,
        key: input.key,
        address: toJson(address),
        is_pickup_location: input.is_pickup_location ? 1 : 0,
        coordinates: input.coordinates ? toJson(input.coordinates) : null,
        created_at: now,
        updated_at: now,
      };
      await tx.db.insertInto('locations').values(row).execute();
      return toLocation(row);
    }),
  );
}

/** Partial update; `address` replaces the whole address. */
export async function updateLocation(
  ctx: StoreCtx,
  idOrKey: string,
  input: UpdateLocationBody,
): Promise<Location> {
  const address = input.address ? normalizeAddress(input.address) : undefined;
  return uniqueKey(input.key, () =>
    withTx(ctx, async (tx) => {
      const current = await lockedLocation(tx, idOrKey);
      if (
        input.key !== undefined &&
        input.key !== current.key &&
        (await keyTaken(tx, input.key, current.id))
      ) {
        throw alreadyExists('key', `Location key ${input.key} is taken in this store`);
      }
      if (input.is_pickup_location === false && current.is_pickup_location === 1) {
        const uses = await methodsUsing(tx, ctx.store.id, current.id);
        if (uses.length)
          throw inUse('location_in_use', `Shipping methods ${uses.join(', ')} pick up at this location`);
      }
      await tx.db
        .updateTable('locations')
        .set({
          ...(input.key !== undefined ? { key: input.key } : {}),
          ...(address !== undefined ? { address: toJson(address) } : {}),
          ...(input.is_pickup_location !== undefined
            ? { is_pickup_location: input.is_pickup_location ? 1 : 0 }
            : {}),
          ...(input.coordinates !== undefined
            ? { coordinates: input.coordinates ? toJson(input.coordinates) : null }
            : {}),
          updated_at: ctx.now(),
        })
        .where('id', '=', current.id)
        .execute();
      return getLocation(tx, ctx.store.id, current.id);
    }),
  );
}

/** Deletes a location unless a shipping method picks up there (409 in_use, reason location_in_use). */
export async function deleteLocation(ctx: StoreCtx, idOrKey: string): Promise<void> {
  await withTx(ctx, async (tx) => {
    const current = await lockedLocation(tx, idOrKey);
    const uses = await methodsUsing(tx, ctx.store.id, current.id);
    if (uses.length)
      throw inUse('location_in_use', `Shipping methods ${uses.join(', ')} pick up at this location`);
    await tx.db.deleteFrom('locations').where('id', '=', current.id).execute();
  });
}
