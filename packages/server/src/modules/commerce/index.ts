import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { registerStoreCount } from '../stores/index.ts';
import { productRoutes } from '../catalog/index.ts';
import { cartRoutes } from './cart.routes.ts';
import { sweepCarts } from './cart.service.ts';
import { orderRoutes } from './order.routes.ts';
import { promoCodeRoutes } from './promo-code.routes.ts';

export { profileCommerce } from './profile-commerce.ts';
export { registerServiceLines, type ResolvedLine, type ServiceLines } from './lines.ts';
export { changeWorkflow } from './order.workflow.ts';
export { loadOrder } from './order.mapper.ts';
export { ORDER_TRANSITIONS } from './transitions.ts';

registerStoreCount('orders', 'orders');

/** Catalogue and commerce routes: products, promo codes, carts, quotes, checkout, orders, refunds. */
export const commerceRoutes: FastifyPluginAsync = async (app) => {
  await app.register(productRoutes);
  await app.register(promoCodeRoutes);
  await app.register(cartRoutes);
  await app.register(orderRoutes);
};

/** Recurring cart abandonment (24 h idle) and expiry (30 days). */
export function registerCommerceJobs(deps: AppDeps): void {
  deps.jobs.every('commerce.carts.sweep', 900, async (_payload, { db, now }) => sweepCarts(db, now()));
}
