import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_identity_stores.ts';

/** Every migration, in order. A module adds its file here; names never change once released. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_identity_stores': m0002,
};
