import { Type, type Static } from '@sinclair/typebox';
import { MinorUnits, Nullable, PageQuery, PositiveMinorUnits, StringEnum, Timestamp } from './common.ts';
import { PartialAddress } from './identity.ts';
import { CatalogBlock, CatalogBlockInput } from './catalog.ts';
import { FormEntry, OrderPayment } from './commerce.ts';

/** Orders and refunds (CONTRACT §6.6, §6.7, §11.6). */

const Forms = Type.Array(FormEntry, { maxItems: 50 });

export const WorkflowStatus = StringEnum([
  'created',
  'pending',
  'authorized',
  'confirmed',
  'shipped',
  'completed',
  'cancelled',
  'failed',
] as const);
export type WorkflowStatus = Static<typeof WorkflowStatus>;
export const CancelReason = StringEnum([
  'admin_rejected',
  'profile_cancelled',
  'payment_failed',
  'expired',
  'other',
] as const);

export const ItemStatus = Type.Object({
  status: StringEnum(['pending', 'confirmed', 'cancelled'] as const),
  expires_at: Type.Optional(Timestamp),
  reason: Type.Optional(Type.String()),
});

export const OrderItem = Type.Object({
  type: StringEnum(['product', 'service'] as const),
  id: Type.String(),
  product_id: Type.Optional(Type.String()),
  variant_id: Type.Optional(Type.String()),
  quantity: Type.Integer(),
  location_id: Type.Optional(Nullable(Type.String())),
  service_id: Type.Optional(Type.String()),
  provider_id: Type.Optional(Nullable(Type.String())),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  forms: Type.Optional(Type.Array(FormEntry)),
  snapshot: Type.Record(Type.String(), Type.Unknown()),
  status: ItemStatus,
  unit_price: MinorUnits,
  subtotal: MinorUnits,
  discount: MinorUnits,
  tax: MinorUnits,
  total: MinorUnits,
});
export type OrderItem = Static<typeof OrderItem>;

export const Order = Type.Object({
  id: Type.String(),
  number: Type.String(),
  store_id: Type.String(),
  source_cart_id: Nullable(Type.String()),
  profile_id: Nullable(Type.String()),
  verified: Type.Boolean(),
  items: Type.Array(OrderItem),
  payment: OrderPayment,
  shipping_address: Type.Optional(Nullable(PartialAddress)),
  billing_address: Type.Optional(Nullable(PartialAddress)),
  forms: Type.Array(FormEntry),
  blocks: Type.Array(CatalogBlock),
  shipments: Type.Array(Type.Unknown()),
  history: Type.Array(
    Type.Object({ action: Type.String(), reason: Type.Optional(Type.String()), timestamp: Timestamp }),
  ),
  fired_reminders: Type.Array(Type.Integer()),
  status: StringEnum(['active', 'archived'] as const),
  workflow_status: WorkflowStatus,
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Order = Static<typeof Order>;

export const ListOrdersQuery = Type.Object({
  ...PageQuery,
  profile_id: Type.Optional(Type.String()),
  status: Type.Optional(StringEnum(['active', 'archived'] as const)),
  workflow_statuses: Type.Optional(Type.Array(WorkflowStatus, { 'x-aliases': ['statuses'] })),
  item_statuses: Type.Optional(Type.Array(StringEnum(['pending', 'confirmed', 'cancelled'] as const))),
  product_ids: Type.Optional(Type.Array(Type.String())),
  verified: Type.Optional(Type.Boolean()),
  query: Type.Optional(Type.String({ maxLength: 200 })),
  sort_field: Type.Optional(StringEnum(['created_at', 'number'] as const)),
});
export type ListOrdersQuery = Static<typeof ListOrdersQuery>;

export const UpdateOrderBody = Type.Object({
  confirm: Type.Optional(Type.Boolean()),
  cancel: Type.Optional(Type.Boolean()),
  cancel_reason: Type.Optional(CancelReason),
  status: Type.Optional(StringEnum(['active', 'archived'] as const)),
  workflow_status: Type.Optional(WorkflowStatus),
  shipping_address: Type.Optional(Nullable(PartialAddress)),
  billing_address: Type.Optional(Nullable(PartialAddress)),
  forms: Type.Optional(Forms),
  blocks: Type.Optional(Type.Array(CatalogBlockInput, { maxItems: 100 })),
  payment: Type.Optional(Type.Object({ paid: Type.Optional(MinorUnits) })),
});
export type UpdateOrderBody = Static<typeof UpdateOrderBody>;

export const RefundBody = Type.Object({ amount: PositiveMinorUnits, id: Type.Optional(Type.String()) });
export const StoreRefundBody = Type.Object({
  entity: Type.String({ minLength: 1, maxLength: 100 }),
  amount: PositiveMinorUnits,
  id: Type.Optional(Type.String()),
});

export const OrderParams = Type.Object({
  storeId: Type.String({ maxLength: 100 }),
  id: Type.String({ maxLength: 100 }),
});
