import { defineModule } from '../../lib/module.ts';
import { storeRoutes } from './store.routes.ts';

export { storeRoutes } from './store.routes.ts';
export { createStore, getStoreById, isTimeZone } from './store.service.ts';
export { toStore } from './store.mapper.ts';
export { toStorefrontStore } from './storefront.ts';
export { storefrontPayment, type StorefrontPayment } from './storefront-payment.ts';
export { type PlatformBilling } from './subscription.service.ts';
export { toSubscription } from './store.mapper.ts';
// The guard and lookups live in `modules/tenancy` now; these names stay for callers of the old place.
export {
  storeScoped,
  requireAccount,
  requireRole,
  resolveStoreAccess,
  requireStoreExists,
  storeLocales,
} from '../tenancy/index.ts';

/** Stores, members and subscriptions (CONTRACT §4): the stores domain over the tenancy floor. */
export const storesModule = defineModule({
  name: 'stores',
  install: () => ({
    routes: async (app) => {
      await app.register(storeRoutes);
    },
  }),
});
