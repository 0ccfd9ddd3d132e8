import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, createStore, registerAccount } from '../../../test/fixtures.ts';
import { DELIVERY_RETENTION_SECONDS } from './index.ts';

let t: TestApp;
const clock = 2_000_000_000;

beforeAll(async () => {
  t = await createTestApp({ build: { now: () => clock } });
});
afterAll(async () => t?.close());

describe('webhooks.prune job', () => {
  it('deletes finished deliveries older than the horizon and keeps recent and pending ones', async () => {
    const owner = await registerAccount(t.app);
    const storeId = await createStore(t.app, owner);
    const wh = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/webhooks`,
      payload: { key: 'prune', url: 'http://127.0.0.1:9/hook', events: ['product.created'] },
    });
    expect(wh.status).toBe(201);
    const horizon = clock - DELIVERY_RETENTION_SECONDS;
    const rows = [
      { id: 'dlv_old_delivered', status: 'delivered', updated_at: horizon - 1 },
      { id: 'dlv_old_failed', status: 'failed', updated_at: horizon - 86_400 },
      { id: 'dlv_old_pending', status: 'pending', updated_at: horizon - 86_400 },
      { id: 'dlv_at_horizon', status: 'delivered', updated_at: horizon },
      { id: 'dlv_recent', status: 'failed', updated_at: clock - 60 },
    ] as const;
    for (const r of rows) {
      await t.app.deps.db.db
        .insertInto('webhook_deliveries')
        .values({
          id: r.id,
          webhook_id: wh.body.id,
          store_id: storeId,
          event_id: `evt_${r.id}`,
          event: 'product.created',
          payload: '{}',
          url: 'http://127.0.0.1:9/hook',
          headers: '{}',
          secret_sealed: 'x',
          status: r.status,
          attempts: 1,
          max_attempts: 8,
          last_status_code: null,
          last_error: null,
          // Pending rows wait far in the future so the delivery poller leaves them alone here.
          next_attempt_at: r.status === 'pending' ? clock + 86_400 : null,
          locked_by: null,
          locked_until: null,
          delivered_at: null,
          created_at: r.updated_at,
          updated_at: r.updated_at,
        })
        .execute();
    }
    await t.app.deps.jobs.scheduleRecurring();
    await t.app.deps.jobs.tick();

    const left = await t.app.deps.db.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('store_id', '=', storeId)
      .orderBy('id')
      .execute();
    expect(left.map((r) => r.id)).toEqual(['dlv_at_horizon', 'dlv_old_pending', 'dlv_recent']);
    const job = await t.app.deps.db.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'webhooks.prune')
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ state: 'pending', last_error: null, run_at: clock + 3600 });
  });
});
