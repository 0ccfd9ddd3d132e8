export interface StoreTable {
  id: string;
  key: string;
  timezone: string;
  /** JSON Language[] */
  languages: string;
  /** JSON StoreEmails */
  emails: string;
  status: 'draft' | 'active' | 'archived';
  is_network: number;
  /** JSON object */
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface MembershipTable {
  store_id: string;
  account_id: string;
  /** A built-in role name or a custom role id (`role_…`). */
  role: string;
  joined_at: number;
}

/** A custom role of a store; built-in roles are code (`permissions.ts`), not rows. */
export interface RoleTable {
  id: string;
  store_id: string;
  name: string;
  /** JSON Permission[] */
  permissions: string;
  created_at: number;
  updated_at: number;
}

/** The tenancy kernel: stores, who belongs to them, and what their roles allow. */
export interface TenancyTables {
  stores: StoreTable;
  memberships: MembershipTable;
  roles: RoleTable;
}
