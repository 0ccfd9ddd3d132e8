export interface AccountTable {
  id: string;
  email: string;
  password_hash: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  avatar: string | null;
  provider: 'EMAIL' | 'GOOGLE' | 'APPLE' | 'GUEST';
  confirmed: number;
  phone_numbers: string;
  addresses: string;
  last_login_at: number | null;
  created_at: number;
  updated_at: number;
}

/** One row per issued refresh token; rows of one login share a family (reuse detection). */
export interface AuthSessionTable {
  id: string;
  account_id: string;
  family_id: string;
  refresh_hash: string;
  is_verified: number;
  expires_at: number;
  revoked_at: number | null;
  rotated_at: number | null;
  created_at: number;
}

export interface ApiKeyTable {
  id: string;
  account_id: string;
  name: string | null;
  key_hash: string;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
  created_at: number;
}

export interface EmailCodeTable {
  id: string;
  email: string;
  purpose: 'account' | 'profile';
  store_id: string | null;
  code_hash: string;
  attempts: number;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface RateLimitTable {
  bucket: string;
  window_start: number;
  hits: number;
}

export interface IdentityTables {
  accounts: AccountTable;
  auth_sessions: AuthSessionTable;
  api_keys: ApiKeyTable;
  email_codes: EmailCodeTable;
  rate_limits: RateLimitTable;
}
