import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  Deleted,
  ListMediaQuery,
  Media,
  MediaParams,
  Page,
  StoreIdParams,
  UpdateMediaBody,
} from '@openarky/contract';
import { notFound } from '../../lib/errors.ts';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { storeScoped } from '../tenancy/index.ts';
import { mimeOfFile } from './mime.ts';
import {
  deleteMedia,
  getMedia,
  listMedia,
  updateMedia,
  uploadMedia,
  type MediaDeps,
} from './media.service.ts';
import { IMMUTABLE_CACHE } from './storage.ts';
import { MAX_FILES_PER_REQUEST, receiveParts } from './upload.ts';

const tags = ['media'];
const FILE = /^(med_[A-Za-z0-9]{1,64})-(original|thumbnail|medium|large)\.[a-z0-9]{1,5}$/;

/** Media upload, list, read, update, delete (CONTRACT §9) and the disk backend's file route. */
export const mediaRoutes: FastifyPluginAsyncTypebox<{ deps: MediaDeps }> = async (app, { deps }) => {
  const config = app.deps.config;

  await storeScoped(app, async (scoped) => {
    // Registered in this encapsulated context only: other modules keep JSON-only bodies.
    await scoped.register(multipart, {
      limits: {
        fileSize: config.media.maxBytes,
        files: MAX_FILES_PER_REQUEST,
        fieldSize: 4096,
        fields: 50,
        parts: 100,
      },
      throwFileSizeLimit: true,
    });

    scoped.post(
      '/v1/stores/:storeId/media',
      {
        schema: {
          tags,
          summary:
            'Upload files (`files` parts) and import URLs (`urls` parts) as media; multipart/form-data',
          consumes: ['multipart/form-data'],
          params: StoreIdParams,
          response: { 201: Type.Array(Media), ...errorResponses },
        },
      },
      async (req, reply) => {
        const received = await receiveParts(req, config.media, deps.tmpDir);
        return reply.code(201).send(await uploadMedia(req.storeCtx, deps, received));
      },
    );

    scoped.get(
      '/v1/stores/:storeId/media',
      {
        schema: {
          tags,
          summary: 'List media',
          params: StoreIdParams,
          querystring: ListMediaQuery,
          response: { 200: Page(Media), ...errorResponses },
        },
      },
      async (req) => listMedia(req.storeCtx, req.query),
    );

    scoped.get(
      '/v1/stores/:storeId/media/:mediaId',
      {
        schema: {
          tags,
          summary: 'Get one media',
          params: MediaParams,
          response: { 200: Media, ...errorResponses },
        },
      },
      async (req) => getMedia(req.storeCtx, req.params.mediaId),
    );

    scoped.put(
      '/v1/stores/:storeId/media/:mediaId',
      {
        schema: {
          tags,
          summary: 'Update title, description, alt, slug or metadata',
          params: MediaParams,
          body: UpdateMediaBody,
          response: { 200: Media, ...errorResponses },
        },
      },
      async (req) => updateMedia(req.storeCtx, req.params.mediaId, req.body),
    );

    scoped.delete(
      '/v1/stores/:storeId/media/:mediaId',
      {
        schema: {
          tags,
          summary: 'Delete a media and every stored file',
          params: MediaParams,
          response: { 200: Deleted, ...errorResponses },
        },
      },
      async (req) => {
        await deleteMedia(req.storeCtx, deps, req.params.mediaId);
        return { deleted: true as const };
      },
    );
  });

  // Public files of the disk backend. A file is served only while its media row exists, so a
  // deleted media's URL 404s even if removing a file failed.
  app.get(
    '/media/:storeId/:file',
    {
      schema: {
        tags,
        summary: 'A stored media file (disk backend)',
        params: Type.Object({
          storeId: Type.String({ maxLength: 100 }),
          file: Type.String({ maxLength: 120 }),
        }),
        response: errorResponses,
      },
    },
    async (req, reply) => {
      const { storeId, file } = req.params;
      const m = FILE.exec(file);
      const path = m ? deps.storages.disk.pathOf(`${storeId}/${file}`) : null;
      if (!m || !path) throw notFound('file');
      const row = await req.ctx.db
        .selectFrom('media')
        .select('id')
        .where('id', '=', m[1]!)
        .where('store_id', '=', storeId)
        .executeTakeFirst();
      const info = row ? await stat(path).catch(() => null) : null;
      if (!info?.isFile()) throw notFound('file');
      reply
        .header('content-type', mimeOfFile(file))
        .header('content-length', info.size)
        .header('cache-control', IMMUTABLE_CACHE)
        .header('x-content-type-options', 'nosniff')
        .header('last-modified', info.mtime.toUTCString());
      return reply.send(createReadStream(path) as never);
    },
  );
};
