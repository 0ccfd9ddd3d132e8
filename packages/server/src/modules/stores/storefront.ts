import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StorefrontParams, StorefrontStore } from '@openarky/contract';
import type { Db } from '../../lib/context.ts';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { fromJson } from '../../lib/json.ts';
import { storefrontScoped, type StoreTable } from '../tenancy/index.ts';
import { storefrontPayment } from './storefront-payment.ts';

/** Public view of a store: no subscription, counts, settings or billing email; plus `payment`. */
export async function toStorefrontStore(db: Db, row: StoreTable): Promise<StorefrontStore> {
  const emails = fromJson<{ support?: string }>(row.emails, {});
  return {
    id: row.id,
    key: row.key,
    timezone: row.timezone,
    languages: fromJson(row.languages, [{ id: 'en' }]),
    emails: { support: emails.support ?? '' },
    status: row.status,
    is_network: row.is_network === 1,
    payment: await storefrontPayment(db, row.id),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** `GET /v1/storefront/{storeId}` (CONTRACT §4, `sf.store.getStore`). */
export const storefrontStoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await storefrontScoped(app, async (sf) => {
    sf.get(
      '/v1/storefront/:storeId',
      {
        schema: {
          tags: ['storefront'],
          summary: 'The store as shoppers see it',
          security: [],
          params: StorefrontParams,
          response: { 200: StorefrontStore, ...errorResponses },
        },
      },
      async (req) => toStorefrontStore(req.ctx.db, req.storefront.store),
    );
  });
};
