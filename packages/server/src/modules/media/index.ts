import { countRows, defineModule } from '../../lib/module.ts';
import { mediaRoutes } from './media.routes.ts';
import { purgeJob, schedulePurge } from './purge.ts';
import { MediaStorages, uploadTmpDir } from './storage.ts';

export { findMediaByIds } from './media.repo.ts';
export { toMedia } from './media.mapper.ts';
export { checkSlugMap } from './slug.ts';

/** Media routes, the storage backends, the purge of a deleted store's files, the `media` count. */
export const mediaModule = defineModule({
  name: 'media',
  storeCounters: { media: countRows('media') },
  install: ({ config, now }) => {
    const storages = new MediaStorages(config);
    return {
      routes: async (app) => {
        await app.register(mediaRoutes, { deps: { storages, tmpDir: uploadTmpDir(config.dataDir) } });
      },
      subscribers: [(trx, event) => schedulePurge(trx, event, now())],
      jobs: [purgeJob(storages)],
      onClose: async () => storages.close(),
    };
  },
});
