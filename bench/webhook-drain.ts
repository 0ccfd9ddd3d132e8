/**
 * Webhook drain after an outage (issue 10's missing figure): one webhook on `product.updated`,
 * 20 products (entities), BENCH_WEBHOOK_EVENTS (default 1,000) updates spread over them. The
 * receiver answers 503 to everything for BENCH_OUTAGE_SECONDS (default 10) from the first event
 * on, then fails BENCH_FAILURE_RATE (default 0.3) of requests at random. Prints the time from
 * recovery until every event was delivered (and until 50 %, 90 %, 99 %), with the retry base
 * (WEBHOOK_RETRY_BASE_SECONDS, default here 1 s: retries after ≈1, 4, 20, 60, 120 s …).
 * Deliveries are ordered per (webhook, entity), so a failing event holds back only the later
 * events of its own product. SQLite unless BENCH_DATABASE_URL is set.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inProcessServer } from './in-process.ts';
import { api, seedStore, sleep } from './harness.ts';

export async function webhookDrain(): Promise<void> {
  const events = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 1000);
  const outageMs = Number(process.env.BENCH_OUTAGE_SECONDS ?? 10) * 1000;
  const failureRate = Number(process.env.BENCH_FAILURE_RATE ?? 0.3);
  const retryBase = process.env.WEBHOOK_RETRY_BASE_SECONDS ?? '1';
  const engine = process.env.BENCH_DATABASE_URL ? 'postgres' : 'sqlite';

  // The receiver: down (503) until `recoveredAt`, then a random share of failures.
  let recoveredAt = Infinity;
  const delivered = new Map<string, number>(); // webhook-id → first 2xx time
  let requests = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      const now = performance.now();
      const ok = now >= recoveredAt && Math.random() >= failureRate;
      const id = String(req.headers['webhook-id'] ?? '');
      if (ok && !delivered.has(id)) delivered.set(id, now);
      res.writeHead(ok ? 200 : 503).end(ok ? 'ok' : 'down');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const server = await inProcessServer(
    {
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      JOB_POLL_INTERVAL_MS: '50',
      WEBHOOK_RETRY_BASE_SECONDS: retryBase,
      RATE_LIMIT_MAX: '0',
      LOG_LEVEL: 'error',
    },
    { runJobs: true },
  );
  try {
    const { token, storeId, productIds } = await seedStore(server.base, 10);
    await api(server.base, token, 'POST', `/v1/stores/${storeId}/webhooks`, {
      key: 'drain',
      url: receiverUrl,
      events: ['product.updated'],
    });

    // The outage starts with the first event; the events go in while the receiver is down.
    const downAt = performance.now();
    let next = 0;
    const writer = async () => {
      for (let i = next++; i < events; i = next++) {
        const id = productIds[i % productIds.length]!;
        await api(server.base, token, 'PUT', `/v1/stores/${storeId}/products/${id}`, {
          status: i % 2 ? 'active' : 'archived',
        });
      }
    };
    await Promise.all(Array.from({ length: 8 }, writer));
    const emittedMs = performance.now() - downAt;
    await sleep(Math.max(0, downAt + outageMs - performance.now()));
    recoveredAt = performance.now();
    const outageWas = recoveredAt - downAt;
    const requestsBefore = requests;

    // Every event once, or a 25-minute cap (a delivery that failed for good would never arrive).
    const cap = recoveredAt + 25 * 60_000;
    while (delivered.size < events && performance.now() < cap) await sleep(100);
    const times = [...delivered.values()].sort((a, b) => a - b);
    const at = (share: number) => times[Math.ceil(events * share) - 1];
    const s = (t: number | undefined) =>
      t === undefined ? 'never' : `${((t - recoveredAt) / 1000).toFixed(1)} s`;
    console.log(
      `webhook drain (${engine}, ${events} events over ${productIds.length} entities, 1 webhook, ` +
        `WEBHOOK_RETRY_BASE_SECONDS=${retryBase}, outage ${(outageWas / 1000).toFixed(1)} s ` +
        `(events written in ${(emittedMs / 1000).toFixed(1)} s), then ${failureRate * 100} % failures):`,
    );
    console.log(
      `  all delivered ${s(at(1))} after recovery (50 %: ${s(at(0.5))}, 90 %: ${s(at(0.9))}, ` +
        `99 %: ${s(at(0.99))}; ${delivered.size} delivered); receiver requests: ${requestsBefore} during the outage, ` +
        `${requests - requestsBefore} after`,
    );
  } finally {
    await server.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}
