import type { BuiltInRole, Permission, PermissionAction, PermissionCollection } from '@openarky/contract';
import { BUILT_IN_ROLES, PERMISSION_COLLECTIONS } from '@openarky/contract';

const RANK: Record<PermissionAction, number> = { read: 1, write: 2, admin: 3 };

/** Built-in roles (CONTRACT §1.7 v1.1); `{storeId}` stands for the store the role is used in. */
export const BUILT_IN_PERMISSIONS: Readonly<Record<BuiltInRole, readonly Permission[]>> = {
  owner: [{ action: 'admin', resource: '/stores/{storeId}' }],
  admin: [{ action: 'write', resource: '/stores/{storeId}/*' }],
  member: [
    { action: 'write', resource: '/stores/{storeId}/orders' },
    { action: 'write', resource: '/stores/{storeId}/reservations' },
    { action: 'write', resource: '/stores/{storeId}/carts' },
    { action: 'read', resource: '/stores/{storeId}/*' },
  ],
  viewer: [{ action: 'read', resource: '/stores/{storeId}/*' }],
  super: [{ action: 'admin', resource: '/stores/{storeId}' }],
};

export const BUILT_IN_NAMES: Readonly<Record<BuiltInRole, string>> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  viewer: 'Viewer',
  super: 'Super admin',
};

export function isBuiltInRole(role: string): role is BuiltInRole {
  return (BUILT_IN_ROLES as readonly string[]).includes(role);
}

/** What a resource path covers: the whole store, every collection, or one collection. */
type Scope = { storeId: string; collection: PermissionCollection | '*' | null };

/**
 * Parses `/stores/{storeId}`, `/stores/{storeId}/*` or `/stores/{storeId}/<collection>`; the
 * store part may be the placeholder (`{storeId}`, `{id}`) or the store's own id. Null otherwise.
 */
export function parseResource(resource: string, storeId: string): Scope | null {
  const m = /^\/stores\/([^/]+)(?:\/([^/]+))?\/?$/.exec(resource.trim());
  if (!m) return null;
  const sid = m[1] === '{storeId}' || m[1] === '{id}' ? storeId : m[1]!;
  if (sid !== storeId) return null;
  const c = m[2];
  if (c === undefined) return { storeId, collection: null };
  if (c === '*') return { storeId, collection: '*' };
  return (PERMISSION_COLLECTIONS as readonly string[]).includes(c)
    ? { storeId, collection: c as PermissionCollection }
    : null;
}

function covers(held: Scope, wanted: Scope): boolean {
  if (held.collection === null) return true;
  if (wanted.collection === null) return false;
  if (held.collection === '*') return true;
  return held.collection === wanted.collection;
}

/** Whether `permissions` allow `action` on `collection` of the store. */
export function allows(
  permissions: readonly Permission[],
  storeId: string,
  collection: PermissionCollection,
  action: PermissionAction,
): boolean {
  const wanted: Scope = { storeId, collection };
  return permissions.some((p) => {
    const held = parseResource(p.resource, storeId);
    return held !== null && RANK[p.action] >= RANK[action] && covers(held, wanted);
  });
}

/** Whether `held` include every permission of `granted` (a caller grants only what it holds). */
export function includesAll(
  held: readonly Permission[],
  granted: readonly Permission[],
  storeId: string,
): boolean {
  return granted.every((g) => {
    const wanted = parseResource(g.resource, storeId);
    if (!wanted) return false;
    return held.some((p) => {
      const scope = parseResource(p.resource, storeId);
      return scope !== null && RANK[p.action] >= RANK[g.action] && covers(scope, wanted);
    });
  });
}

/** `"<action>:/stores/<storeId>[/<collection>]"` strings of `User.permissions` (seed 003). */
export function permissionStrings(permissions: readonly Permission[], storeId: string): string[] {
  return permissions.map((p) => {
    const scope = parseResource(p.resource, storeId);
    const path = scope
      ? `/stores/${storeId}${scope.collection === null ? '' : `/${scope.collection}`}`
      : p.resource;
    return `${p.action}:${path}`;
  });
}

/** What a route needs: `public` routes under a store path need no membership at all. */
export type RoutePermission = readonly [PermissionCollection, PermissionAction] | 'public';
