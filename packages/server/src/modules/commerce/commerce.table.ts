export interface CartTable {
  id: string;
  store_id: string;
  profile_id: string | null;
  token: string;
  status: 'active' | 'abandoned' | 'converted' | 'expired';
  origin: 'storefront' | 'admin';
  created_by_account_id: string | null;
  market: string;
  /** JSON CartItem[] */
  items: string;
  shipping_address: string | null;
  billing_address: string | null;
  /** JSON FormEntry[] */
  forms: string;
  promo_code: string | null;
  payment_method_id: string | null;
  shipping_method_id: string | null;
  /** JSON Quote | null */
  quote_snapshot: string | null;
  converted_order_id: string | null;
  item_count: number;
  last_activity_at: number;
  abandoned_at: number | null;
  recovery_sent_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface OrderTable {
  id: string;
  store_id: string;
  /** Per-store sequence number; `number` is its decimal string. */
  seq: number;
  number: string;
  source_cart_id: string | null;
  profile_id: string | null;
  verified: number;
  status: 'active' | 'archived';
  workflow_status:
    'created' | 'pending' | 'authorized' | 'confirmed' | 'shipped' | 'completed' | 'cancelled' | 'failed';
  method_type: 'cash' | 'credit_card';
  currency: string;
  total: number;
  paid: number;
  promo_code_id: string | null;
  /** JSON OrderPayment without refunds (they live in `refunds`) */
  payment: string;
  shipping_address: string | null;
  billing_address: string | null;
  forms: string;
  blocks: string;
  history: string;
  fired_reminders: string;
  /** Lower-cased number and emails for `query`. */
  search_text: string;
  created_at: number;
  updated_at: number;
}

/** A line of an order: a product line now; a service line (booking) has the service columns. */
export interface OrderItemTable {
  id: string;
  store_id: string;
  order_id: string;
  position: number;
  type: 'product' | 'service';
  product_id: string | null;
  variant_id: string | null;
  service_id: string | null;
  provider_id: string | null;
  from_at: number | null;
  to_at: number | null;
  quantity: number;
  location_id: string | null;
  /** The inventory row reserved from (null when unlimited or a service). */
  inventory_level_id: string | null;
  status: 'pending' | 'confirmed' | 'cancelled';
  status_reason: string | null;
  expires_at: number | null;
  unit_price: number;
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
  snapshot: string;
  forms: string;
}

export interface RefundTable {
  id: string;
  store_id: string;
  order_id: string;
  amount: number;
  status: 'pending' | 'succeeded' | 'failed';
  provider_refund_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface OrderCounterTable {
  store_id: string;
  last_number: number;
}

/** One counted use of a promo code by a profile (at order confirmation, CONTRACT §6.8). */
export interface PromoUseTable {
  id: string;
  store_id: string;
  promo_code_id: string;
  profile_id: string;
  /** Unique: an order counts once. */
  order_id: string | null;
  created_at: number;
}

export interface PromoCodeTable {
  id: string;
  store_id: string;
  code: string;
  /** Upper-cased code: unique per store ignoring case. */
  code_canonical: string;
  /** JSON Discount[] */
  discounts: string;
  /** JSON Condition[] */
  conditions: string;
  status: 'active' | 'archived';
  uses: number;
  /** From the max_uses condition; enforced by a conditional update when counted. */
  max_uses: number | null;
  /** From the date_range condition (filters). */
  starts_at: number | null;
  expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface CommerceTables {
  promo_codes: PromoCodeTable;
  promo_uses: PromoUseTable;
  carts: CartTable;
  orders: OrderTable;
  order_items: OrderItemTable;
  refunds: RefundTable;
  order_counters: OrderCounterTable;
}
