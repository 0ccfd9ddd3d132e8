import { Type, type Static } from '@sinclair/typebox';
import { BOUNDS, Key, MinorUnits, Nullable, PageQuery, StringEnum, Timestamp } from './common.ts';

/** Catalogue and promo codes (CONTRACT §6.1, §6.8, §11.4). */

export const EntityStatus = StringEnum(['active', 'archived'] as const);

/** A block as stored and sent (§8.2 shape): `value` is always an array. */
export const CatalogBlock = Type.Object({
  id: Type.String(),
  key: Type.String(),
  type: Type.String(),
  properties: Type.Record(Type.String(), Type.Unknown()),
  value: Type.Array(Type.Unknown()),
});
export type CatalogBlock = Static<typeof CatalogBlock>;

/** Block input: scalar values are wrapped, types lower-cased (0.9.x data accepted). */
export const CatalogBlockInput = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 100 })),
  key: Type.String({ minLength: 1, maxLength: 100 }),
  type: Type.Optional(Type.String({ maxLength: 40 })),
  properties: Type.Optional(
    Type.Object(
      {
        label: Type.Optional(Type.Unknown()),
        required: Type.Optional(Type.Boolean()),
        multiple: Type.Optional(Type.Boolean()),
        min_length: Type.Optional(Type.Integer({ minimum: 0 })),
        max_length: Type.Optional(Type.Integer({ minimum: 0 })),
      },
      { additionalProperties: true },
    ),
  ),
  value: Type.Optional(Type.Unknown()),
});

export const Price = Type.Object({
  market: Type.String(),
  currency: Type.String(),
  amount: MinorUnits,
  compare_at: Type.Optional(Nullable(MinorUnits)),
});
export type Price = Static<typeof Price>;

export const PriceInput = Type.Object({
  market: Type.String({ minLength: 1, maxLength: 64 }),
  currency: Type.Optional(Type.String({ minLength: 3, maxLength: 3 })),
  amount: MinorUnits,
  compare_at: Type.Optional(Type.Union([MinorUnits, Type.Null()], { 'x-aliases': ['compare_at_price'] })),
});

export const InventoryLevel = Type.Object({
  location_id: Nullable(Type.String()),
  available: Type.Integer(),
  reserved: Type.Integer(),
  updated_at: Timestamp,
});
export type InventoryLevel = Static<typeof InventoryLevel>;

export const InventoryLevelInput = Type.Object({
  location_id: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  available: Type.Integer({ minimum: -1, maximum: BOUNDS.money }),
});

export const ProductVariant = Type.Object({
  id: Type.String(),
  sku: Type.Optional(Nullable(Type.String())),
  prices: Type.Array(Price),
  inventory: Type.Array(InventoryLevel),
  attributes: Type.Array(CatalogBlock),
  weight: Type.Optional(Nullable(Type.Integer())),
});
export type ProductVariant = Static<typeof ProductVariant>;

export const ProductVariantInput = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 100 })),
  sku: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  prices: Type.Optional(Type.Array(PriceInput, { maxItems: 50 })),
  /** Levels, or the seed-002 number shorthand (-1 = unlimited). */
  // Checked by the server (a union of number and array would be mangled by type coercion).
  inventory: Type.Optional(
    Type.Unknown({ description: 'InventoryLevelInput[] or a number (-1 = unlimited)' }),
  ),
  /** Blocks, or the seed-002 map `{ size: 'M' }`. */
  attributes: Type.Optional(Type.Unknown({ description: 'Block[] or a map of text values' })),
  weight: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: BOUNDS.money }))),
});

export const Product = Type.Object({
  id: Type.String(),
  store_id: Type.String(),
  key: Type.String(),
  slug: Type.Record(Type.String(), Type.String()),
  blocks: Type.Array(CatalogBlock),
  taxonomies: Type.Array(Type.Unknown()),
  variants: Type.Array(ProductVariant),
  status: EntityStatus,
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Product = Static<typeof Product>;

const productFields = {
  slug: Type.Optional(
    Type.Union([
      Type.String({ minLength: 1, maxLength: 200 }),
      Type.Record(Type.String(), Type.String({ minLength: 1, maxLength: 200 })),
    ]),
  ),
  blocks: Type.Optional(Type.Array(CatalogBlockInput, { maxItems: 200 })),
  taxonomies: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 200, 'x-aliases': ['filters'] })),
  status: Type.Optional(EntityStatus),
};

export const CreateProductBody = Type.Object({
  key: Key(),
  ...productFields,
  variants: Type.Optional(Type.Array(ProductVariantInput, { maxItems: 100 })),
});
export type CreateProductBody = Static<typeof CreateProductBody>;

export const UpdateProductBody = Type.Object({
  key: Type.Optional(Key()),
  ...productFields,
  variants: Type.Optional(Type.Array(ProductVariantInput, { minItems: 1, maxItems: 100 })),
});
export type UpdateProductBody = Static<typeof UpdateProductBody>;

export type ProductVariantInput = Static<typeof ProductVariantInput>;
export type CatalogBlockInput = Static<typeof CatalogBlockInput>;

export const ListProductsQuery = Type.Object({
  ...PageQuery,
  ids: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
  status: Type.Optional(EntityStatus),
  query: Type.Optional(Type.String({ maxLength: 200 })),
  sort_field: Type.Optional(StringEnum(['created_at', 'updated_at', 'key'] as const)),
  taxonomy_query: Type.Optional(Type.Unknown()),
  match_all: Type.Optional(Type.Unknown()),
});
export type ListProductsQuery = Static<typeof ListProductsQuery>;

export const ProductParams = Type.Object({
  storeId: Type.String({ maxLength: 100 }),
  id: Type.String({ maxLength: 400 }),
});

// ---- Promo codes (§6.8) ----

export const Discount = Type.Union([
  Type.Object({
    type: Type.Literal('items_percentage'),
    market_id: Type.String(),
    bps: Type.Integer({ minimum: 0, maximum: 10_000 }),
  }),
  Type.Object({ type: Type.Literal('items_fixed'), market_id: Type.String(), amount: MinorUnits }),
  Type.Object({
    type: Type.Literal('shipping_percentage'),
    market_id: Type.String(),
    bps: Type.Integer({ minimum: 0, maximum: 10_000 }),
  }),
]);
export type Discount = Static<typeof Discount>;

export const Condition = Type.Union([
  Type.Object({
    type: Type.Literal('products'),
    value: Type.Object({ type: Type.Literal('ids'), value: Type.Array(Type.String()) }),
  }),
  Type.Object({
    type: Type.Literal('services'),
    value: Type.Object({ type: Type.Literal('ids'), value: Type.Array(Type.String()) }),
  }),
  Type.Object({
    type: Type.Literal('min_order_amount'),
    value: Type.Object({ type: Type.Literal('amount'), value: MinorUnits }),
  }),
  Type.Object({
    type: Type.Literal('date_range'),
    value: Type.Object({
      type: Type.Literal('date_range'),
      value: Type.Object({
        start: Type.Optional(Nullable(Timestamp)),
        end: Type.Optional(Nullable(Timestamp)),
      }),
    }),
  }),
  Type.Object({
    type: Type.Literal('max_uses'),
    value: Type.Object({
      type: Type.Literal('count'),
      value: Type.Integer({ minimum: 0, maximum: BOUNDS.money }),
    }),
  }),
  Type.Object({
    type: Type.Literal('max_uses_per_user'),
    value: Type.Object({
      type: Type.Literal('count'),
      value: Type.Integer({ minimum: 0, maximum: BOUNDS.money }),
    }),
  }),
]);
export type Condition = Static<typeof Condition>;

export const PromoCode = Type.Object({
  id: Type.String(),
  store_id: Type.String(),
  code: Type.String(),
  discounts: Type.Array(Discount),
  conditions: Type.Array(Condition),
  status: EntityStatus,
  uses: Type.Integer(),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type PromoCode = Static<typeof PromoCode>;

const PromoCode_ = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

export const CreatePromoCodeBody = Type.Object({
  code: PromoCode_,
  discounts: Type.Array(Discount, { minItems: 1, maxItems: 20 }),
  conditions: Type.Array(Condition, { maxItems: 20 }),
  status: Type.Optional(EntityStatus),
});
export type CreatePromoCodeBody = Static<typeof CreatePromoCodeBody>;

export const UpdatePromoCodeBody = Type.Object({
  code: Type.Optional(PromoCode_),
  discounts: Type.Optional(Type.Array(Discount, { minItems: 1, maxItems: 20 })),
  conditions: Type.Optional(Type.Array(Condition, { maxItems: 20 })),
  status: Type.Optional(EntityStatus),
});
export type UpdatePromoCodeBody = Static<typeof UpdatePromoCodeBody>;

export const ListPromoCodesQuery = Type.Object({
  ...PageQuery,
  ids: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
  status: Type.Optional(EntityStatus),
  query: Type.Optional(Type.String({ maxLength: 200 })),
  sort_field: Type.Optional(StringEnum(['created_at', 'updated_at', 'code'] as const)),
  starts_at_from: Type.Optional(Timestamp),
  starts_at_to: Type.Optional(Timestamp),
  expires_at_from: Type.Optional(Timestamp),
  expires_at_to: Type.Optional(Timestamp),
});
export type ListPromoCodesQuery = Static<typeof ListPromoCodesQuery>;

export const PromoCodeValidation = Type.Object({
  promo_code_id: Type.String(),
  code: Type.String(),
  discounts: Type.Array(Discount),
  conditions: Type.Array(Condition),
});
export type PromoCodeValidation = Static<typeof PromoCodeValidation>;
