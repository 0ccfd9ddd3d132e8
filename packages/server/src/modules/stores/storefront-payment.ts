import type { Db } from '../../lib/context.ts';

/** `StorefrontStore.payment` (CONTRACT §4): what a storefront needs to take card payments. */
export interface StorefrontPayment {
  integration_id: string;
  type: 'stripe';
  publishable_key: string;
  currency: string;
}

/**
 * The store's active Stripe payment integration as the storefront sees it, or null (CONTRACT
 * §10.3 active config: `active_for_card_payments`, else the first). Only readable fields are read.
 */
export async function storefrontPayment(db: Db, storeId: string): Promise<StorefrontPayment | null> {
  const rows = await db
    .selectFrom('integrations')
    .select(['id', 'config'])
    .where('store_id', '=', storeId)
    .where('type', '=', 'stripe')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const parsed = rows.map((r) => ({
    id: r.id,
    config: JSON.parse(r.config) as {
      publishable_key?: string;
      currency?: string;
      active_for_card_payments?: boolean;
    },
  }));
  const active = parsed.find((r) => r.config.active_for_card_payments === true) ?? parsed[0];
  if (!active?.config.publishable_key) return null;
  return {
    integration_id: active.id,
    type: 'stripe',
    publishable_key: active.config.publishable_key,
    currency: active.config.currency ?? 'USD',
  };
}
