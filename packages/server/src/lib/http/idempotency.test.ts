import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call } from '../../../test/fixtures.ts';
import { ADDRESS, commerceStore, stockedProduct } from '../../../test/commerce-fixtures.ts';
import { withTx } from '../context.ts';
import { newId } from '../ids.ts';
import { seal, unseal } from '../sealed.ts';

let t: TestApp;
let failAfterFirstPhase = true;
const logLines: { level?: number; msg?: string }[] = [];
beforeAll(async () => {
  t = await createTestApp({
    env: { LOG_LEVEL: 'error' },
    build: {
      logStream: {
        write: (line) => void logLines.push(JSON.parse(line) as { level?: number; msg?: string }),
      },
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
        // A phase that runs only while a state it commits is absent: a replay skips it.
        app.post('/test/conditional-phase', async (req, reply) => {
          const marker = await req.ctx.db
            .selectFrom('outbox_events')
            .select('id')
            .where('type', '=', 'probe.marker')
            .executeTakeFirst();
          if (!marker)
            await withTx(req.ctx, async (tx) => {
              const id = newId('evt');
              await tx.db
                .insertInto('outbox_events')
                .values({
                  id,
                  store_id: null,
                  type: 'probe.marker',
                  data: '{}',
                  created_at: 0,
                  dispatched_at: 0,
                })
                .execute();
              return id;
            });
          const answer = await withTx(req.ctx, async () => ({ answer: 42 }));
          return reply.code(201).send(answer);
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

  it('refuses (500, logged) a write outside withTx under a key (it could run twice), allows it without one', async () => {
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
    expect(
      logLines.some(
        (l) =>
          (l.level ?? 0) >= 50 &&
          l.msg?.startsWith(
            'InsertQueryNode outside withTx in POST /test/outside-tx with an Idempotency-Key: refused',
          ),
      ),
    ).toBe(true);
    const plain = await call(t.app, null, { method: 'POST', url: '/test/outside-tx', payload: {} });
    expect(plain.status).toBe(201);
    expect(await outside()).toHaveLength(1);
  });

  it("a replay whose phases come out of step answers 500 instead of one phase getting another one's result", async () => {
    const headers = { 'idempotency-key': 'out-of-step' };
    const first = await call(t.app, null, {
      method: 'POST',
      url: '/test/conditional-phase',
      payload: {},
      headers,
    });
    expect(first).toMatchObject({ status: 201, body: { answer: 42 } });
    // A crash after the first phase committed, before the second: only the first is recorded.
    const row = await t.app.deps.db.db
      .selectFrom('idempotency_keys')
      .select('tx_results')
      .where('key', '=', headers['idempotency-key'])
      .executeTakeFirstOrThrow();
    const phases = JSON.parse(unseal(t.config, row.tx_results!)) as unknown[];
    expect(phases).toHaveLength(2);
    await t.app.deps.db.db
      .updateTable('idempotency_keys')
      .set({
        state: 'running',
        response_status: null,
        response_body: null,
        locked_until: 0,
        tx_results: seal(t.config, JSON.stringify(phases.slice(0, 1))),
      })
      .where('key', '=', headers['idempotency-key'])
      .execute();
    // The marker exists now, so the retry's first transaction is the answer's: not the marker's id.
    const retry = await call(t.app, null, {
      method: 'POST',
      url: '/test/conditional-phase',
      payload: {},
      headers,
    });
    expect(retry.status).toBe(500);
    expect(
      logLines.some((l) =>
        JSON.stringify(l).includes('idempotency replay out of step in POST /test/conditional-phase'),
      ),
    ).toBe(true);
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
