import type { WorkflowStatus } from '@openarky/contract';

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
