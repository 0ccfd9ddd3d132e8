import { createRequire } from 'node:module';
import type Stripe from 'stripe';
import type { Config } from '../../config.ts';
import { sha256 } from '../../lib/crypto.ts';

/**
 * The Stripe package, loaded at first use (≈ 0.35 s and 10 MiB that a store without card payments
 * should not pay at every start). One CommonJS instance, so `instanceof` on its errors holds.
 */
let sdk: typeof Stripe | undefined;
const loadStripe = (): typeof Stripe => (sdk ??= createRequire(import.meta.url)('stripe') as typeof Stripe);

const clients = new Map<string, Stripe>();
const MAX_CLIENTS = 500;

/**
 * The official Stripe client for one secret key, pointed at `STRIPE_API_URL` (host, port and
 * protocol parsed from it, so a local stand-in can replace Stripe). Clients are cached by a hash
 * of the key (never the key itself as a map key that could end up in a heap dump label), at most
 * `MAX_CLIENTS`, oldest evicted first.
 */
export function stripeClient(config: Pick<Config, 'stripeApiUrl'>, secretKey: string): Stripe {
  const cacheKey = `${config.stripeApiUrl} ${sha256(secretKey)}`;
  const cached = clients.get(cacheKey);
  if (cached) return cached;
  const url = new URL(config.stripeApiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const StripeClient = loadStripe();
  const client = new StripeClient(secretKey, {
    host: url.hostname,
    port: url.port || (protocol === 'https' ? 443 : 80),
    protocol,
    // One retry on network errors and 5xx; Stripe replays it safely thanks to the idempotency key.
    maxNetworkRetries: 1,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'OpenArky' },
  });
  if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value!);
  clients.set(cacheKey, client);
  return client;
}

/** Stripe's webhook helpers (signature verification needs no key). */
export const stripeWebhooks = (): Stripe['webhooks'] => loadStripe().webhooks;

/** A Stripe error's safe summary for logs: type, code and message, never request data. */
export function describeStripeError(error: unknown): { type?: string; code?: string; message: string } {
  if (sdk && error instanceof sdk.errors.StripeError)
    return { type: error.type, ...(error.code ? { code: error.code } : {}), message: error.message };
  return { message: error instanceof Error ? error.message : String(error) };
}

export type { Stripe };
