import type { MembershipStatus } from '@openarky/contract';

/** An audience (profile list, CONTRACT §10.6). */
export interface ProfileListTable {
  id: string;
  store_id: string;
  key: string;
  name: string | null;
  description: string | null;
  status: 'active' | 'draft' | 'archived';
  /** JSON ProfileListType */
  type: string;
  created_at: number;
  updated_at: number;
}

/** A profile's membership of a list; one per (list, profile). */
export interface ProfileListMemberTable {
  id: string;
  store_id: string;
  profile_list_id: string;
  profile_id: string;
  source: 'signup' | 'admin' | 'import';
  /** JSON Record<string, unknown> */
  fields: string;
  lead_description: string | null;
  status: MembershipStatus;
  plan_id: string | null;
  pending_plan_id: string | null;
  /** JSON payment details (paid lists) or null */
  payment: string | null;
  start_date: number | null;
  end_date: number | null;
  confirm_token_hash: string | null;
  confirm_expires_at: number | null;
  provider_ref: string | null;
  created_at: number;
  updated_at: number;
}

export interface AudienceTables {
  profile_lists: ProfileListTable;
  profile_list_members: ProfileListMemberTable;
}
