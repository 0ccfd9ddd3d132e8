import { sql, type Kysely } from 'kysely';
import type { Config } from '../config.ts';
import { openSecret, sealSecret } from './crypto.ts';

type KeyConfig = Pick<Config, 'encryptionKey' | 'encryptionKeyId' | 'decryptionKeys'>;

/** A sealed secret (`v1.<keyId>.<iv>.<tag>.<ciphertext>`) alone or inside a JSON text (job payloads). */
const SEALED =
  /(?<![A-Za-z0-9_.-])v1\.([0-9a-f]{8})\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)(?![A-Za-z0-9_.-])/g;

export interface RotationColumn {
  table: string;
  column: string;
  /** Rows rewritten under the current key. */
  resealed: number;
  /** Sealed values naming a key this process does not hold (left as they are). */
  unopenable: number;
}

/**
 * Re-seals every secret stored under an older key (ENCRYPTION_KEY_PREVIOUS) with the current
 * ENCRYPTION_KEY. Rather than a list of known columns, which the next module to store a secret
 * would silently miss, every text column of every table is searched for the sealed format (whole
 * values such as integration and webhook secrets and idempotent replies, and values inside JSON such
 * as queued mail jobs). Each row is replaced only if it still holds what was read (compare and
 * set), so a server writing at the same time loses nothing; run it again until it reports 0.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- walks every table found by introspection, so no static schema applies
export async function rotateSecrets(db: Kysely<any>, config: KeyConfig): Promise<RotationColumn[]> {
  const oldIds = Object.keys(config.decryptionKeys).filter((id) => id !== config.encryptionKeyId);
  const tables = await db.introspection.getTables();
  const report: RotationColumn[] = [];
  for (const table of tables) {
    if (table.isView || table.name.startsWith('kysely_')) continue;
    for (const column of table.columns) {
      if (!/^(text|varchar|character varying)$/i.test(column.dataType)) continue;
      const entry: RotationColumn = { table: table.name, column: column.name, resealed: 0, unopenable: 0 };
      const ref = sql.ref(column.name);
      const rows = await db
        .selectFrom(table.name)
        .select(sql<string>`${ref}`.as('v'))
        .where(sql<boolean>`${ref} like ${'%v1.%'}`)
        .execute();
      for (const { v } of rows as { v: string | null }[]) {
        if (typeof v !== 'string') continue;
        let changed = false;
        const next = v.replace(SEALED, (token: string, keyId: string) => {
          if (keyId === config.encryptionKeyId) return token;
          if (!oldIds.includes(keyId)) {
            entry.unopenable++;
            return token;
          }
          let plain: string;
          try {
            plain = openSecret(config.decryptionKeys, token);
          } catch {
            return token; // Looks sealed but is not ours (user text): leave it.
          }
          changed = true;
          return sealSecret(config.encryptionKey, config.encryptionKeyId, plain);
        });
        if (!changed) continue;
        const res = await db
          .updateTable(table.name)
          .set({ [column.name]: next })
          .where(sql<boolean>`${ref} = ${v}`)
          .executeTakeFirst();
        entry.resealed += Number(res.numUpdatedRows);
      }
      if (entry.resealed || entry.unopenable) report.push(entry);
    }
  }
  return report;
}

/** How many sealed values still name a key other than the current one (0 after a complete rotation). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- walks every table found by introspection, so no static schema applies
export async function countStaleSecrets(db: Kysely<any>, config: KeyConfig): Promise<number> {
  let stale = 0;
  for (const table of await db.introspection.getTables()) {
    if (table.isView || table.name.startsWith('kysely_')) continue;
    for (const column of table.columns) {
      if (!/^(text|varchar|character varying)$/i.test(column.dataType)) continue;
      const ref = sql.ref(column.name);
      const rows = await db
        .selectFrom(table.name)
        .select(sql<string>`${ref}`.as('v'))
        .where(sql<boolean>`${ref} like ${'%v1.%'}`)
        .execute();
      for (const { v } of rows as { v: string | null }[]) {
        for (const m of (v ?? '').matchAll(SEALED)) if (m[1] !== config.encryptionKeyId) stale++;
      }
    }
  }
  return stale;
}
