import type { Cart } from '@openarky/contract';
import { defineMachine } from '../../lib/state-machine.ts';

type CartStatus = Cart['status'];

/**
 * Cart lifecycle (CONTRACT §6.2): activity brings an abandoned cart back; a converted or expired
 * cart never changes again. Carts have no entry effects yet, so the machine is the table alone.
 */
export const CART_MACHINE = defineMachine<CartStatus, unknown>({
  subject: 'A cart',
  transitions: {
    active: ['abandoned', 'converted', 'expired'],
    abandoned: ['active', 'converted', 'expired'],
    converted: [],
    expired: [],
  },
});
