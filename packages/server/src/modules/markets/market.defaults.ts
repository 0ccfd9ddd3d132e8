import type { Db } from '../../lib/context.ts';
import { newId } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';

/** The two markets every new store gets (seed 000; tax, methods and zones are CONTRACT §4 defaults). */
export const DEFAULT_MARKETS = [
  { key: 'us', currency: 'USD', tax_mode: 'exclusive' as const },
  { key: 'eu', currency: 'EUR', tax_mode: 'inclusive' as const },
];

export async function insertDefaultMarkets(db: Db, storeId: string, now: number): Promise<void> {
  await db
    .insertInto('markets')
    .values(
      DEFAULT_MARKETS.map((m, position) => ({
        id: newId('mkt'),
        store_id: storeId,
        key: m.key,
        currency: m.currency,
        tax_mode: m.tax_mode,
        tax_bps: 0,
        payment_methods: toJson([{ id: 'cash' }]),
        zones: '[]',
        position,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}
