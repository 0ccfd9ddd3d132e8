import type { FoundationTables } from '../lib/foundation.table.ts';

/** Every table, assembled from the modules' `*.table.ts` files. */
export interface Database extends FoundationTables {}
