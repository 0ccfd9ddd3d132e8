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

export interface StoreTables {
  subscriptions: SubscriptionTable;
}
