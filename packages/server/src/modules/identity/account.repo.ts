import type { Db } from '../../lib/context.ts';
import type { AccountTable } from './identity.table.ts';

export type AccountRow = AccountTable;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findAccountByEmail(db: Db, email: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

export async function findAccountById(db: Db, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertAccount(
  db: Db,
  row: Pick<AccountRow, 'id' | 'email' | 'password_hash' | 'provider' | 'confirmed' | 'created_at'> &
    Partial<Pick<AccountRow, 'first_name' | 'last_name' | 'last_login_at'>>,
): Promise<void> {
  await db
    .insertInto('accounts')
    .values({
      first_name: null,
      last_name: null,
      phone: null,
      avatar: null,
      phone_numbers: '[]',
      addresses: '[]',
      last_login_at: null,
      updated_at: row.created_at,
      ...row,
      email: normalizeEmail(row.email),
    })
    .execute();
}
