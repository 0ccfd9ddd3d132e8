/**
 * Booking load scenarios against a real server started in-process on a scratch database
 * (PostgreSQL when BENCH_DATABASE_URL is set, else SQLite), seeded through the HTTP API:
 *   availability — storefront availability of one service with 5 providers over 31 days
 *                  (Europe/Berlin, a DST change inside the range, 30-minute slots, some bookings)
 *   booking      — cash checkouts of one and the same slot (capacity 10 000, so every checkout
 *                  books it: all of them contend for one provider's lock and overlap count)
 * Runs autocannon for BENCH_DURATION seconds (default 10) with BENCH_CONNECTIONS (default 10).
 */
import autocannon from 'autocannon';
import { inProcessServer } from './in-process.ts';
import { api } from './harness.ts';

type Scenario = 'availability' | 'booking';
const WEEK = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

async function run(scenario: Scenario): Promise<void> {
  const engine = process.env.BENCH_DATABASE_URL ? 'postgres' : 'sqlite';
  const server = await inProcessServer();
  const { base, handle } = server;
  try {
    const auth = await api(base, null, 'POST', '/v1/auth/register', {
      email: `bench-${Date.now()}@example.com`,
      password: 'bench password 123',
    });
    const token = auth.access_token as string;
    const store = await api(base, token, 'POST', '/v1/stores', {
      key: `bench-${Date.now().toString(36)}`,
      timezone: 'Europe/Berlin',
      billing_email: 'b@example.com',
    });
    const service = await api(base, token, 'POST', `/v1/stores/${store.id}/services`, { key: 'haircut' });
    const providers = scenario === 'availability' ? 5 : 1;
    for (let i = 0; i < providers; i++) {
      const p = await api(base, token, 'POST', `/v1/stores/${store.id}/providers`, { key: `provider-${i}` });
      await api(base, token, 'POST', `/v1/stores/${store.id}/service-providers`, {
        service_id: service.id,
        provider_id: p.id,
        working_days: WEEK.map((day) => ({
          day,
          working_hours: [
            { from: 480, to: 720 },
            { from: 780, to: 1200 },
          ],
        })),
        specific_dates: [],
        prices: [{ market: 'us', amount: 4000 }],
        durations: [{ duration: 30 }],
        slot_interval: 30,
        capacity: scenario === 'booking' ? 10_000 : 1,
      });
    }
    // 2030-03-18 .. 2030-04-18 (Berlin springs forward on 2030-03-31).
    const from = Date.parse('2030-03-18T00:00:00+01:00') / 1000;
    const to = from + 31 * 86400;
    const slot = {
      from: Date.parse('2030-03-20T10:00:00+01:00') / 1000,
      to: Date.parse('2030-03-20T10:30:00+01:00') / 1000,
    };
    if (scenario === 'availability') {
      // A few bookings so spots are computed against real rows.
      for (let d = 0; d < 31; d += 3)
        await api(base, token, 'POST', `/v1/stores/${store.id}/orders/checkout`, {
          market: 'us',
          payment_method_id: 'cash',
          items: [
            {
              type: 'service',
              service_id: service.id,
              slots: [{ from: slot.from + d * 86400, to: slot.to + d * 86400 }],
            },
          ],
        });
    }
    const target = {
      availability: {
        method: 'GET' as const,
        path: `/v1/storefront/${store.id}/services/availability?service_id=${service.id}&from=${from}&to=${to}`,
      },
      booking: {
        method: 'POST' as const,
        path: `/v1/stores/${store.id}/orders/checkout`,
        body: {
          market: 'us',
          payment_method_id: 'cash',
          items: [{ type: 'service', service_id: service.id, slots: [slot] }],
        },
      },
    }[scenario];
    if (scenario === 'availability') {
      const one = await api(base, null, 'GET', target.path);
      const slots = one.providers.reduce(
        (a: number, p: { days: { slots: unknown[] }[] }) =>
          a + p.days.reduce((b, d) => b + d.slots.length, 0),
        0,
      );
      console.log(
        `availability payload: ${one.providers.length} providers × ${one.providers[0].days.length} days, ${slots} slots`,
      );
    }
    const result = await autocannon({
      url: base + target.path,
      method: target.method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      ...('body' in target ? { body: JSON.stringify(target.body) } : {}),
      duration: Number(process.env.BENCH_DURATION ?? 10),
      connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
    });
    await new Promise((r) => setTimeout(r, 3000));
    const booked =
      scenario === 'booking'
        ? await handle.db
            .selectFrom('order_items')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('type', '=', 'service')
            .where('from_at', '=', slot.from)
            .executeTakeFirstOrThrow()
        : null;
    console.log(
      `${scenario} (${engine}, ${result.connections} connections, ${result.duration}s): ` +
        `${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
        `${result['2xx']} ok, ${result.non2xx} non-2xx, ${result.errors} errors` +
        (booked ? `, ${booked.n} bookings of the one slot written` : ''),
    );
  } finally {
    await server.close();
  }
}

export const bookingAvailability = () => run('availability');
export const bookingCheckout = () => run('booking');
