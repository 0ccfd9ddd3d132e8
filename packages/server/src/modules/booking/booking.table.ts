/** A bookable service (seed 002 Service; prices and durations live on the link). */
export interface ServiceTable {
  id: string;
  store_id: string;
  key: string;
  /** JSON Record<locale, slug> */
  slug: string;
  /** JSON Block[] */
  blocks: string;
  /** JSON unknown[] */
  taxonomies: string;
  status: 'active' | 'archived';
  /** JSON ZoneLocation | null */
  location: string | null;
  search_text: string;
  created_at: number;
  updated_at: number;
}

/** Whoever delivers services (seed 002 Provider: a stylist, a room). */
export interface ProviderTable {
  id: string;
  store_id: string;
  key: string;
  slug: string;
  blocks: string;
  taxonomies: string;
  status: 'active' | 'archived';
  search_text: string;
  created_at: number;
  updated_at: number;
}

/** One row per (store, kind, locale, slug): unique slugs and indexed `store:locale:slug` lookups. */
export interface BookingSlugTable {
  store_id: string;
  kind: 'service' | 'provider';
  locale: string;
  slug: string;
  entity_id: string;
}

/** The link that carries prices, durations and working time (CONTRACT §7.1). */
export interface ServiceProviderTable {
  id: string;
  store_id: string;
  service_id: string;
  provider_id: string;
  /** JSON WorkingDay[] / OutcastDate[] / SpecificDate[] / Price[] / Duration[] / FormEntry[] / number[] */
  working_days: string;
  outcast_dates: string;
  specific_dates: string;
  prices: string;
  durations: string;
  slot_interval: number;
  capacity: number;
  forms: string;
  reminders: string;
  min_advance: number;
  max_advance: number;
  /** Creation order within the service ("any provider" picks the first free one). */
  position: number;
  created_at: number;
  updated_at: number;
}

/**
 * One due reminder of one booked slot (item × reminder minute value). The primary key is the
 * "fired once" marker: the sweep flips `fired_at` with a conditional update, so a reminder is
 * emitted once however many processes sweep at the same time.
 */
export interface BookingReminderTable {
  item_id: string;
  minutes: number;
  store_id: string;
  order_id: string;
  due_at: number;
  fired_at: number | null;
  /** 'fired' | 'skipped' (the item was no longer booked when it fell due) */
  outcome: string | null;
}

export interface BookingTables {
  services: ServiceTable;
  providers: ProviderTable;
  booking_slugs: BookingSlugTable;
  service_providers: ServiceProviderTable;
  booking_reminders: BookingReminderTable;
}
