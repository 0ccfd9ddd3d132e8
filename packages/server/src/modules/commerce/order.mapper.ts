import type { Order, OrderItem, OrderPayment, Refund } from '@openarky/contract';
import type { Db } from '../../lib/context.ts';
import { fromJson } from '../../lib/json.ts';
import type { OrderItemTable, OrderTable, RefundTable } from './commerce.table.ts';

export function toRefund(row: RefundTable): Refund {
  return {
    id: row.id,
    total: row.amount,
    provider_refund_id: row.provider_refund_id,
    status: row.status,
    created_at: row.created_at,
  };
}

export function toOrderItem(row: OrderItemTable): OrderItem {
  const status =
    row.status === 'pending'
      ? { status: row.status, ...(row.expires_at ? { expires_at: row.expires_at } : {}) }
      : row.status === 'cancelled'
        ? { status: row.status, reason: row.status_reason ?? 'other' }
        : { status: row.status };
  return {
    type: row.type,
    id: row.id,
    ...(row.type === 'product'
      ? { product_id: row.product_id!, variant_id: row.variant_id!, location_id: row.location_id }
      : {}),
    ...(row.type === 'service'
      ? {
          service_id: row.service_id!,
          provider_id: row.provider_id,
          from: row.from_at!,
          to: row.to_at!,
          forms: fromJson(row.forms, []),
        }
      : {}),
    quantity: row.quantity,
    snapshot: fromJson(row.snapshot, {}),
    status,
    unit_price: row.unit_price,
    subtotal: row.subtotal,
    discount: row.discount,
    tax: row.tax,
    total: row.total,
  };
}

export function toOrder(row: OrderTable, items: OrderItemTable[], refunds: RefundTable[]): Order {
  const payment = fromJson<OrderPayment>(row.payment, {} as OrderPayment);
  return {
    id: row.id,
    number: row.number,
    store_id: row.store_id,
    source_cart_id: row.source_cart_id,
    profile_id: row.profile_id,
    verified: row.verified === 1,
    items: items.map(toOrderItem),
    payment: { ...payment, paid: row.paid, refunds: refunds.map(toRefund) },
    shipping_address: fromJson(row.shipping_address, null),
    billing_address: fromJson(row.billing_address, null),
    forms: fromJson(row.forms, []),
    blocks: fromJson(row.blocks, []),
    shipments: [],
    history: fromJson(row.history, []),
    fired_reminders: fromJson(row.fired_reminders, []),
    status: row.status,
    workflow_status: row.workflow_status,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Orders with their items and refunds, in three queries, in the order given. */
export async function toOrders(db: Db, rows: OrderTable[]): Promise<Order[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const items = await db
    .selectFrom('order_items')
    .selectAll()
    .where('order_id', 'in', ids)
    .orderBy('position')
    .execute();
  const refunds = await db
    .selectFrom('refunds')
    .selectAll()
    .where('order_id', 'in', ids)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) =>
    toOrder(
      r,
      items.filter((i) => i.order_id === r.id),
      refunds.filter((f) => f.order_id === r.id),
    ),
  );
}

export async function loadOrder(db: Db, row: OrderTable): Promise<Order> {
  return (await toOrders(db, [row]))[0]!;
}
