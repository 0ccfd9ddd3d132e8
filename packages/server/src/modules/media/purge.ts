import type { Db } from '../../lib/context.ts';
import type { OutboxEvent } from '../../lib/events.ts';
import { enqueue, type JobHandler } from '../../lib/jobs.ts';
import type { MediaStorages } from './storage.ts';

export const PURGE_JOB = 'media.purge_store';

/**
 * Deleting a store cascades its media rows away, but not the files: on `store.deleted` a job
 * removes everything under the store's prefix on every backend (retried by the job runner).
 */
export async function schedulePurge(db: Db, event: OutboxEvent, now: number): Promise<void> {
  if (event.type !== 'store.deleted' || !event.store_id) return;
  await enqueue(db, now, PURGE_JOB, { store_id: event.store_id }, { dedupeKey: `${PURGE_JOB}:${event.store_id}` });
}

export function purgeJob(storages: MediaStorages): JobHandler {
  return async (payload: { store_id: string }) => {
    for (const storage of storages.all()) await storage.deleteStore(payload.store_id);
  };
}
