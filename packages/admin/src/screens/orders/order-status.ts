import type { Order } from '@openarky/contract';

type Status = Order['workflow_status'];

/** The admin actions the contract's transition table allows from each status (CONTRACT §6.6). */
export function allowedActions(
  order: Order,
): { label: string; body: Record<string, unknown>; color?: string }[] {
  const s: Status = order.workflow_status;
  const hasProducts = order.items.some((i) => i.type === 'product');
  const actions: { label: string; body: Record<string, unknown>; color?: string }[] = [];
  if (s === 'pending' || s === 'authorized') actions.push({ label: 'Confirm', body: { confirm: true } });
  if (s === 'confirmed' && hasProducts)
    actions.push({ label: 'Mark shipped', body: { workflow_status: 'shipped' } });
  if (s === 'confirmed' || s === 'shipped')
    actions.push({ label: 'Complete', body: { workflow_status: 'completed' } });
  if (s === 'created' || s === 'pending' || s === 'authorized' || s === 'confirmed')
    actions.push({ label: 'Cancel order', body: { cancel: true }, color: 'red' });
  return actions;
}

/** Refundable = (card ? paid : total) − refunds not failed (CONTRACT §6.7). */
export function refundable(order: Order): number {
  const base = order.payment.method_type === 'credit_card' ? order.payment.paid : order.payment.total;
  return base - order.payment.refunds.filter((r) => r.status !== 'failed').reduce((a, r) => a + r.total, 0);
}

export const STATUS_COLOR: Record<Status, string> = {
  created: 'gray',
  pending: 'yellow',
  authorized: 'yellow',
  confirmed: 'blue',
  shipped: 'indigo',
  completed: 'green',
  cancelled: 'red',
  failed: 'red',
};
