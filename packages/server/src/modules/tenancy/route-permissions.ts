import type { RoutePermission } from './permissions.ts';

/**
 * Every admin route under `/v1/stores/:storeId` with the (collection, action) it needs
 * (CONTRACT §1.7 v1.1). The store guard refuses a route missing here, and
 * `test/route-permissions.test.ts` fails on one. A new route adds one line.
 */
export const ROUTE_PERMISSIONS: Readonly<Record<string, RoutePermission>> = {
  // The store itself, members, roles, billing
  'GET /v1/stores/:storeId': ['settings', 'read'],
  'PUT /v1/stores/:storeId': ['settings', 'write'],
  'DELETE /v1/stores/:storeId': ['settings', 'admin'],
  'PUT /v1/stores/:storeId/subscribe': ['billing', 'admin'],
  'POST /v1/stores/:storeId/subscription/portal': ['billing', 'admin'],
  'POST /v1/stores/:storeId/members': ['members', 'write'],
  'DELETE /v1/stores/:storeId/members/:accountId': ['members', 'write'],
  'GET /v1/stores/:storeId/roles': ['roles', 'read'],
  'POST /v1/stores/:storeId/roles': ['roles', 'write'],
  'GET /v1/stores/:storeId/roles/:id': ['roles', 'read'],
  'PUT /v1/stores/:storeId/roles/:id': ['roles', 'write'],
  'DELETE /v1/stores/:storeId/roles/:id': ['roles', 'write'],
  // Store-branded login codes: anyone (CONTRACT §3)
  'POST /v1/stores/:storeId/auth/code': 'public',
  'POST /v1/stores/:storeId/auth/verify': 'public',
  // Catalogue
  'GET /v1/stores/:storeId/products': ['products', 'read'],
  'GET /v1/stores/:storeId/products/:id': ['products', 'read'],
  'POST /v1/stores/:storeId/products': ['products', 'write'],
  'PUT /v1/stores/:storeId/products/:id': ['products', 'write'],
  'DELETE /v1/stores/:storeId/products/:id': ['products', 'write'],
  'GET /v1/stores/:storeId/promo-codes': ['promo-codes', 'read'],
  'GET /v1/stores/:storeId/promo-codes/:id': ['promo-codes', 'read'],
  'POST /v1/stores/:storeId/promo-codes': ['promo-codes', 'write'],
  'PUT /v1/stores/:storeId/promo-codes/:id': ['promo-codes', 'write'],
  'DELETE /v1/stores/:storeId/promo-codes/:id': ['promo-codes', 'write'],
  // Carts
  'GET /v1/stores/:storeId/carts': ['carts', 'read'],
  'GET /v1/stores/:storeId/carts/:id': ['carts', 'read'],
  'POST /v1/stores/:storeId/carts': ['carts', 'write'],
  'PUT /v1/stores/:storeId/carts/:id': ['carts', 'write'],
  'POST /v1/stores/:storeId/carts/:id/items': ['carts', 'write'],
  'POST /v1/stores/:storeId/carts/:id/items/remove': ['carts', 'write'],
  'POST /v1/stores/:storeId/carts/:id/clear': ['carts', 'write'],
  'POST /v1/stores/:storeId/carts/:id/quote': ['carts', 'read'],
  'POST /v1/stores/:storeId/carts/:id/checkout': ['orders', 'write'],
  // Orders and refunds of orders (member may write them)
  'GET /v1/stores/:storeId/orders': ['orders', 'read'],
  'GET /v1/stores/:storeId/orders/:id': ['orders', 'read'],
  'PUT /v1/stores/:storeId/orders/:id': ['orders', 'write'],
  'POST /v1/stores/:storeId/orders/quote': ['orders', 'read'],
  'POST /v1/stores/:storeId/orders/checkout': ['orders', 'write'],
  'POST /v1/stores/:storeId/orders/:id/refund': ['orders', 'write'],
  'POST /v1/stores/:storeId/refund': ['orders', 'write'],
  // CMS and media
  'GET /v1/stores/:storeId/nodes': ['nodes', 'read'],
  'GET /v1/stores/:storeId/nodes/:id': ['nodes', 'read'],
  'GET /v1/stores/:storeId/nodes/:id/children': ['nodes', 'read'],
  'POST /v1/stores/:storeId/nodes': ['nodes', 'write'],
  'PUT /v1/stores/:storeId/nodes/:id': ['nodes', 'write'],
  'DELETE /v1/stores/:storeId/nodes/:id': ['nodes', 'write'],
  'GET /v1/stores/:storeId/media': ['media', 'read'],
  'GET /v1/stores/:storeId/media/:mediaId': ['media', 'read'],
  'POST /v1/stores/:storeId/media': ['media', 'write'],
  'PUT /v1/stores/:storeId/media/:mediaId': ['media', 'write'],
  'DELETE /v1/stores/:storeId/media/:mediaId': ['media', 'write'],
  // Markets and locations
  'GET /v1/stores/:storeId/markets': ['markets', 'read'],
  'GET /v1/stores/:storeId/markets/:id': ['markets', 'read'],
  'POST /v1/stores/:storeId/markets': ['markets', 'write'],
  'PUT /v1/stores/:storeId/markets/:id': ['markets', 'write'],
  'DELETE /v1/stores/:storeId/markets/:id': ['markets', 'write'],
  'GET /v1/stores/:storeId/locations': ['locations', 'read'],
  'GET /v1/stores/:storeId/locations/:id': ['locations', 'read'],
  'POST /v1/stores/:storeId/locations': ['locations', 'write'],
  'PUT /v1/stores/:storeId/locations/:id': ['locations', 'write'],
  'DELETE /v1/stores/:storeId/locations/:id': ['locations', 'write'],
  // Webhooks, integrations, OAuth
  'GET /v1/stores/:storeId/webhooks': ['webhooks', 'read'],
  'GET /v1/stores/:storeId/webhooks/:id': ['webhooks', 'read'],
  'GET /v1/stores/:storeId/webhooks/:id/deliveries': ['webhooks', 'read'],
  'POST /v1/stores/:storeId/webhooks': ['webhooks', 'write'],
  'POST /v1/stores/:storeId/webhooks/test': ['webhooks', 'write'],
  'POST /v1/stores/:storeId/webhooks/:id/deliveries/:deliveryId/redeliver': ['webhooks', 'write'],
  'PUT /v1/stores/:storeId/webhooks/:id': ['webhooks', 'write'],
  'DELETE /v1/stores/:storeId/webhooks/:id': ['webhooks', 'write'],
  'GET /v1/stores/:storeId/integrations': ['integrations', 'read'],
  'GET /v1/stores/:storeId/integrations/:id': ['integrations', 'read'],
  'GET /v1/stores/:storeId/integrations/config/:type': ['integrations', 'read'],
  'POST /v1/stores/:storeId/integrations': ['integrations', 'write'],
  'PUT /v1/stores/:storeId/integrations/:id': ['integrations', 'write'],
  'DELETE /v1/stores/:storeId/integrations/:id': ['integrations', 'write'],
  'POST /v1/stores/:storeId/oauth/connect': ['integrations', 'write'],
  'POST /v1/stores/:storeId/oauth/disconnect': ['integrations', 'write'],
};

/** The entry of a route (`HEAD` is answered by its `GET`). */
export function routePermission(method: string, url: string): RoutePermission | undefined {
  return ROUTE_PERMISSIONS[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}
