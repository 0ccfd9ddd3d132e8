/**
 * The tenancy floor: which store a request acts on and who may act there. Every domain module
 * reaches stores and memberships through this file only.
 */
export { storeScoped, storefrontScoped, profileOf, type StorefrontAccess } from './scoped.ts';
export {
  membershipPermissions,
  requireAccount,
  requirePermission,
  requireRole,
  resolveStoreAccess,
  rolePermissions,
} from './store-scope.ts';
export {
  BUILT_IN_PERMISSIONS,
  allows,
  includesAll,
  isBuiltInRole,
  permissionStrings,
} from './permissions.ts';
export { ROUTE_PERMISSIONS, routePermission } from './route-permissions.ts';
export { requireStoreExists, storeLocales } from './store.lookup.ts';
export type { MembershipTable, RoleTable, StoreTable, TenancyTables } from './tenancy.table.ts';
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
