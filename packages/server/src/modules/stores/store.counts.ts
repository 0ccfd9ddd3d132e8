import type { Db } from '../../lib/context.ts';

type Counter = (db: Db, storeId: string) => Promise<number>;

/** `Store.counts` keys (CONTRACT §4); modules register how to count theirs as they land. */
const counters = new Map<string, Counter>([
  ['products', async () => 0],
  ['services', async () => 0],
  ['providers', async () => 0],
  ['nodes', async () => 0],
  ['media', async () => 0],
  ['orders', async () => 0],
  [
    'members',
    async (db, storeId) =>
      Number((await db.selectFrom('memberships').select((eb) => eb.fn.countAll().as('n')).where('store_id', '=', storeId).executeTakeFirstOrThrow()).n),
  ],
]);

/** Counts rows of `table` with this store_id. */
export function registerStoreCount(name: string, table: string): void {
  counters.set(name, async (db, storeId) => {
    const row = await (db as Db)
      .selectFrom(table as 'stores')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('store_id' as never, '=', storeId as never)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  });
}

export async function storeCounts(db: Db, storeId: string): Promise<Record<string, number>> {
  const entries = await Promise.all([...counters].map(async ([name, count]) => [name, await count(db, storeId)] as const));
  return Object.fromEntries(entries);
}
