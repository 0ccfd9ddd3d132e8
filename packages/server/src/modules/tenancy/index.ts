/**
 * The tenancy floor: which store a request acts on and who may act there. Every domain module
 * reaches stores and memberships through this file only.
 */
export { storeScoped, storefrontScoped, profileOf, type StorefrontAccess } from './scoped.ts';
export { requireAccount, requireRole, resolveStoreAccess, roleRank } from './store-scope.ts';
export { requireStoreExists, requireStorefrontStore, storeLocales } from './store.lookup.ts';
export type { MembershipTable, StoreTable, TenancyTables } from './tenancy.table.ts';
export { tenancyModule } from './tenancy.module.ts';
export {
  deleteMembership,
  deleteStoreRow,
  findMembership,
  findStoreRow,
  insertStoreRow,
  lockedOwnerIds,
  putMembership,
  updateStoreRow,
} from './tenancy.repo.ts';
