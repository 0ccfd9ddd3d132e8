import type { Location } from '@openarky/contract';
import type { Db } from '../../lib/context.ts';
import { fromJson } from '../../lib/json.ts';
import type { LocationTable } from './market.table.ts';

/** Row → wire Location (address and coordinates are JSON columns). */
export function toLocation(row: LocationTable): Location {
  return {
    id: row.id,
    store_id: row.store_id,
    key: row.key,
    address: fromJson(row.address, {}),
    is_pickup_location: row.is_pickup_location === 1,
    coordinates: fromJson(row.coordinates, null),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The store's locations, oldest first. */
export async function listLocations(db: Db, storeId: string): Promise<Location[]> {
  const rows = await db
    .selectFrom('locations')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toLocation);
}

/** A location by id or key, within one store. */
export async function findLocationRow(
  db: Db,
  storeId: string,
  idOrKey: string,
): Promise<LocationTable | undefined> {
  return db
    .selectFrom('locations')
    .selectAll()
    .where('store_id', '=', storeId)
    .where((eb) => eb.or([eb('id', '=', idOrKey), eb('key', '=', idOrKey.toLowerCase())]))
    .executeTakeFirst();
}
