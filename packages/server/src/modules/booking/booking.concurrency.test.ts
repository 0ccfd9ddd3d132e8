import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, type TestApp } from '../../../test/helpers.ts';
import { spawnServer, type ServerProcess } from '../../../test/spawn.ts';
import { call, type Caller } from '../../../test/fixtures.ts';
import { commerceStore } from '../../../test/commerce-fixtures.ts';
import { at, bookableService, link, setTimeZone } from '../../../test/booking-fixtures.ts';

/**
 * Never double-booked, under real HTTP contention: on PostgreSQL two server processes (this
 * test's app and the compiled server spawned as a child process, each with its own pool) share one
 * database and requests alternate between them; on SQLite one process. Only the database can keep
 * them honest.
 */
let t: TestApp;
let second: ServerProcess | null = null;
const bases: string[] = [];
let owner: Caller;
let storeId: string;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  bases.push(`http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`);
  if (ENGINE === 'postgres') {
    // Same database and JWT secret, so the owner's token is valid on both processes.
    second = await spawnServer({
      DATABASE_URL: t.db.url!,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'openarky-second-')),
      JWT_SECRET: t.config.jwtSecret,
    });
    bases.push(second.url);
  }
  ({ owner, storeId } = await commerceStore(t.app));
  await setTimeZone(t.app, owner, storeId, 'Europe/Berlin');
  // Building the server (when a source changed) and starting it take a while on a loaded machine;
  // longer than spawnServer's own 90 s start deadline, so a child never outlives a timed-out hook.
}, 240_000);
afterAll(async () => {
  if (second && second.child.exitCode === null) {
    second.child.kill('SIGTERM');
    await second.exited;
  }
  await t?.close();
});

async function checkout(i: number, items: unknown[]) {
  const res = await fetch(`${bases[i % bases.length]}/v1/stores/${storeId}/orders/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...owner.headers },
    body: JSON.stringify({ market: 'eu', items }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function activeItems(providerId: string) {
  return t.app.deps.db.db
    .selectFrom('order_items')
    .select(['from_at', 'to_at', 'status'])
    .where('provider_id', '=', providerId)
    .where('status', '!=', 'cancelled')
    .execute();
}

const slot = { from: at('2030-10-27T10:00+01:00'), to: at('2030-10-27T11:00+01:00') };

describe(`never double-booked (${ENGINE}, ${ENGINE === 'postgres' ? 'two server processes' : 'one process'})`, () => {
  it('50 concurrent checkouts of one capacity-1 slot: exactly 1 order, 49 × 409 slot_unavailable', async () => {
    const { service, providers } = await bookableService(t.app, owner, storeId, { capacity: 1 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        checkout(i, [{ type: 'service', service_id: service.id, slots: [slot] }]),
      ),
    );
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(49);
    for (const r of refused)
      expect(r.body).toMatchObject({ error: 'slot_unavailable', details: { field: 'items.0' } });
    expect(await activeItems(providers[0].id)).toHaveLength(1);
  });

  it('capacity 3: exactly 3 orders', async () => {
    const { service, providers } = await bookableService(t.app, owner, storeId, { capacity: 3 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        checkout(i, [{ type: 'service', service_id: service.id, slots: [slot] }]),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 409)).toHaveLength(47);
    expect(await activeItems(providers[0].id)).toHaveLength(3);
    const avail = await call(t.app, owner, {
      url: `/v1/stores/${storeId}/services/availability?service_id=${service.id}&from=${slot.from}&to=${slot.to}`,
    });
    expect(avail.body.providers[0].days[0].slots).toEqual([]);
  });

  it('a 60-minute and an overlapping 30-minute service of one provider at once: one is refused', async () => {
    for (let round = 0; round < 5; round++) {
      const long = await bookableService(t.app, owner, storeId);
      const provider = long.providers[0];
      const short = await call(t.app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/services`,
        payload: { key: `short-${round}-${Date.now()}` },
      });
      await link(t.app, owner, storeId, short.body.id, provider.id, { duration: 30, interval: 30 });
      const results = await Promise.all([
        checkout(round, [{ type: 'service', service_id: long.service.id, slots: [slot] }]),
        checkout(round + 1, [
          { type: 'service', service_id: short.body.id, slots: [{ from: slot.from + 1800, to: slot.to }] },
        ]),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(results.find((r) => r.status === 409)!.body).toMatchObject({ error: 'slot_unavailable' });
      expect(await activeItems(provider.id)).toHaveLength(1);
    }
  });

  it('a mix of services and durations on one provider: overlaps never exceed capacity', async () => {
    const base = await bookableService(t.app, owner, storeId, { capacity: 2, duration: 60, interval: 30 });
    const provider = base.providers[0];
    const other = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/services`,
      payload: { key: `mix-${Date.now()}` },
    });
    await link(t.app, owner, storeId, other.body.id, provider.id, {
      capacity: 2,
      duration: 90,
      interval: 30,
    });
    const starts = [0, 1800, 3600, 5400].map((d) => slot.from + d);
    const requests = Array.from({ length: 40 }, (_, i) => {
      const from = starts[i % starts.length]!;
      return i % 2
        ? [{ type: 'service', service_id: base.service.id, slots: [{ from, to: from + 3600 }] }]
        : [{ type: 'service', service_id: other.body.id, slots: [{ from, to: from + 5400 }] }];
    });
    const results = await Promise.all(requests.map((items, i) => checkout(i, items)));
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const booked = (await activeItems(provider.id)).map((b) => ({
      from: Number(b.from_at),
      to: Number(b.to_at),
    }));
    expect(booked.length).toBeGreaterThan(0);
    // At no instant are more than `capacity` (2) bookings running. The most concurrent instant is
    // some booking's start. (Pairwise "at most capacity − 1 others overlap each booking" is not the
    // guarantee: 0–60, 30–120 and 60–150 are legal in any order, and the middle one overlaps two.)
    for (const b of booked)
      expect(booked.filter((o) => o.from <= b.from && o.to > b.from).length).toBeLessThanOrEqual(2);
  });
});
