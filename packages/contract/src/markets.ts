import { Type, type Static } from '@sinclair/typebox';
import { Key, MinorUnits, Nullable, StringEnum, Timestamp } from './common.ts';
import { AddressSchema } from './identity.ts';

export const TaxMode = StringEnum(['exclusive', 'inclusive'] as const);
export const PaymentMethodId = StringEnum(['cash', 'credit_card'] as const);
export const PaymentMethod = Type.Object({ id: PaymentMethodId, integration_id: Type.Optional(Nullable(Type.String())) });
export type PaymentMethod = Static<typeof PaymentMethod>;

export const Coordinates = Type.Object({ lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }) });

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
  location: Type.Optional(Nullable(Type.Object({ address: Type.Unknown(), coordinates: Nullable(Coordinates) }))),
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
