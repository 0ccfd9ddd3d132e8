import { missing, type Routes } from './objects.ts';

/** Customers and their Billing Portal Sessions. */
export const customerRoutes: Routes = {
  'POST customers': (objects, account, p) => [
    200,
    objects.public(
      objects.create(account, 'cus', 'customer', {
        email: p.email ?? null,
        name: p.name ?? null,
        metadata: p.metadata ?? {},
      }),
    ),
  ],
  'GET customers/:id': (objects, account, _p, id) => objects.read(account, id, 'customer'),
  'POST billing_portal/sessions': (objects, account, p) => {
    const customer = objects.owned(account, String(p.customer ?? ''), 'customer');
    if (!customer) return missing(String(p.customer ?? ''), 'customer');
    const portal = objects.create(account, 'bps', 'billing_portal.session', {
      customer: customer.id,
      return_url: p.return_url ?? null,
    });
    portal.url = `${objects.url}/p/session/${portal.id}`;
    return [200, objects.public(portal)];
  },
};
