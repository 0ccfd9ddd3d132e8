import { countRows, defineModule } from '../../lib/module.ts';
import { recurringJob } from '../../lib/jobs.ts';
import { cartRoutes } from './cart.routes.ts';
import { sweepCarts } from './cart.list.ts';
import { orderRoutes } from './order.routes.ts';
import { promoCodeRoutes } from './promo-code.routes.ts';
import { moveProfileCommerce } from './profile-commerce.ts';

export { profileCommerce } from './profile-commerce.ts';
export { movePromoUses, promoUsage } from './promo-use.ts';
export { type ResolvedLine, type ServiceLines } from './lines.ts';
export { changeWorkflow, ORDER_MACHINE } from './order.workflow.ts';
export { CART_MACHINE } from './cart.machine.ts';
export { ORDER_TRANSITIONS } from './order.transitions.ts';
export { type CardGateway, type CardIntent, type CardPayments } from './card-payments.ts';
export {
  applyCardOutcome,
  beginCardPayment,
  expiredHolds,
  expireOrder,
  lockOrder,
  settleRefund,
  type CardOutcome,
} from './order.payment.ts';
export { findRefund, recordLatePayment, recordProviderRefund } from './late-payment.ts';
export { REFUND_TRANSITIONS } from './refund.transitions.ts';
export { releaseHolds } from './holds.ts';
export type { OrderTable } from './commerce.table.ts';
export { loadOrder } from './order.mapper.ts';

/**
 * Commerce routes (promo codes, carts, quotes, checkout, orders,
 * refunds), the recurring cart sweep (24 h abandonment, 30-day expiry), the `orders` count, and a
 * merged guest's carts and orders moving to the surviving profile.
 */
export const commerceModule = defineModule({
  name: 'commerce',
  storeCounters: { orders: countRows('orders') },
  onProfileMerge: moveProfileCommerce,
  install: () => ({
    routes: async (app) => {
      await app.register(promoCodeRoutes);
      await app.register(cartRoutes);
      await app.register(orderRoutes);
    },
    jobs: [recurringJob('commerce.carts.sweep', 900, ({ db, now }) => sweepCarts(db, now()))],
  }),
});
