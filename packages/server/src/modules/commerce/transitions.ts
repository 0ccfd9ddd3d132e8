import type { WorkflowStatus } from '@openarky/contract';
import { AppError } from '../../lib/errors.ts';

/** Order workflow (CONTRACT §6.6): the one table every status change goes through. */
export const ORDER_TRANSITIONS: Readonly<Record<WorkflowStatus, readonly WorkflowStatus[]>> = {
  created: ['confirmed', 'pending', 'cancelled'],
  pending: ['authorized', 'confirmed', 'failed', 'cancelled'],
  authorized: ['confirmed', 'failed', 'cancelled'],
  confirmed: ['shipped', 'completed', 'cancelled'],
  shipped: ['completed'],
  completed: [],
  cancelled: [],
  failed: [],
};

export function canTransition(from: WorkflowStatus, to: WorkflowStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** 409 invalid_transition unless `from → to` is in the table. */
export function assertTransition(from: WorkflowStatus, to: WorkflowStatus): void {
  if (!canTransition(from, to)) throw new AppError('invalid_transition', `An order cannot go from ${from} to ${to}`, { from, to });
}
