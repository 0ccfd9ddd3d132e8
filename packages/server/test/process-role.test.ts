import { afterAll, describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { createTestApp, type TestApp } from './helpers.ts';
import { enqueue, handleJob, jobKind } from '../src/lib/jobs.ts';

const PING = jobKind('test.role_ping', Type.Object({}));

/** An app of the given role with one due job of a test kind; `ran` counts its runs. */
async function appWithDueJob(role: string): Promise<{ t: TestApp; ran: () => number }> {
  const t = await createTestApp({ env: { PROCESS_ROLE: role } });
  let runs = 0;
  t.app.deps.jobs.register(
    handleJob(PING, async () => {
      runs += 1;
    }),
  );
  await enqueue(t.app.deps.db.db, t.app.deps.now(), PING, {});
  return { t, ran: () => runs };
}

const apps: TestApp[] = [];
afterAll(async () => {
  for (const t of apps) await t.close();
});

describe('PROCESS_ROLE', { timeout: 120_000 }, () => {
  it('web serves the API but never runs background jobs', async () => {
    const { t, ran } = await appWithDueJob('web');
    apps.push(t);
    expect(await t.app.deps.jobs.tick()).toBe(0);
    expect(ran()).toBe(0);
    const row = await t.app.deps.db.db
      .selectFrom('jobs')
      .select('state')
      .where('kind', '=', PING.kind)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('pending');
    expect((await t.app.inject({ method: 'GET', url: '/v1/platform/events' })).statusCode).toBe(200);
  });

  it('worker runs due jobs and answers only the health probes', async () => {
    const { t, ran } = await appWithDueJob('worker');
    apps.push(t);
    expect(await t.app.deps.jobs.tick()).toBe(1);
    expect(ran()).toBe(1);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    for (const url of ['/v1/platform/events', '/openapi.json', '/nowhere']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: 'not_found' });
    }
    const post = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: {} });
    expect(post.statusCode).toBe(404);
  });

  it('all serves the API and runs jobs', async () => {
    const { t, ran } = await appWithDueJob('all');
    apps.push(t);
    expect(await t.app.deps.jobs.tick()).toBe(1);
    expect(ran()).toBe(1);
    expect((await t.app.inject({ method: 'GET', url: '/v1/platform/events' })).statusCode).toBe(200);
  });
});
