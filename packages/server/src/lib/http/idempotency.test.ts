import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call } from '../../../test/fixtures.ts';
import { ADDRESS, commerceStore, stockedProduct } from '../../../test/commerce-fixtures.ts';
import { withTx } from '../context.ts';
import { newId } from '../ids.ts';

let t: TestApp;
let failAfterFirstPhase = true;
beforeAll(async () => {
  t = await createTestApp({
    build: {
      strictIdempotency: true,
      // A route with two transactions and an outside call between them (the payments shape).
      register: async (app) => {
        app.post('/test/two-phases', async (req, reply) => {
          const id = await withTx(req.ctx, async (tx) => {
            const eventId = newId('evt');
            await tx.db
              .insertInto('outbox_events')
              .values({
                id: eventId,
                store_id: null,
                type: 'probe.one',
                data: '{}',
                created_at: 0,
                dispatched_at: 0,
              })
              .execute();
            return eventId;
          });
          if (failAfterFirstPhase) throw new Error('provider unreachable');
          await withTx(req.ctx, async (tx) => {
            await tx.db
              .insertInto('outbox_events')
              .values({
                id: newId('evt'),
                store_id: null,
                type: 'probe.two',
                data: '{}',
                created_at: 0,
                dispatched_at: 0,
              })
              .execute();
          });
          return reply.code(201).send({ first: id });
        });
        // A route breaking rule 1: a write outside withTx (the key would not know it committed).
        app.post('/test/outside-tx', async (req, reply) => {
          await req.ctx.db
            .insertInto('outbox_events')
            .values({
              id: newId('evt'),
              store_id: null,
              type: 'probe.outside',
              data: '{}',
              created_at: 0,
              dispatched_at: 0,
            })
            .execute();
          return reply.code(201).send({});
        });
      },
    },
  });
});
afterAll(async () => t?.close());

const orderCount = async (storeId: string) =>
  Number(
    (
      await t.app.deps.db.db
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('store_id', '=', storeId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('Idempotency-Key (atomic phases)', () => {
  it('a retry after a crash between commit and reply gets the original order, not a second one', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const { variantId } = await stockedProduct(t.app, owner, storeId, { stock: 5 });
    const body = {
      market: 'us',
      items: [{ variant_id: variantId, quantity: 1 }],
      shipping_address: ADDRESS,
      shipping_method_id: 'standard',
    };
    const headers = { 'idempotency-key': 'crash-between-commit-and-reply' };
    const first = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/orders/checkout`,
      payload: body,
      headers,
    });
    expect(first.status).toBe(201);
    // What a kill -9 after COMMIT and before the reply leaves behind: the key still running, its
    // holder gone (no heartbeat), no stored response.
    await t.app.deps.db.db
      .updateTable('idempotency_keys')
      .set({ state: 'running', response_status: null, response_body: null, locked_until: 0 })
      .where('key', '=', headers['idempotency-key'])
      .execute();
    const retry = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/orders/checkout`,
      payload: body,
      headers,
    });
    expect(retry.status).toBe(201);
    expect(retry.body.order_id).toBe(first.body.order_id);
    expect(retry.body.number).toBe(first.body.number);
    expect(await orderCount(storeId)).toBe(1);
    // And from now on the stored reply is replayed as is.
    const again = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/orders/checkout`,
      payload: body,
      headers,
    });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(retry.body);
  });

  it('a 5xx after a committed phase keeps that phase; the retry runs only the rest', async () => {
    const headers = { 'idempotency-key': 'two-phases-1' };
    failAfterFirstPhase = true;
    const first = await call(t.app, null, {
      method: 'POST',
      url: '/test/two-phases',
      payload: { a: 1 },
      headers,
    });
    expect(first.status).toBe(500);
    failAfterFirstPhase = false;
    const retry = await call(t.app, null, {
      method: 'POST',
      url: '/test/two-phases',
      payload: { a: 1 },
      headers,
    });
    expect(retry.status).toBe(201);
    const types = await t.app.deps.db.db
      .selectFrom('outbox_events')
      .select(['id', 'type'])
      .where('type', 'like', 'probe.%')
      .execute();
    expect(types.filter((e) => e.type === 'probe.one')).toEqual([
      { id: retry.body.first, type: 'probe.one' },
    ]);
    expect(types.filter((e) => e.type === 'probe.two')).toHaveLength(1);
  });

  it('strict: refuses a write outside withTx under a key (it could run twice), allows it without one', async () => {
    const outside = () =>
      t.app.deps.db.db.selectFrom('outbox_events').select('id').where('type', '=', 'probe.outside').execute();
    const keyed = await call(t.app, null, {
      method: 'POST',
      url: '/test/outside-tx',
      payload: {},
      headers: { 'idempotency-key': 'outside-1' },
    });
    expect(keyed.status).toBe(500);
    expect(await outside()).toHaveLength(0);
    const plain = await call(t.app, null, { method: 'POST', url: '/test/outside-tx', payload: {} });
    expect(plain.status).toBe(201);
    expect(await outside()).toHaveLength(1);
  });

  it('keys also cover PUT and DELETE, and a different body is a conflict', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const headers = { 'idempotency-key': 'put-1' };
    const a = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { name: 'One' },
      headers,
    });
    const b = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}`,
      payload: { name: 'Two' },
      headers,
    });
    expect(a.status).toBe(200);
    expect(b).toMatchObject({ status: 409, body: { error: 'idempotency_conflict' } });
  });
});
