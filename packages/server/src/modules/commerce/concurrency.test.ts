import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { createDb, type DbHandle } from '../../db/create-db.ts';
import { ENGINE, createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call } from '../../../test/fixtures.ts';
import { commerceStore, stockedProduct } from '../../../test/commerce-fixtures.ts';

/**
 * Real HTTP under contention: on PostgreSQL two server processes' worth of apps (each with its
 * own pool) share one database; on SQLite one process. Only the database can keep them honest.
 */
let t: TestApp;
let second: { app: FastifyInstance; handle: DbHandle } | null = null;
const bases: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  bases.push(`http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`);
  if (ENGINE === 'postgres') {
    const handle = createDb({ url: t.db.url, poolMax: 10 });
    const app = await buildApp(t.config, { db: handle, runJobs: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    second = { app, handle };
    bases.push(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
  }
});
afterAll(async () => {
  if (second) {
    await second.app.close();
    await second.handle.close();
  }
  await t?.close();
});

async function post(i: number, path: string, headers: Record<string, string>, body: unknown) {
  const res = await fetch(bases[i % bases.length]! + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe(`no oversell (${ENGINE}, ${ENGINE === 'postgres' ? 'two app instances' : 'one process'})`, () => {
  it('50 concurrent checkouts for 10 units: exactly 10 orders, 40 × 409 insufficient_stock', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const { variantId } = await stockedProduct(t.app, owner, storeId, { stock: 10 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(i, `/v1/stores/${storeId}/orders/checkout`, owner.headers, {
          market: 'us',
          items: [{ variant_id: variantId, quantity: 1 }],
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const r of refused)
      expect(r.body).toMatchObject({ error: 'insufficient_stock', details: { field: 'items.0' } });
    expect(ok.map((r) => Number(r.body.number)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10 }, (_, i) => 1001 + i),
    );
    const level = await t.app.deps.db.db
      .selectFrom('inventory_levels')
      .select(['available', 'reserved'])
      .where('variant_id', '=', variantId)
      .executeTakeFirstOrThrow();
    // Cash orders are confirmed at once, so nothing stays reserved.
    expect(level).toEqual({ available: 0, reserved: 0 });
    const items = await t.app.deps.db.db
      .selectFrom('order_items')
      .select(['quantity', 'status'])
      .where('store_id', '=', storeId)
      .execute();
    expect(items).toHaveLength(10);
    expect(items.every((i) => i.status === 'confirmed')).toBe(true);
  });

  it('one Idempotency-Key sent 8 times at once creates one order', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const { variantId } = await stockedProduct(t.app, owner, storeId, { stock: 50 });
    const body = { items: [{ variant_id: variantId, quantity: 2 }] };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        post(
          i,
          `/v1/stores/${storeId}/orders/checkout`,
          { ...owner.headers, 'idempotency-key': 'same-checkout' },
          body,
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(results.map((r) => r.body.order_id)).size).toBe(1);
    const orders = await t.app.deps.db.db
      .selectFrom('orders')
      .select('id')
      .where('store_id', '=', storeId)
      .execute();
    expect(orders).toHaveLength(1);
    const level = await t.app.deps.db.db
      .selectFrom('inventory_levels')
      .select('available')
      .where('variant_id', '=', variantId)
      .executeTakeFirstOrThrow();
    expect(level.available).toBe(48);
  });

  it('concurrent refunds never pass the refundable amount; one key makes one refund', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const { variantId } = await stockedProduct(t.app, owner, storeId, { us: 1000 });
    const co = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/orders/checkout`,
      payload: { items: [{ variant_id: variantId, quantity: 1 }] },
    });
    expect(co.body.payment.total).toBe(1070);
    const path = `/v1/stores/${storeId}/orders/${co.body.order_id}/refund`;
    const same = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        post(i, path, { ...owner.headers, 'idempotency-key': 'same-refund' }, { amount: 100 }),
      ),
    );
    expect(same.every((r) => r.status === 200)).toBe(true);
    const afterSame = await t.app.deps.db.db
      .selectFrom('refunds')
      .select('amount')
      .where('order_id', '=', co.body.order_id)
      .execute();
    expect(afterSame).toHaveLength(1);
    const racing = await Promise.all(
      Array.from({ length: 12 }, (_, i) => post(i, path, owner.headers, { amount: 300 })),
    );
    const ok = racing.filter((r) => r.status === 200);
    const refused = racing.filter((r) => r.status === 400);
    expect(ok).toHaveLength(3);
    expect(refused).toHaveLength(9);
    for (const r of refused)
      expect(r.body).toMatchObject({ error: 'refund_exceeds_captured', details: { refundable: 70 } });
    const refunds = await t.app.deps.db.db
      .selectFrom('refunds')
      .select('amount')
      .where('order_id', '=', co.body.order_id)
      .execute();
    expect(refunds.reduce((a, r) => a + Number(r.amount), 0)).toBe(1000);
  });
});
