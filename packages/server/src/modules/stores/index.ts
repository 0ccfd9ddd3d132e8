export { storeRoutes } from './store.routes.ts';
export { storeScoped } from './scoped.ts';
export { requireAccount, requireRole, resolveStoreAccess } from './store-scope.ts';
export { registerStoreCount } from './store.counts.ts';
export { getStoreById, isTimeZone } from './store.service.ts';
export { toStore } from './store.mapper.ts';
