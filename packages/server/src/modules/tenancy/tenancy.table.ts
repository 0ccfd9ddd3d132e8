import type { Role } from '@openarky/contract';

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
  role: Role;
  joined_at: number;
}

/** The tenancy kernel: stores and who belongs to them. */
export interface TenancyTables {
  stores: StoreTable;
  memberships: MembershipTable;
}
