/** The PaymentIntent of a card order (one per order), with the last time Stripe told us about it. */
export interface PaymentIntentTable {
  order_id: string;
  store_id: string;
  integration_id: string;
  /** Stripe `pi_…` id. */
  intent_id: string;
  /** Stripe's status as last seen (`requires_payment_method`, `succeeded`, …). */
  status: string;
  amount: number;
  currency: string;
  /** Last event or reconciliation check; reconciliation looks at intents quiet for 10 minutes. */
  last_event_at: number;
  /** Set when cancelling the intent failed (hold expiry, Stripe unreachable); reconciliation retries until it clears. */
  cancel_owed_since: number | null;
  created_at: number;
  updated_at: number;
}

/** A Stripe event received once: `id` is `<scope>:<event id>` (scope = store id or `platform`). */
export interface PaymentEventTable {
  id: string;
  event_id: string;
  store_id: string | null;
  type: string;
  object_id: string | null;
  /** `applied`, or `ignored` (out of order, unknown object, not for us) with a note. */
  outcome: 'applied' | 'ignored';
  note: string | null;
  created_at: number;
}

/** A store's Stripe customer for platform billing (seed 000 subscriptions and portal). */
export interface BillingCustomerTable {
  store_id: string;
  customer_id: string;
  subscription_id: string | null;
  checkout_session_id: string | null;
  price_id: string | null;
  current_period_end: number | null;
  payment_failed_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface PaymentTables {
  payment_intents: PaymentIntentTable;
  payment_events: PaymentEventTable;
  billing_customers: BillingCustomerTable;
}
