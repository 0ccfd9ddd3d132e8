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

export interface MarketTables {
  markets: MarketTable;
  locations: LocationTable;
}
