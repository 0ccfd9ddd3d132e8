import { Type } from '@sinclair/typebox';
import type { Config } from '../../config.ts';
import type { Db } from '../../lib/context.ts';
import type { OutboxEvent } from '../../lib/events.ts';
import { enqueue, handleJob, jobKind, type JobHandlerDef } from '../../lib/jobs.ts';
import { OutboundError, outboundRequest } from '../../lib/outbound.ts';
import { readRow } from './integration.fields.ts';

/** Changes that rebuild a static site (CONTRACT §10.2). */
const TRIGGERS = ['node.', 'product.', 'service.', 'provider.', 'media.'];
export const DEPLOY_DEBOUNCE_SECONDS = 10;
export const DEPLOY_JOB = jobKind('integrations.deploy_hooks', Type.Object({ store_id: Type.String() }));

/**
 * Outbox subscriber: a catalogue or content change schedules one deploy-hook run per store
 * 10 s later; changes inside that window join the pending run (the dedupe key), so a burst of
 * edits triggers one build.
 */
export async function scheduleDeployHooks(db: Db, event: OutboxEvent, now: number): Promise<void> {
  if (!event.store_id || !TRIGGERS.some((p) => event.type.startsWith(p))) return;
  const any = await db
    .selectFrom('integrations')
    .select('id')
    .where('store_id', '=', event.store_id)
    .where('category', '=', 'deploy')
    .executeTakeFirst();
  if (!any) return;
  await enqueue(
    db,
    now,
    DEPLOY_JOB,
    { store_id: event.store_id },
    { runAt: now + DEPLOY_DEBOUNCE_SECONDS, dedupeKey: `deploy-hooks:${event.store_id}`, maxAttempts: 1 },
  );
}

/** POSTs `{}` to every deploy-hook URL of the store; each failure is logged (without the URL, a secret). */
export function deployHooksJob(config: Config): JobHandlerDef {
  return handleJob(DEPLOY_JOB, async (payload, { db, log }) => {
    const rows = await db
      .selectFrom('integrations')
      .selectAll()
      .where('store_id', '=', payload.store_id)
      .where('category', '=', 'deploy')
      .execute();
    await Promise.all(
      rows.map(async (row) => {
        const url = readRow(row, config).secrets.url;
        if (!url) return;
        try {
          const res = await outboundRequest(
            url,
            { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
            config,
          );
          if (res.status >= 300)
            log.warn({ integration: row.id, status: res.status }, 'deploy hook answered with an error');
        } catch (error) {
          log.warn(
            { integration: row.id, reason: error instanceof OutboundError ? error.reason : 'error' },
            'deploy hook failed',
          );
        }
      }),
    );
  });
}
