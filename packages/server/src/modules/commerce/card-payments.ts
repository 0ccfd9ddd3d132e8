import type { Ctx, Db } from '../../lib/context.ts';

/** A PaymentIntent as commerce needs it. */
export interface CardIntent {
  id: string;
  client_secret: string;
  customer: string | null;
}

/**
 * A store's card gateway (its active Stripe integration). Calls leave the process: commerce only
 * calls them outside any transaction that holds stock or order locks.
 */
export interface CardGateway {
  readonly integrationId: string;
  /** Creates the PaymentIntent of an order; the idempotency key derives from the order id. */
  createIntent(input: {
    storeId: string;
    orderId: string;
    amount: number;
    currency: string;
  }): Promise<CardIntent>;
  /** Refunds part of a captured intent; the idempotency key derives from the refund id. */
  refund(input: {
    storeId: string;
    orderId: string;
    intentId: string;
    refundId: string;
    amount: number;
  }): Promise<{ id: string; status: string }>;
}

/** What the payments module plugs into checkout and refunds (CONTRACT §6.4, §6.7). */
export interface CardPayments {
  /** The store's gateway, or null without an active Stripe integration. Reads the database only. */
  gateway(ctx: Ctx, storeId: string): Promise<CardGateway | null>;
  /** Records the intent of a card order, in the transaction that moves the order to `pending`. */
  recordIntent(
    db: Db,
    input: {
      storeId: string;
      orderId: string;
      integrationId: string;
      intent: CardIntent;
      amount: number;
      currency: string;
      now: number;
    },
  ): Promise<void>;
}

declare module '../../lib/module.ts' {
  interface Extensions {
    /** Card payments: the payments module's manifest sets `provides: { cardPayments }`; without it card checkout answers `payment_provider_not_configured`. */
    cardPayments: CardPayments;
  }
}
