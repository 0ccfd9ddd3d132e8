export interface ProfileTable {
  id: string;
  store_id: string;
  email: string | null;
  verified: number;
  status: 'active' | 'archived';
  market: string | null;
  promo_usage: string;
  taxonomies: string;
  created_at: number;
  updated_at: number;
}

export interface ProfileTokenTable {
  id: string;
  store_id: string;
  profile_id: string;
  token_hash: string;
  revoked_at: number | null;
  created_at: number;
}

export interface ProfileTables {
  profiles: ProfileTable;
  profile_tokens: ProfileTokenTable;
}
