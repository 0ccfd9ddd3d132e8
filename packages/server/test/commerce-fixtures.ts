import type { FastifyInstance } from 'fastify';
import { call, createStore, registerAccount, type Caller } from './fixtures.ts';

/** A store whose markets have tax and zones set (us: 7 % exclusive, eu: 20 % inclusive). */
export async function commerceStore(app: FastifyInstance): Promise<{ owner: Caller; storeId: string }> {
  const owner = await registerAccount(app);
  const storeId = await createStore(app, owner);
  const zones = (marketId: string, free_above: number | null) =>
    JSON.stringify([
      {
        id: 'domestic',
        store_id: storeId,
        market_id: marketId,
        countries: ['US', 'FR'],
        states: [],
        postal_codes: [],
        tax_bps: null,
        shipping_methods: [
          { id: 'standard', type: 'shipping', taxable: true, eta_text: '3 days', amount: 500, free_above },
          { id: 'pickup', type: 'pickup', taxable: false, eta_text: 'today', amount: 0 },
        ],
      },
    ]);
  const markets = await app.deps.db.db
    .selectFrom('markets')
    .select(['id', 'key'])
    .where('store_id', '=', storeId)
    .execute();
  for (const m of markets) {
    await app.deps.db.db
      .updateTable('markets')
      .set(
        m.key === 'us'
          ? { tax_bps: 700, zones: zones(m.id, 10_000) }
          : { tax_bps: 2000, zones: zones(m.id, null) },
      )
      .where('id', '=', m.id)
      .execute();
  }
  return { owner, storeId };
}

/** A guest profile of the store through the storefront identify route (with an email when given). */
export async function guest(
  app: FastifyInstance,
  storeId: string,
  payload: { email?: string } = {},
): Promise<Caller & { profileId: string }> {
  const res = await call(app, null, {
    method: 'POST',
    url: `/v1/storefront/${storeId}/profiles/identify`,
    payload,
  });
  if (res.status >= 300) throw new Error(`identify failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { headers: { authorization: `Bearer ${res.body.token.token}` }, profileId: res.body.profile.id };
}

/** A product with one variant priced in both markets and `stock` units store-wide. */
export async function stockedProduct(
  app: FastifyInstance,
  owner: Caller,
  storeId: string,
  opts: { key?: string; us?: number; eu?: number; stock?: number } = {},
) {
  const res = await call(app, owner, {
    method: 'POST',
    url: `/v1/stores/${storeId}/products`,
    payload: {
      key: opts.key ?? `p-${Math.random().toString(36).slice(2, 8)}`,
      variants: [
        {
          sku: 'SKU-1',
          prices: [
            { market: 'us', amount: opts.us ?? 1000 },
            { market: 'eu', amount: opts.eu ?? 1200 },
          ],
          inventory: opts.stock ?? 100,
          weight: 200,
        },
      ],
    },
  });
  if (res.status !== 201) throw new Error(`product failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    productId: res.body.id as string,
    variantId: res.body.variants[0].id as string,
    product: res.body,
  };
}

export const ADDRESS = {
  name: 'Ada Lovelace',
  street1: '1 Main St',
  city: 'Springfield',
  state: 'CA',
  postal_code: '94107',
  country: 'US',
  email: 'ada@example.com',
};
