import { Type, type Static } from '@sinclair/typebox';
import { MinorUnits, Nullable, PageQuery, StringEnum, Timestamp } from './common.ts';
import { PartialAddress } from './identity.ts';
import { PaymentMethod, PaymentMethodId, ShippingMethod, Zone } from './markets.ts';
import { CatalogBlock, CatalogBlockInput, Price, PromoCodeValidation } from './catalog.ts';

/** Carts, quotes, checkout, orders and refunds (CONTRACT §6.2–6.7, §11.5–11.6). */

/** `cash` | `credit_card` | null, matched case-insensitively (seed 002 `CASH`). */
const MethodInput = (options: Record<string, unknown> = {}) =>
  Type.Union([Type.Literal('cash'), Type.Literal('credit_card'), Type.Null()], options);

export const FormEntry = Type.Object(
  {
    form_id: Type.String(),
    fields: Type.Array(
      Type.Object({
        id: Type.Optional(Type.String()),
        key: Type.String(),
        type: Type.Optional(Type.String()),
        value: Type.Unknown(),
      }),
    ),
  },
  { additionalProperties: true },
);
const Forms = Type.Array(FormEntry, { maxItems: 50 });

const Slot = Type.Object({ from: Timestamp, to: Timestamp });

/** One requested item: a product line (seed 002 `PRODUCT_VARIANT`) or a service booking. */
export const CartItemInput = Type.Object({
  type: Type.Optional(StringEnum(['product', 'service', 'product_variant'] as const)),
  id: Type.Optional(Type.String({ maxLength: 100 })),
  product_id: Type.Optional(Type.String({ maxLength: 100 })),
  variant_id: Type.Optional(Type.String({ maxLength: 100 })),
  quantity: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })),
  service_id: Type.Optional(Type.String({ maxLength: 100 })),
  provider_id: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  slots: Type.Optional(Type.Array(Slot, { maxItems: 100 })),
  /** Seed 002 ReservationPart: one slot given as `from`/`to` on the item. */
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  forms: Type.Optional(Forms),
  /** Trusted override; honoured for admin callers only. */
  price: Type.Optional(
    Type.Object({
      market: Type.Optional(Type.String()),
      currency: Type.Optional(Type.String()),
      amount: MinorUnits,
    }),
  ),
});
export type CartItemInput = Static<typeof CartItemInput>;

/** Quote and checkout items: quantity must be positive. */
export const QuoteItemInput = Type.Object({
  ...CartItemInput.properties,
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
});

export const CartItem = Type.Object({
  type: StringEnum(['product', 'service'] as const),
  id: Type.String(),
  product_id: Type.Optional(Type.String()),
  variant_id: Type.Optional(Type.String()),
  quantity: Type.Optional(Type.Integer()),
  service_id: Type.Optional(Type.String()),
  provider_id: Type.Optional(Nullable(Type.String())),
  slots: Type.Optional(Type.Array(Slot)),
  forms: Type.Optional(Type.Array(FormEntry)),
  price: Type.Optional(Price),
});
export type CartItem = Static<typeof CartItem>;

export const ProductSnapshot = Type.Object({
  product_key: Type.String(),
  variant_sku: Type.Optional(Nullable(Type.String())),
  variant_attributes: Type.Array(CatalogBlock),
  price: Price,
});

export const QuoteLine = Type.Object({
  type: StringEnum(['product', 'service'] as const),
  line_id: Type.String(),
  product_id: Type.Optional(Type.String()),
  variant_id: Type.Optional(Type.String()),
  service_id: Type.Optional(Type.String()),
  provider_id: Type.Optional(Nullable(Type.String())),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  quantity: Type.Integer(),
  unit_price: MinorUnits,
  subtotal: MinorUnits,
  discount: MinorUnits,
  tax: MinorUnits,
  total: MinorUnits,
  snapshot: Type.Record(Type.String(), Type.Unknown()),
  availability: Type.Object({
    ok: Type.Boolean(),
    available: Type.Optional(Type.Integer()),
    spots: Type.Optional(Type.Integer()),
    reason: Type.Optional(Type.String()),
  }),
});
export type QuoteLine = Static<typeof QuoteLine>;

export const TaxBreakdown = Type.Object({
  amount: MinorUnits,
  mode_snapshot: StringEnum(['exclusive', 'inclusive'] as const),
  rate_bps: Type.Integer(),
  lines: Type.Array(
    Type.Object({
      rate_bps: Type.Integer(),
      amount: MinorUnits,
      label: Type.Optional(Type.String()),
      scope: StringEnum(['items', 'shipping'] as const),
    }),
  ),
});

export const Refund = Type.Object({
  id: Type.String(),
  total: MinorUnits,
  provider_refund_id: Type.Optional(Nullable(Type.String())),
  status: StringEnum(['pending', 'succeeded', 'failed'] as const),
  created_at: Timestamp,
});
export type Refund = Static<typeof Refund>;

export const OrderPayment = Type.Object({
  currency: Type.String(),
  market: Type.String(),
  subtotal: MinorUnits,
  shipping: MinorUnits,
  discount: MinorUnits,
  total: MinorUnits,
  paid: MinorUnits,
  tax: TaxBreakdown,
  promo_code: Type.Optional(
    Nullable(
      Type.Object({ id: Type.String(), code: Type.String(), type: Type.String(), value: Type.Integer() }),
    ),
  ),
  provider: Type.Optional(
    Nullable(
      Type.Object({
        type: Type.String(),
        profile_id: Type.Optional(Nullable(Type.String())),
        payment_intent_id: Type.Optional(Nullable(Type.String())),
      }),
    ),
  ),
  refunds: Type.Array(Refund),
  zone_id: Type.Optional(Nullable(Type.String())),
  payment_method_id: Type.Optional(Nullable(Type.String())),
  shipping_method_id: Type.Optional(Nullable(Type.String())),
  method_type: PaymentMethodId,
  status: Type.Optional(
    Type.Object({
      status: Type.String(),
      at: Timestamp,
      amount: Type.Optional(MinorUnits),
      reason: Type.Optional(Type.String()),
    }),
  ),
});
export type OrderPayment = Static<typeof OrderPayment>;

export const Quote = Type.Object({
  market: Type.String(),
  currency: Type.String(),
  zone: Nullable(Zone),
  items: Type.Array(QuoteLine),
  line_items: Type.Array(QuoteLine),
  subtotal: MinorUnits,
  shipping: MinorUnits,
  discount: MinorUnits,
  tax: MinorUnits,
  total: MinorUnits,
  shipping_method: Nullable(ShippingMethod),
  payment_method: Nullable(PaymentMethod),
  payment_methods: Type.Array(PaymentMethod),
  promo_code: Nullable(PromoCodeValidation),
  payment: OrderPayment,
  charge_amount: MinorUnits,
});
export type Quote = Static<typeof Quote>;

const checkoutFields = {
  market: Type.Optional(Type.String({ maxLength: 64 })),
  currency: Type.Optional(Type.String({ maxLength: 3 })),
  items: Type.Array(QuoteItemInput, { minItems: 1, maxItems: 200, 'x-aliases': ['lines'] }),
  shipping_address: Type.Optional(Nullable(PartialAddress)),
  billing_address: Type.Optional(Nullable(PartialAddress)),
  payment_method_id: Type.Optional(MethodInput()),
  shipping_method_id: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  promo_code: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  promo_code_id: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  forms: Type.Optional(Forms),
  store_id: Type.Optional(Type.String({ maxLength: 100, 'x-aliases': ['businessId'] })),
};

export const QuoteBody = Type.Object({
  ...checkoutFields,
  payment_method_id: Type.Optional(MethodInput({ 'x-aliases': ['paymentMethod'] })),
});
export type QuoteBody = Static<typeof QuoteBody>;
/** Seed 002 `POST /v1/payments/quote`: the store travels in the body. */
export const LegacyQuoteBody = Type.Object({
  ...QuoteBody.properties,
  store_id: Type.String({ maxLength: 100, 'x-aliases': ['businessId'] }),
});

export const CheckoutBody = Type.Object({
  ...checkoutFields,
  payment_method_id: Type.Optional(MethodInput({ 'x-aliases': ['paymentMethod'] })),
  blocks: Type.Optional(Type.Array(CatalogBlockInput, { maxItems: 100 })),
  profile_id: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
});
export type CheckoutBody = Static<typeof CheckoutBody>;
/** Seed 002 `POST /v1/reservations/checkout`: the store travels in the body. */
export const LegacyCheckoutBody = Type.Object({
  ...CheckoutBody.properties,
  // Seed 002 Reservation `parts` (and 002 quote `lines`) name the items.
  items: Type.Array(QuoteItemInput, { minItems: 1, maxItems: 200, 'x-aliases': ['lines', 'parts'] }),
  store_id: Type.String({ maxLength: 100, 'x-aliases': ['businessId'] }),
});

export const CheckoutResult = Type.Object({
  order_id: Type.String(),
  number: Type.String(),
  client_secret: Nullable(Type.String()),
  payment: OrderPayment,
});
export type CheckoutResult = Static<typeof CheckoutResult>;

// ---- Carts ----

export const CartStatus = StringEnum(['active', 'abandoned', 'converted', 'expired'] as const);

export const Cart = Type.Object({
  id: Type.String(),
  store_id: Type.String(),
  profile_id: Nullable(Type.String()),
  token: Type.String(),
  status: CartStatus,
  origin: StringEnum(['storefront', 'admin'] as const),
  created_by_account_id: Type.Optional(Nullable(Type.String())),
  market: Type.String(),
  items: Type.Array(CartItem),
  shipping_address: Type.Optional(Nullable(PartialAddress)),
  billing_address: Type.Optional(Nullable(PartialAddress)),
  forms: Type.Array(FormEntry),
  promo_code: Type.Optional(Nullable(Type.String())),
  payment_method_id: Type.Optional(Nullable(Type.String())),
  shipping_method_id: Type.Optional(Nullable(Type.String())),
  quote_snapshot: Type.Optional(Nullable(Quote)),
  converted_order_id: Type.Optional(Nullable(Type.String())),
  item_count: Type.Integer(),
  last_activity_at: Timestamp,
  abandoned_at: Type.Optional(Nullable(Timestamp)),
  recovery_sent_at: Type.Optional(Nullable(Timestamp)),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Cart = Static<typeof Cart>;

const cartFields = {
  market: Type.Optional(Type.String({ maxLength: 64 })),
  items: Type.Optional(Type.Array(CartItemInput, { maxItems: 200 })),
  shipping_address: Type.Optional(Nullable(PartialAddress)),
  billing_address: Type.Optional(Nullable(PartialAddress)),
  forms: Type.Optional(Forms),
  promo_code: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  payment_method_id: Type.Optional(MethodInput()),
  shipping_method_id: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  store_id: Type.Optional(Type.String({ maxLength: 100 })),
};

/** `profile_id` null or absent: a cart with no profile, e.g. a phone order (CONTRACT §6.2 v1.1); `market` defaults to the store's first. */
export const CreateCartBody = Type.Object({
  ...cartFields,
  profile_id: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  market: Type.Optional(Type.String({ maxLength: 64 })),
});
export type CreateCartBody = Static<typeof CreateCartBody>;
export const UpdateCartBody = Type.Object({ ...cartFields, id: Type.Optional(Type.String()) });
export type UpdateCartBody = Static<typeof UpdateCartBody>;
export const AddCartItemBody = Type.Object({
  item: CartItemInput,
  store_id: Type.Optional(Type.String()),
  id: Type.Optional(Type.String()),
});
export const RemoveCartItemBody = Type.Object({
  item_id: Type.Optional(Type.String()),
  product_id: Type.Optional(Type.String()),
  variant_id: Type.Optional(Type.String()),
  store_id: Type.Optional(Type.String()),
  id: Type.Optional(Type.String()),
});
export const CartCheckoutBody = Type.Object({
  payment_method_id: Type.Optional(MethodInput()),
  store_id: Type.Optional(Type.String()),
  id: Type.Optional(Type.String()),
});
export const CurrentCartBody = Type.Object({
  store_id: Type.Optional(Type.String()),
  market: Type.Optional(Type.String({ maxLength: 64 })),
});
export const CartTokenQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) });

export const ListCartsQuery = Type.Object({
  ...PageQuery,
  profile_id: Type.Optional(Type.String()),
  statuses: Type.Optional(Type.Array(CartStatus)),
  origins: Type.Optional(Type.Array(StringEnum(['storefront', 'admin'] as const))),
  has_items: Type.Optional(Type.Boolean()),
  sort_field: Type.Optional(StringEnum(['created_at', 'updated_at', 'last_activity_at'] as const)),
});
export type ListCartsQuery = Static<typeof ListCartsQuery>;
