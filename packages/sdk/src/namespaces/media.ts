import type { ListMediaQuery, Media, UpdateMediaBody } from '@openarky/contract';
import type { PageRequest, PaginationParams } from '../paginate.ts';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { Deleted, StoreParam } from '../params.ts';

export type { Media };

type MediaRef = StoreParam & ({ media_id: string } | { mediaId: string });
export type MediaList = Partial<Omit<ListMediaQuery, 'cursor'>> & PaginationParams;

/** A file to upload: a File, or a Blob with a name. */
export type UploadFile = Blob | { blob: Blob; name: string };

function mediaIdOf(rest: Record<string, unknown>): string {
  return String(rest.media_id ?? '');
}

/** `sdk.media` (CONTRACT §9): upload (multipart), list, read, update, delete. */
export function mediaNamespace(t: Transport) {
  return {
    /** Uploads `files` and imports `urls` in one multipart request; answers the created Media, in order. */
    uploadStoreMedia: (
      params: StoreParam & { files?: UploadFile[]; urls?: string[] },
    ): Promise<Result<Media[]>> => {
      const { storeId } = t.scope(params);
      const form = new FormData();
      for (const f of params.files ?? []) {
        if (f instanceof Blob) form.append('files', f, (f as Blob & { name?: string }).name || 'file');
        else form.append('files', f.blob, f.name);
      }
      for (const u of params.urls ?? []) form.append('urls', u);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/media`, body: form });
    },
    /** Media of the store (`store_id` or the client's), filtered; `for await` walks every page. */
    getStoreMedia: (params: StoreParam & MediaList = {}): PageRequest<Media> => {
      const { storeId, rest } = t.scope(params);
      return t.list<Media>(path`/v1/stores/${storeId}/media`, rest);
    },
    /** One media. */
    getMedia: (params: MediaRef): Promise<Result<Media>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/stores/${storeId}/media/${mediaIdOf(rest)}` });
    },
    /** Updates title, description, alt, slug or metadata. */
    updateMedia: (params: MediaRef & UpdateMediaBody): Promise<Result<Media>> => {
      const { storeId, rest } = t.scope(params);
      const { media_id, ...body } = rest;
      return t.request({
        method: 'PUT',
        path: path`/v1/stores/${storeId}/media/${String(media_id ?? '')}`,
        body,
      });
    },
    /** Deletes a media and every stored file (`id` = store, as in 0.9.x; default the client's store). */
    deleteStoreMedia: (params: MediaRef & { id?: string }): Promise<Result<Deleted>> => {
      const { storeId, rest } = t.scope(params);
      const store = typeof rest.id === 'string' && rest.id ? rest.id : storeId;
      return t.request({ method: 'DELETE', path: path`/v1/stores/${store}/media/${mediaIdOf(rest)}` });
    },
  };
}

export type MediaNamespace = ReturnType<typeof mediaNamespace>;

/** seed 000 `sdk.store.getStoreMedia({ id, limit, … })`, where `id` is the store (default the client's). */
export function storeGetStoreMedia(t: Transport) {
  return (params: StoreParam & MediaList & { id?: string } = {}): PageRequest<Media> => {
    const { storeId, rest } = t.scope(params);
    const { id, ...query } = rest;
    return t.list<Media>(path`/v1/stores/${typeof id === 'string' && id ? id : storeId}/media`, query);
  };
}
