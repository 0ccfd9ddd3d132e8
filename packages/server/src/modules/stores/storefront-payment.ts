import type { Db } from '../../lib/context.ts';

/** `StorefrontStore.payment` (CONTRACT §4): what a storefront needs to take card payments. */
export interface StorefrontPayment {
  integration_id: string;
  type: 'stripe';
  publishable_key: string;
  currency: string;
}

/**
 * The store's active Stripe payment integration as the storefront sees it, or null.
 * Owned by the integrations module, which replaces this body once integrations exist (§10.3);
 * until then no store can take card payments.
 */
export async function storefrontPayment(_db: Db, _storeId: string): Promise<StorefrontPayment | null> {
  return null;
}
