import { readFile } from 'node:fs/promises';
import type { Static } from '@sinclair/typebox';
import type { ListMediaQuery, Media, PageOf, UpdateMediaBody } from '@openarky/contract';
import { withTx, type StoreCtx } from '../../lib/context.ts';
import { AppError, notFound, validationError, type FieldError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import { renderImage, UndecodableImage, type Rendition } from './images.ts';
import { fetchOutbound, IMPORT_TIMEOUT_MS } from './import.ts';
import { toMedia } from './media.mapper.ts';
import { findMediaRow, listMediaRows } from './media.repo.ts';
import type { MediaTable } from './media.table.ts';
import { extensionOf, RASTER, slugifyFilename } from './mime.ts';
import { checkSlugMap } from './slug.ts';
import type { MediaStorages } from './storage.ts';
import { checkTypes, discard, type IncomingFile } from './upload.ts';
import { storeLocales } from '../tenancy/index.ts';

/** What the media services need besides the request context. */
export interface MediaDeps {
  storages: MediaStorages;
  tmpDir: string;
}

async function localesOf(ctx: StoreCtx): Promise<string[]> {
  return (await storeLocales(ctx.db, ctx.store.id)) ?? ['en'];
}

/**
 * Stores uploaded and imported files as media (CONTRACT §9): type by content, image resolutions,
 * files written to the configured backend, then every row in one transaction. Nothing is kept
 * when any file fails: files already written are removed again.
 */
export async function uploadMedia(
  ctx: StoreCtx,
  deps: MediaDeps,
  received: { files: IncomingFile[]; urls: string[] },
): Promise<Media[]> {
  const all = [...received.files];
  const storage = deps.storages.current;
  const written: string[] = [];
  try {
    for (const [i, url] of received.urls.entries()) {
      all.push(
        await fetchOutbound(ctx.config, url, {
          maxBytes: ctx.config.media.maxBytes,
          timeoutMs: IMPORT_TIMEOUT_MS,
          tmpDir: deps.tmpDir,
          field: `urls.${i}`,
        }),
      );
    }
    await checkTypes(all, ctx.config.media.allowedTypes);
    const [locale] = await localesOf(ctx);
    const now = ctx.now();
    const rows: MediaTable[] = [];
    for (const file of all) {
      const id = newId('med');
      const mime = file.mime!;
      let renditions: Rendition[];
      try {
        renditions = RASTER.has(mime)
          ? await renderImage(file.path, mime)
          : [{ size: 'original', body: await readFile(file.path), mime }];
      } catch (error) {
        if (error instanceof UndecodableImage)
          throw new AppError('unsupported_media_type', `${file.field}: ${error.message}`, {
            field: file.field,
          });
        throw error;
      }
      const resolutions: Record<string, { id: string; size: string; url: string }> = {};
      for (const r of renditions) {
        const key = `${ctx.store.id}/${id}-${r.size}.${extensionOf(r.mime)}`;
        await storage.put(key, r.body, r.mime);
        written.push(key);
        resolutions[r.size] = { id: `${id}_${r.size}`, size: r.size, url: storage.url(key) };
      }
      const original = renditions[0]!;
      const slug = slugifyFilename(file.filename) || id.toLowerCase();
      rows.push({
        id,
        store_id: ctx.store.id,
        mime_type: mime,
        title: null,
        title_sort: '',
        description: null,
        alt: null,
        entity: `store:${ctx.store.id}`,
        metadata: JSON.stringify({
          filename: file.filename,
          bytes: file.bytes,
          ...(original.width ? { width: original.width, height: original.height } : {}),
        }),
        filename: file.filename,
        slug: toJson({ [locale!]: slug }),
        resolutions: toJson(resolutions),
        storage: storage.kind,
        files: toJson(written.filter((k) => k.startsWith(`${ctx.store.id}/${id}-`))),
        bytes: file.bytes,
        created_at: now,
        updated_at: now,
      });
    }
    return await withTx(ctx, async (tx) => {
      const out: Media[] = [];
      for (const row of rows) {
        await tx.db.insertInto('media').values(row).execute();
        const media = toMedia(row);
        await emit(tx, 'media.created', media, ctx.store.id);
        out.push(media);
      }
      return out;
    });
  } catch (error) {
    if (written.length)
      await storage
        .delete(written)
        .catch((e: unknown) => ctx.log.error({ err: e }, 'could not remove files of a failed upload'));
    throw error;
  } finally {
    await discard(all);
  }
}

export async function getMedia(ctx: StoreCtx, id: string): Promise<Media> {
  const row = await findMediaRow(ctx.db, ctx.store.id, id);
  if (!row) throw notFound('media', `No media ${id}`);
  return toMedia(row);
}

export async function listMedia(ctx: StoreCtx, q: Static<typeof ListMediaQuery>): Promise<PageOf<Media>> {
  const page = await listMediaRows(ctx.db, ctx.store.id, q);
  return { ...page, items: page.items.map(toMedia) };
}

export async function updateMedia(
  ctx: StoreCtx,
  id: string,
  input: Static<typeof UpdateMediaBody>,
): Promise<Media> {
  const errors: FieldError[] = [];
  const slug = input.slug !== undefined ? checkSlugMap(input.slug, await localesOf(ctx), errors) : undefined;
  if (errors.length) throw validationError(errors);
  if (input.metadata) {
    let ok = false;
    try {
      const parsed: unknown = JSON.parse(input.metadata);
      ok = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    } catch {
      ok = false;
    }
    if (!ok)
      throw validationError({
        field: 'metadata',
        reason: 'format',
        message: 'metadata must be a JSON object encoded as a string',
      });
  }
  return withTx(ctx, async (tx) => {
    const row = await findMediaRow(tx.db, ctx.store.id, id);
    if (!row) throw notFound('media', `No media ${id}`);
    const patch: Partial<MediaTable> = { updated_at: ctx.now() };
    if (input.title !== undefined)
      Object.assign(patch, { title: input.title, title_sort: (input.title ?? '').toLowerCase() });
    if (input.description !== undefined) patch.description = input.description;
    if (input.alt !== undefined) patch.alt = input.alt;
    if (input.metadata !== undefined) patch.metadata = input.metadata;
    if (slug) patch.slug = toJson(slug);
    await tx.db
      .updateTable('media')
      .set(patch)
      .where('id', '=', id)
      .where('store_id', '=', ctx.store.id)
      .execute();
    return toMedia({ ...row, ...patch });
  });
}

/**
 * Deletes the row (and emits `media.deleted`) in a transaction, then, after commit, every stored
 * file. A file that cannot be removed is logged: on disk its URL 404s anyway (files are served
 * only while their media row exists); on S3 it stays until removed by hand.
 */
export async function deleteMedia(ctx: StoreCtx, deps: MediaDeps, id: string): Promise<void> {
  const row = await withTx(ctx, async (tx) => {
    const found = await findMediaRow(tx.db, ctx.store.id, id);
    if (!found) throw notFound('media', `No media ${id}`);
    await tx.db.deleteFrom('media').where('id', '=', id).where('store_id', '=', ctx.store.id).execute();
    await emit(tx, 'media.deleted', { id, store_id: ctx.store.id }, ctx.store.id);
    return found;
  });
  const files = fromJson<string[]>(row.files, []);
  try {
    await deps.storages.of(row.storage).delete(files);
  } catch (error) {
    ctx.log.error(
      { err: error, media_id: id, files },
      'media row deleted but its files could not be removed',
    );
  }
}
