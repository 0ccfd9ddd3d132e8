/**
 * Card checkout throughput against the Stripe stand-in (`packages/server/test/stripe-standin.ts`)
 * on a scratch database (PostgreSQL when BENCH_DATABASE_URL is set, else SQLite): every request
 * reserves stock and writes the order in one transaction, commits, creates a PaymentIntent over
 * HTTP, then records it in a second transaction. A cash checkout of the same cart is measured
 * first for comparison. BENCH_DURATION seconds each (default 10), BENCH_CONNECTIONS (default 10);
 * BENCH_STRIPE_LATENCY_MS adds latency to every stand-in answer (default 0; Stripe is ~200–400 ms).
 */
import autocannon from 'autocannon';
import { inProcessServer } from './in-process.ts';
import { api } from './harness.ts';
import { StripeStandIn } from '../packages/server/test/stripe-standin.ts';

export async function cardCheckout(): Promise<void> {
  const engine = process.env.BENCH_DATABASE_URL ? 'postgres' : 'sqlite';
  const stripe = await new StripeStandIn().start();
  stripe.latencyMs = Number(process.env.BENCH_STRIPE_LATENCY_MS ?? 0);
  const server = await inProcessServer({ STRIPE_API_URL: stripe.url });
  const { base, handle } = server;
  try {
    const reg = await fetch(`${base}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, password: 'bench password 123' }),
    });
    const token = ((await reg.json()) as { access_token: string }).access_token;
    const store = await api(base, token, 'POST', '/v1/stores', {
      key: `bench-${Date.now().toString(36)}`,
      timezone: 'UTC',
      billing_email: 'b@example.com',
    });
    await api(base, token, 'PUT', `/v1/stores/${store.id}/markets/us`, {
      tax_bps: 700,
      payment_methods: [{ id: 'credit_card' }, { id: 'cash' }],
    });
    await api(base, token, 'POST', `/v1/stores/${store.id}/integrations`, {
      key: 'stripe',
      provider: {
        type: 'stripe',
        secret_key: 'sk_test_bench',
        publishable_key: 'pk_test_bench',
        webhook_secret: 'whsec_bench',
        currency: 'USD',
        active_for_card_payments: true,
      },
    });
    const p = await api(base, token, 'POST', `/v1/stores/${store.id}/products`, {
      key: 'bench',
      variants: [{ sku: 'B-1', prices: [{ market: 'us', amount: 2500 }], inventory: 10_000_000 }],
    });
    const variantId = p.variants[0].id as string;
    for (const method of ['cash', 'credit_card'] as const) {
      const before = stripe.list('payment_intent').length;
      const result = await autocannon({
        url: `${base}/v1/stores/${store.id}/orders/checkout`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          market: 'us',
          payment_method_id: method,
          items: [{ variant_id: variantId, quantity: 1 }],
        }),
        duration: Number(process.env.BENCH_DURATION ?? 10),
        connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
      });
      await new Promise((r) => setTimeout(r, 3000));
      const intents = stripe.list('payment_intent').length - before;
      console.log(
        `checkout ${method} (${engine}, ${result.connections} connections, ${result.duration}s, stand-in latency ${stripe.latencyMs} ms): ` +
          `${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
          `${result['2xx']} ok, ${result.non2xx} non-2xx, ${result.errors} errors` +
          (method === 'credit_card' ? `, ${intents} PaymentIntents created` : ''),
      );
    }
    const pending = await handle.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('workflow_status', '=', 'pending')
      .executeTakeFirstOrThrow();
    const level = await handle.db
      .selectFrom('inventory_levels')
      .select(['available', 'reserved'])
      .where('variant_id', '=', variantId)
      .executeTakeFirstOrThrow();
    console.log(
      `pending card orders: ${pending.n}; stock reserved: ${level.reserved} (must equal pending orders)`,
    );
  } finally {
    await server.close();
    await stripe.stop();
  }
}
