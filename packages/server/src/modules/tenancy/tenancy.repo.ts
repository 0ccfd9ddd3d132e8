import type { Insertable, Updateable } from 'kysely';
import { forUpdate } from '../../db/create-db.ts';
import type { Db } from '../../lib/context.ts';
import type { MembershipTable, StoreTable } from './tenancy.table.ts';

/** The only writers of `stores` and `memberships`: the stores domain calls these. */
export async function insertStoreRow(db: Db, row: Insertable<StoreTable>): Promise<void> {
  await db.insertInto('stores').values(row).execute();
}

export async function updateStoreRow(db: Db, id: string, set: Updateable<StoreTable>): Promise<void> {
  await db.updateTable('stores').set(set).where('id', '=', id).execute();
}

/** Removes the store; `ON DELETE CASCADE` removes every store-owned row with it. */
export async function deleteStoreRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('stores').where('id', '=', id).execute();
}

export async function findStoreRow(db: Db, id: string): Promise<StoreTable | undefined> {
  return db.selectFrom('stores').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findMembership(
  db: Db,
  storeId: string,
  accountId: string,
): Promise<MembershipTable | undefined> {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

/** Adds a membership or changes its role. */
export async function putMembership(db: Db, row: MembershipTable, exists: boolean): Promise<void> {
  if (exists) {
    await db
      .updateTable('memberships')
      .set({ role: row.role })
      .where('store_id', '=', row.store_id)
      .where('account_id', '=', row.account_id)
      .execute();
  } else {
    await db.insertInto('memberships').values(row).execute();
  }
}

export async function deleteMembership(db: Db, storeId: string, accountId: string): Promise<void> {
  await db
    .deleteFrom('memberships')
    .where('store_id', '=', storeId)
    .where('account_id', '=', accountId)
    .execute();
}

/** Account ids of the store's owners, locked so two concurrent demotions cannot both pass the check. */
export async function lockedOwnerIds(db: Db, storeId: string): Promise<string[]> {
  const rows = await forUpdate(
    db,
    db
      .selectFrom('memberships')
      .select('account_id')
      .where('store_id', '=', storeId)
      .where('role', '=', 'owner'),
  ).execute();
  return rows.map((r) => r.account_id);
}
