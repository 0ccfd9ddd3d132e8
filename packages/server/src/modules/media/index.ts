import type { FastifyInstance } from 'fastify';
import { registerStoreCount } from '../stores/index.ts';
import { mediaRoutes } from './media.routes.ts';
import { PURGE_JOB, purgeJob, schedulePurge } from './purge.ts';
import { MediaStorages, uploadTmpDir } from './storage.ts';

export { findMediaByIds } from './media.repo.ts';
export { toMedia } from './media.mapper.ts';
export { checkSlugMap } from './slug.ts';

registerStoreCount('media', 'media');

/** Media routes, the storage backends, and the purge of a deleted store's files. */
export async function registerMedia(app: FastifyInstance): Promise<void> {
  const { bus, jobs, config, now } = app.deps;
  const storages = new MediaStorages(config);
  app.addHook('onClose', async () => storages.close());
  bus.subscribe((trx, event) => schedulePurge(trx, event, now()));
  jobs.register(PURGE_JOB, purgeJob(storages));
  await app.register(mediaRoutes, { deps: { storages, tmpDir: uploadTmpDir(config.dataDir) } });
}
