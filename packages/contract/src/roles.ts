import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum, Timestamp } from './common.ts';

/** Built-in roles, present in every store; their ids are their names (CONTRACT §1.7 v1.1). */
export const BUILT_IN_ROLES = ['owner', 'admin', 'member', 'viewer', 'super'] as const;
export const BuiltInRole = StringEnum(BUILT_IN_ROLES);
export type BuiltInRole = Static<typeof BuiltInRole>;

/** `read` = GET; `write` = read + create, update, delete; `admin` = write + members, roles, billing, store deletion. */
export const PermissionAction = StringEnum(['read', 'write', 'admin'] as const);
export type PermissionAction = Static<typeof PermissionAction>;

export { PERMISSION_COLLECTIONS, type PermissionCollection } from './permissions.ts';

/** Seed 002 permission: an action on a resource path (`/stores/{storeId}`, `…/*`, `…/<collection>`). */
export const Permission = Type.Object({
  action: PermissionAction,
  resource: Type.String({ minLength: 1, maxLength: 200 }),
  conditions: Type.Optional(
    Type.Array(Type.Unknown(), { maxItems: 0, description: 'Reserved; must be empty' }),
  ),
});
export type Permission = Static<typeof Permission>;

/** A membership's role: a built-in role or a custom role's id. */
export const MemberRole = Type.Union([
  BuiltInRole,
  Type.TemplateLiteral([Type.Literal('role_'), Type.String()]),
]);
export type MemberRole = Static<typeof MemberRole>;

/** A built-in (`id` = its name) or custom (`role_…`) role of a store. */
export const StoreRole = Type.Object(
  {
    id: Type.String(),
    store_id: Type.String(),
    name: Type.String(),
    built_in: Type.Boolean(),
    permissions: Type.Array(Permission),
    created_at: Nullable(Timestamp),
    updated_at: Nullable(Timestamp),
  },
  { title: 'Role' },
);
export type StoreRole = Static<typeof StoreRole>;

export const CreateRoleBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  permissions: Type.Array(Permission, { minItems: 1, maxItems: 50 }),
});
export const UpdateRoleBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  permissions: Type.Optional(Type.Array(Permission, { minItems: 1, maxItems: 50 })),
});
export const RoleParams = Type.Object({ storeId: Type.String(), id: Type.String() });
