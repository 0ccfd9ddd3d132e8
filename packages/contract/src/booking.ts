import { Type, type Static } from '@sinclair/typebox';
import { Key, MinorUnits, Nullable, PageQuery, StringEnum, Timestamp } from './common.ts';
import { CatalogBlock, CatalogBlockInput, EntityStatus, Price, PriceInput } from './catalog.ts';
import { FormEntry } from './commerce.ts';
import { ItemStatus, WorkflowStatus } from './orders.ts';

/** Booking: services, providers, their link, availability and reservations (CONTRACT §7, §11.7). */

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export const Weekday = StringEnum(WEEKDAYS);
export type Weekday = Static<typeof Weekday>;

/** Minutes from local midnight in the store's time zone (seed 002). */
export const WorkingHour = Type.Object({
  from: Type.Integer({ minimum: 0, maximum: 1440 }),
  to: Type.Integer({ minimum: 0, maximum: 1440 }),
});
export type WorkingHour = Static<typeof WorkingHour>;
const Hours = Type.Array(WorkingHour, { maxItems: 48 });

export const WorkingDay = Type.Object({ day: Weekday, working_hours: Hours });
export type WorkingDay = Static<typeof WorkingDay>;
/** Repeats every year; `working_hours: []` = closed (seed 002 `outcastDates`). */
export const OutcastDate = Type.Object({
  month: Type.Integer({ minimum: 1, maximum: 12 }),
  day: Type.Integer({ minimum: 1, maximum: 31 }),
  working_hours: Hours,
});
export type OutcastDate = Static<typeof OutcastDate>;
/** `date` = unix time of 00:00 UTC of the calendar day (seed 002 example 1698796800 = 2023-11-01). */
export const SpecificDate = Type.Object({
  date: Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 }),
  working_hours: Hours,
});
export type SpecificDate = Static<typeof SpecificDate>;

export const Duration = Type.Object({
  duration: Type.Integer({ minimum: 1, maximum: 1440 }),
  is_pause: Type.Boolean(),
});
export const DurationInput = Type.Object({
  duration: Type.Integer({ minimum: 1, maximum: 1440 }),
  is_pause: Type.Optional(Type.Boolean()),
});

/** sdk `ZoneLocation`. */
export const ZoneLocation = Type.Object({
  country: Type.Optional(Nullable(Type.String({ maxLength: 2 }))),
  state: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  city: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  postal_code: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
});

export const ServiceProvider = Type.Object({
  id: Type.String(),
  store_id: Type.String(),
  service_id: Type.String(),
  provider_id: Type.String(),
  working_days: Type.Array(WorkingDay),
  outcast_dates: Type.Array(OutcastDate),
  specific_dates: Type.Array(SpecificDate),
  prices: Type.Array(Price),
  durations: Type.Array(Duration),
  slot_interval: Type.Integer({ description: 'Minutes between slot starts; 0 = the slot length' }),
  capacity: Type.Integer(),
  forms: Type.Array(FormEntry),
  reminders: Type.Array(Type.Integer(), { description: 'Minutes before the slot' }),
  min_advance: Type.Integer({ description: 'Minutes' }),
  max_advance: Type.Integer({ description: 'Minutes; 0 = no limit' }),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type ServiceProvider = Static<typeof ServiceProvider>;

export const Service = Type.Object({
  id: Type.String(),
  store_id: Type.String(),
  key: Type.String(),
  slug: Type.Record(Type.String(), Type.String()),
  blocks: Type.Array(CatalogBlock),
  taxonomies: Type.Array(Type.Unknown()),
  status: EntityStatus,
  location: Type.Optional(Nullable(ZoneLocation)),
  /** Present on get only. */
  providers: Type.Optional(Type.Array(ServiceProvider)),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Service = Static<typeof Service>;

export const TimelinePoint = Type.Object({ timestamp: Timestamp, booked: Type.Integer() });

export const Provider = Type.Object({
  id: Type.String(),
  store_id: Type.String(),
  key: Type.String(),
  slug: Type.Record(Type.String(), Type.String()),
  status: EntityStatus,
  blocks: Type.Array(CatalogBlock),
  taxonomies: Type.Array(Type.Unknown()),
  timeline: Type.Array(TimelinePoint),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Provider = Static<typeof Provider>;

const entityFields = {
  slug: Type.Optional(
    Type.Union([
      Type.String({ minLength: 1, maxLength: 200 }),
      Type.Record(Type.String(), Type.String({ minLength: 1, maxLength: 200 })),
    ]),
  ),
  blocks: Type.Optional(Type.Array(CatalogBlockInput, { maxItems: 200 })),
  taxonomies: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 200, 'x-aliases': ['filters'] })),
  status: Type.Optional(EntityStatus),
  store_id: Type.Optional(Type.String({ maxLength: 100 })),
};

export const CreateServiceBody = Type.Object({
  key: Key(),
  ...entityFields,
  location: Type.Optional(Nullable(ZoneLocation)),
});
export type CreateServiceBody = Static<typeof CreateServiceBody>;
export const UpdateServiceBody = Type.Object({
  key: Type.Optional(Key()),
  ...entityFields,
  location: Type.Optional(Nullable(ZoneLocation)),
  id: Type.Optional(Type.String()),
});
export type UpdateServiceBody = Static<typeof UpdateServiceBody>;
export const CreateProviderBody = Type.Object({ key: Key(), ...entityFields });
export type CreateProviderBody = Static<typeof CreateProviderBody>;
export const UpdateProviderBody = Type.Object({
  key: Type.Optional(Key()),
  ...entityFields,
  id: Type.Optional(Type.String()),
});
export type UpdateProviderBody = Static<typeof UpdateProviderBody>;

const Reminders = Type.Array(Type.Integer({ minimum: 1, maximum: 525_600 }), { maxItems: 10 });
const Minutes = Type.Integer({ minimum: 0, maximum: 525_600 });

const spFields = {
  working_days: Type.Array(WorkingDay, { maxItems: 14 }),
  outcast_dates: Type.Optional(Type.Array(OutcastDate, { maxItems: 400 })),
  specific_dates: Type.Array(SpecificDate, { maxItems: 1000 }),
  prices: Type.Optional(Type.Array(PriceInput, { maxItems: 50 })),
  durations: Type.Optional(Type.Array(DurationInput, { minItems: 1, maxItems: 20 })),
  slot_interval: Type.Integer({ minimum: 0, maximum: 1440 }),
  capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  forms: Type.Optional(Type.Array(FormEntry, { maxItems: 50 })),
  reminders: Type.Optional(Reminders),
  min_advance: Type.Optional(Minutes),
  max_advance: Type.Optional(Minutes),
  store_id: Type.Optional(Type.String({ maxLength: 100 })),
};

export const CreateServiceProviderBody = Type.Object({
  service_id: Type.String({ minLength: 1, maxLength: 100 }),
  provider_id: Type.String({ minLength: 1, maxLength: 100 }),
  ...spFields,
});
export type CreateServiceProviderBody = Static<typeof CreateServiceProviderBody>;
export const UpdateServiceProviderBody = Type.Partial(Type.Object({ ...spFields, id: Type.String() }));
export type UpdateServiceProviderBody = Static<typeof UpdateServiceProviderBody>;

export const ListServicesQuery = Type.Object({
  ...PageQuery,
  ids: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
  provider_id: Type.Optional(Type.String({ maxLength: 100 })),
  status: Type.Optional(EntityStatus),
  query: Type.Optional(Type.String({ maxLength: 200 })),
  sort_field: Type.Optional(StringEnum(['created_at', 'updated_at', 'key'] as const)),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  taxonomy_query: Type.Optional(Type.Unknown()),
  match_all: Type.Optional(Type.Unknown()),
});
export type ListServicesQuery = Static<typeof ListServicesQuery>;

export const ListProvidersQuery = Type.Object({
  ...PageQuery,
  ids: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
  service_id: Type.Optional(Type.String({ maxLength: 100 })),
  status: Type.Optional(EntityStatus),
  query: Type.Optional(Type.String({ maxLength: 200 })),
  sort_field: Type.Optional(StringEnum(['created_at', 'updated_at', 'key'] as const)),
  /** Timeline window. */
  from: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 })),
  to: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 })),
  taxonomy_query: Type.Optional(Type.Unknown()),
  match_all: Type.Optional(Type.Unknown()),
});
export type ListProvidersQuery = Static<typeof ListProvidersQuery>;
/** Provider get: the timeline window. */
export const ProviderWindowQuery = Type.Object({
  from: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 })),
  to: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 })),
});

export const ListServiceProvidersQuery = Type.Object({
  service_id: Type.Optional(Type.String({ maxLength: 100 })),
  provider_id: Type.Optional(Type.String({ maxLength: 100 })),
});

export const AvailabilityQuery = Type.Object({
  service_id: Type.String({ minLength: 1, maxLength: 100 }),
  from: Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 }),
  to: Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 }),
  provider_id: Type.Optional(Type.String({ maxLength: 100 })),
});
export type AvailabilityQuery = Static<typeof AvailabilityQuery>;

export const AvailabilitySlot = Type.Object({ from: Timestamp, to: Timestamp, spots: Type.Integer() });
export const Availability = Type.Object({
  from: Timestamp,
  to: Timestamp,
  providers: Type.Array(
    Type.Object({
      provider_id: Type.String(),
      provider_key: Type.String(),
      days: Type.Array(
        Type.Object({
          date: Type.String({ description: 'YYYY-MM-DD, local to the store' }),
          slots: Type.Array(AvailabilitySlot),
        }),
      ),
    }),
  ),
});
export type Availability = Static<typeof Availability>;

/** A service line of an order seen as a reservation (seed 002 Reservation part). */
export const Reservation = Type.Object({
  type: Type.Literal('service'),
  id: Type.String(),
  service_id: Type.String(),
  provider_id: Nullable(Type.String()),
  from: Timestamp,
  to: Timestamp,
  forms: Type.Array(FormEntry),
  snapshot: Type.Record(Type.String(), Type.Unknown()),
  status: ItemStatus,
  unit_price: MinorUnits,
  total: MinorUnits,
  order_id: Type.String(),
  order_number: Type.String(),
  store_id: Type.String(),
  profile_id: Nullable(Type.String()),
  workflow_status: WorkflowStatus,
  created_at: Timestamp,
});
export type Reservation = Static<typeof Reservation>;

export const ListReservationsQuery = Type.Object({
  ...PageQuery,
  profile_id: Type.Optional(Type.String({ maxLength: 100 })),
  service_ids: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100 })),
  provider_ids: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100 })),
  from: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 })),
  to: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 })),
  item_statuses: Type.Optional(Type.Array(StringEnum(['pending', 'confirmed', 'cancelled'] as const))),
  verified: Type.Optional(Type.Boolean()),
  query: Type.Optional(Type.String({ maxLength: 200 })),
  sort_field: Type.Optional(StringEnum(['from', 'created_at'] as const)),
  /** sdk `SearchOrderServiceItemsParams.sort_order` is accepted as an alias. */
  sort_direction: Type.Optional(StringEnum(['asc', 'desc'] as const, { 'x-aliases': ['sort_order'] })),
});
export type ListReservationsQuery = Static<typeof ListReservationsQuery>;

export const BookingParams = Type.Object({
  storeId: Type.String({ maxLength: 100 }),
  id: Type.String({ maxLength: 400 }),
});
