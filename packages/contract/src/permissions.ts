/**
 * Plain values with no TypeBox, importable on their own as `@openarky/contract/permissions`: the
 * dashboard uses them without pulling TypeBox into its bundle (the package root re-exports them).
 */

/** Collections a permission may name: `/stores/{storeId}/<collection>`. */
export const PERMISSION_COLLECTIONS = [
  'products',
  'orders',
  'carts',
  'reservations',
  'services',
  'providers',
  'promo-codes',
  'nodes',
  'forms',
  'profiles',
  'profile-lists',
  'media',
  'markets',
  'locations',
  'webhooks',
  'integrations',
  'members',
  'roles',
  'settings',
  'billing',
  'refunds',
] as const;
export type PermissionCollection = (typeof PERMISSION_COLLECTIONS)[number];
