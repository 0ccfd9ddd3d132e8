import { Type, type Static } from '@sinclair/typebox';
import { BOUNDS, Key, MinorUnits, Nullable, StringEnum, Timestamp } from './common.ts';
import { AddressSchema } from './identity.ts';

export const TaxMode = StringEnum(['exclusive', 'inclusive'] as const);
export const PaymentMethodId = StringEnum(['cash', 'credit_card'] as const);
export const PaymentMethod = Type.Object({
  id: PaymentMethodId,
  integration_id: Type.Optional(Nullable(Type.String())),
});
export type PaymentMethod = Static<typeof PaymentMethod>;

export const Coordinates = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
});

export const ShippingMethod = Type.Object({
  id: Type.String(),
  type: StringEnum(['shipping', 'pickup'] as const),
  name: Type.Optional(Nullable(Type.String())),
  taxable: Type.Boolean(),
  eta_text: Type.String(),
  amount: MinorUnits,
  free_above: Type.Optional(Nullable(MinorUnits)),
  weight_tiers: Type.Optional(Type.Array(Type.Object({ up_to_grams: Type.Integer(), amount: MinorUnits }))),
  location_id: Type.Optional(Nullable(Type.String())),
  location: Type.Optional(
    Nullable(Type.Object({ address: Type.Unknown(), coordinates: Nullable(Coordinates) })),
  ),
  integration_id: Type.Optional(Nullable(Type.String())),
});
export type ShippingMethod = Static<typeof ShippingMethod>;

export const Zone = Type.Object({
  id: Type.String(),
  store_id: Type.String(),
  market_id: Type.String(),
  name: Type.Optional(Nullable(Type.String())),
  countries: Type.Array(Type.String()),
  states: Type.Array(Type.String()),
  postal_codes: Type.Array(Type.String()),
  tax_bps: Nullable(Type.Integer()),
  shipping_methods: Type.Array(ShippingMethod),
});
export type Zone = Static<typeof Zone>;

export const Market = Type.Object({
  id: Type.String(),
  store_id: Type.String(),
  key: Type.String(),
  currency: Type.String(),
  tax_mode: TaxMode,
  tax_bps: Type.Integer(),
  payment_methods: Type.Array(PaymentMethod),
  zones: Type.Array(Zone),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Market = Static<typeof Market>;

export const Location = Type.Object({
  id: Type.String(),
  store_id: Type.String(),
  key: Type.String(),
  address: Type.Partial(AddressSchema),
  is_pickup_location: Type.Boolean(),
  coordinates: Type.Optional(Nullable(Coordinates)),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Location = Static<typeof Location>;

export const MarketKey = Key;

// ---- Request bodies (CONTRACT §5). Seed 002 shapes are accepted and normalized by the server.

/** `{ id }` (sdk) or seed 002 `{ method: 'CREDIT_CARD' }`; one of them is required. */
export const PaymentMethodInput = Type.Object({
  id: Type.Optional(PaymentMethodId),
  method: Type.Optional(PaymentMethodId),
  integration_id: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
});

/** Client-chosen zone and shipping-method ids (002 `north-america`, `standard`). */
export const ClientId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$',
});
/** Seed 002 `freeThreshold`; the alias sits on the union so the input normalizer sees it. */
const FreeAbove = Type.Union([MinorUnits, Type.Null()], { 'x-aliases': ['freeThreshold'] });
const Amount = MinorUnits;

export const ShippingMethodInput = Type.Object({
  id: Type.Optional(ClientId),
  type: Type.Optional(StringEnum(['shipping', 'pickup'] as const)),
  name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  taxable: Type.Optional(Type.Boolean()),
  eta_text: Type.Optional(Type.String({ maxLength: 200 })),
  amount: Type.Optional(Amount),
  free_above: Type.Optional(FreeAbove),
  weight_tiers: Type.Optional(
    Type.Array(
      Type.Object({ up_to_grams: Type.Integer({ minimum: 0, maximum: BOUNDS.money }), amount: Amount }),
      { maxItems: 50 },
    ),
  ),
  location_id: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  location: Type.Optional(
    Nullable(
      Type.Object({
        address: Type.Union([Type.String({ maxLength: 500 }), Type.Partial(AddressSchema)]),
        coordinates: Type.Optional(Nullable(Coordinates)),
      }),
    ),
  ),
  integration_id: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  /** Seed 002: per-market prices; the entry of the owning market supplies amount and free_above. */
  prices: Type.Optional(
    Type.Array(
      Type.Object({
        market: Type.String({ minLength: 1, maxLength: 64 }),
        amount: Amount,
        free_above: Type.Optional(FreeAbove),
      }),
      { maxItems: 100 },
    ),
  ),
});

const CountryCode = Type.String({ minLength: 2, maxLength: 2 });

export const ZoneInput = Type.Object({
  id: Type.Optional(ClientId),
  name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  countries: Type.Optional(Type.Array(CountryCode, { maxItems: 300 })),
  states: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 10 }), { maxItems: 500 })),
  postal_codes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: 1000 })),
  tax_bps: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 10_000 }))),
  shipping_methods: Type.Optional(Type.Array(ShippingMethodInput, { maxItems: 50 })),
});

const MarketFields = {
  key: Key(),
  currency: Type.String({ pattern: '^[A-Za-z]{3}$' }),
  tax_mode: TaxMode,
  tax_bps: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  payment_methods: Type.Optional(Type.Array(PaymentMethodInput, { maxItems: 10 })),
  zones: Type.Optional(Type.Array(ZoneInput, { maxItems: 100 })),
};

export const CreateMarketBody = Type.Object(MarketFields);
export type CreateMarketBody = Static<typeof CreateMarketBody>;

/** Partial update; `zones` replaces the whole list. */
export const UpdateMarketBody = Type.Object({
  ...MarketFields,
  key: Type.Optional(MarketFields.key),
  currency: Type.Optional(MarketFields.currency),
  tax_mode: Type.Optional(TaxMode),
});
export type UpdateMarketBody = Static<typeof UpdateMarketBody>;

/** `:id` is a market id or key. */
export const MarketParams = Type.Object({
  storeId: Type.String({ maxLength: 100 }),
  id: Type.String({ minLength: 1, maxLength: 100 }),
});
export const LocationParams = MarketParams;

export const CreateLocationBody = Type.Object({
  key: Key(),
  address: Type.Partial(AddressSchema),
  is_pickup_location: Type.Optional(Type.Boolean()),
  coordinates: Type.Optional(Nullable(Coordinates)),
});
export type CreateLocationBody = Static<typeof CreateLocationBody>;

export const UpdateLocationBody = Type.Partial(CreateLocationBody);
export type UpdateLocationBody = Static<typeof UpdateLocationBody>;
