import type { FoundationTables } from '../lib/foundation.table.ts';
import type { IdentityTables } from '../modules/identity/identity.table.ts';
import type { StoreTables } from '../modules/stores/store.table.ts';

/** Every table, assembled from the modules' `*.table.ts` files. */
export interface Database extends FoundationTables, IdentityTables, StoreTables {}
