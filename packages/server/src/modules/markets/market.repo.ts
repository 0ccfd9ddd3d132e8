import type { Market } from '@openarky/contract';
import type { Db } from '../../lib/context.ts';
import { fromJson } from '../../lib/json.ts';
import type { MarketTable } from './market.table.ts';

/** Row → wire Market (zones and payment methods are JSON columns). */
export function toMarket(row: MarketTable): Market {
  return {
    id: row.id,
    store_id: row.store_id,
    key: row.key,
    currency: row.currency,
    tax_mode: row.tax_mode,
    tax_bps: row.tax_bps,
    payment_methods: fromJson(row.payment_methods, []),
    zones: fromJson(row.zones, []),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The store's markets in display order (the first is the default market). */
export async function listMarkets(db: Db, storeId: string): Promise<Market[]> {
  const rows = await db
    .selectFrom('markets')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  return rows.map(toMarket);
}

/** A market by key (case-insensitive) or id, within one store. */
export async function findMarket(db: Db, storeId: string, keyOrId: string): Promise<Market | undefined> {
  const row = await db
    .selectFrom('markets')
    .selectAll()
    .where('store_id', '=', storeId)
    .where((eb) => eb.or([eb('key', '=', keyOrId.toLowerCase()), eb('id', '=', keyOrId)]))
    .executeTakeFirst();
  return row ? toMarket(row) : undefined;
}
