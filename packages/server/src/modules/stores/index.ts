export { storeRoutes } from './store.routes.ts';
export { storeScoped } from './scoped.ts';
export { requireAccount, requireRole, resolveStoreAccess } from './store-scope.ts';
export { registerStoreCount } from './store.counts.ts';
export { createStore, getStoreById, isTimeZone } from './store.service.ts';
export { toStore } from './store.mapper.ts';
export { requireStorefrontStore, toStorefrontStore } from './storefront.ts';
export { storefrontPayment, type StorefrontPayment } from './storefront-payment.ts';
export { beforeStoreDelete } from './store.hooks.ts';
