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

export interface SubscriptionTable {
  id: string;
  store_id: string;
  plan_id: string;
  pending_plan_id: string | null;
  status: 'pending' | 'active' | 'cancellation_scheduled' | 'cancelled' | 'expired';
  payment: string;
  start_date: number | null;
  end_date: number | null;
  token: string;
  source: 'signup' | 'admin' | 'import';
  created_at: number;
  updated_at: number;
}

export interface MarketTable {
  id: string;
  store_id: string;
  key: string;
  currency: string;
  tax_mode: 'exclusive' | 'inclusive';
  tax_bps: number;
  /** JSON PaymentMethod[] */
  payment_methods: string;
  /** JSON Zone[] */
  zones: string;
  position: number;
  created_at: number;
  updated_at: number;
}

export interface LocationTable {
  id: string;
  store_id: string;
  key: string;
  /** JSON Address */
  address: string;
  is_pickup_location: number;
  /** JSON { lat, lon } | null */
  coordinates: string | null;
  created_at: number;
  updated_at: number;
}

export interface StoreTables {
  stores: StoreTable;
  memberships: MembershipTable;
  subscriptions: SubscriptionTable;
  markets: MarketTable;
  locations: LocationTable;
}
