import { Type } from '@sinclair/typebox';
import type { Db } from '../../lib/context.ts';
import type { OutboxEvent } from '../../lib/events.ts';
import { enqueue, handleJob, jobKind, type JobHandlerDef } from '../../lib/jobs.ts';
import type { MediaStorages } from './storage.ts';

export const PURGE_JOB = jobKind('media.purge_store', Type.Object({ store_id: Type.String() }));

/**
 * Deleting a store cascades its media rows away, but not the files: on `store.deleted` a job
 * removes everything under the store's prefix on every backend (retried by the job runner).
 */
export async function schedulePurge(db: Db, event: OutboxEvent, now: number): Promise<void> {
  if (event.type !== 'store.deleted' || !event.store_id) return;
  await enqueue(
    db,
    now,
    PURGE_JOB,
    { store_id: event.store_id },
    { dedupeKey: `${PURGE_JOB.kind}:${event.store_id}` },
  );
}

export function purgeJob(storages: MediaStorages): JobHandlerDef {
  return handleJob(PURGE_JOB, async (payload) => {
    for (const storage of storages.all()) await storage.deleteStore(payload.store_id);
  });
}
