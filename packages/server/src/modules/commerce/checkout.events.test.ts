import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call } from '../../../test/fixtures.ts';
import { commerceStore, stockedProduct } from '../../../test/commerce-fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const events = async (storeId: string, type: string) =>
  (
    await t.app.deps.db.db
      .selectFrom('outbox_events')
      .select('data')
      .where('store_id', '=', storeId)
      .where('type', '=', type)
      .orderBy('created_at')
      .execute()
  ).map((e) => JSON.parse(e.data));

// Checkout builds the order it just wrote in memory instead of reading it back (shorter row locks):
// what it sends must be exactly what a later read returns.
describe('checkout without reloads', () => {
  it('emits order.created (pending items) and order.confirmed equal to the stored order; numbers count up from 1001', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const a = await stockedProduct(t.app, owner, storeId, { key: 'a', us: 1000, stock: 5 });
    const b = await stockedProduct(t.app, owner, storeId, { key: 'b', us: 250, stock: 5 });
    const numbers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await call(t.app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/orders/checkout`,
        payload: {
          market: 'us',
          payment_method_id: 'cash',
          items: [
            { variant_id: b.variantId, quantity: 2 },
            { variant_id: a.variantId, quantity: 1 },
          ],
        },
      });
      expect(res.status).toBe(201);
      numbers.push(res.body.number);
      const stored = (await call(t.app, owner, { url: `/v1/stores/${storeId}/orders/${res.body.order_id}` }))
        .body;
      expect(res.body.payment).toEqual(stored.payment);
      const confirmed = (await events(storeId, 'order.confirmed')).find((o) => o.id === res.body.order_id);
      expect(confirmed).toEqual(stored);
      const created = (await events(storeId, 'order.created')).find((o) => o.id === res.body.order_id);
      expect(created.workflow_status).toBe('created');
      expect(created.items.map((x: { status: { status: string } }) => x.status.status)).toEqual([
        'pending',
        'pending',
      ]);
      expect(
        created.items.map((x: { variant_id: string; quantity: number }) => [x.variant_id, x.quantity]),
      ).toEqual([
        [b.variantId, 2],
        [a.variantId, 1],
      ]);
      expect({
        ...created,
        items: undefined,
        history: undefined,
        workflow_status: undefined,
        updated_at: undefined,
      }).toEqual({
        ...stored,
        items: undefined,
        history: undefined,
        workflow_status: undefined,
        updated_at: undefined,
      });
    }
    expect(numbers).toEqual(['1001', '1002']);
    const level = await t.app.deps.db.db
      .selectFrom('inventory_levels')
      .select(['available', 'reserved'])
      .where('variant_id', '=', b.variantId)
      .executeTakeFirstOrThrow();
    expect(level).toEqual({ available: 1, reserved: 0 });
  });
});
