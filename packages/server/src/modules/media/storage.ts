import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../../config.ts';

/** Where media files live (CONTRACT §9: "the storage backend is a server setting"). */
export interface MediaStorage {
  readonly kind: 'disk' | 's3';
  /** Stores one file under `key` (`<storeId>/<file>`). */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** Removes files; missing ones are not an error. */
  delete(keys: readonly string[]): Promise<void>;
  /** Removes every file of a store (`<storeId>/…`), after the store itself was deleted. */
  deleteStore(storeId: string): Promise<void>;
  /** The absolute public URL of `key`. */
  url(key: string): string;
}

const STORE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** Files served with this header never change: every file name carries its media id. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

/** Files under `DATA_DIR/media`, served by the app at `PUBLIC_URL/media/<key>`. */
export class DiskStorage implements MediaStorage {
  readonly kind = 'disk' as const;
  readonly root: string;
  readonly #publicUrl: string;

  constructor(dataDir: string, publicUrl: string) {
    this.root = resolve(dataDir, 'media');
    this.#publicUrl = publicUrl;
  }

  /** Absolute path of a key, or null when the key would leave the media root. */
  pathOf(key: string): string | null {
    const path = resolve(this.root, key);
    return path.startsWith(this.root + sep) ? path : null;
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.pathOf(key);
    if (!path) throw new Error(`invalid media key ${key}`);
    await mkdir(dirname(path), { recursive: true });
    // Written beside and renamed: a reader never sees half a file.
    const tmp = `${path}.${process.pid}.part`;
    await writeFile(tmp, body);
    await rename(tmp, path);
  }

  async delete(keys: readonly string[]): Promise<void> {
    await Promise.all(
      keys
        .map((k) => this.pathOf(k))
        .filter((p): p is string => !!p)
        .map((p) => rm(p, { force: true })),
    );
  }

  async deleteStore(storeId: string): Promise<void> {
    if (!STORE_ID.test(storeId)) throw new Error(`invalid store id ${storeId}`);
    await rm(join(this.root, storeId), { recursive: true, force: true });
  }

  url(key: string): string {
    return `${this.#publicUrl}/media/${key.split('/').map(encodeURIComponent).join('/')}`;
  }
}

type S3Settings = NonNullable<Config['media']['s3']>;

type S3Module = typeof S3Sdk;

/** Any S3-compatible store through the official client (AWS, MinIO, R2, …). */
export class S3Storage implements MediaStorage {
  readonly kind = 's3' as const;
  #conn: Promise<{ sdk: S3Module; client: S3Client }> | null = null;
  readonly #s3: S3Settings;

  constructor(s3: S3Settings) {
    this.#s3 = s3;
  }

  /** The AWS SDK (a large module) is loaded on the first S3 operation, never on a disk-only server. */
  #connect(): Promise<{ sdk: S3Module; client: S3Client }> {
    const s3 = this.#s3;
    this.#conn ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: s3.region,
        forcePathStyle: s3.forcePathStyle,
        ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
        ...(s3.accessKeyId && s3.secretAccessKey
          ? { credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } }
          : {}),
      }),
    }));
    return this.#conn;
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const { sdk, client } = await this.#connect();
    const { PutObjectCommand } = sdk;
    await client.send(
      new PutObjectCommand({
        Bucket: this.#s3.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        CacheControl: IMMUTABLE_CACHE,
      }),
    );
  }

  async delete(keys: readonly string[]): Promise<void> {
    const { sdk, client } = await this.#connect();
    const { DeleteObjectsCommand } = sdk;
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const out = await client.send(
        new DeleteObjectsCommand({
          Bucket: this.#s3.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      if (out.Errors?.length)
        throw new Error(`S3 refused to delete ${out.Errors.map((e) => `${e.Key}: ${e.Code}`).join(', ')}`);
    }
  }

  async deleteStore(storeId: string): Promise<void> {
    if (!STORE_ID.test(storeId)) throw new Error(`invalid store id ${storeId}`);
    const { sdk, client } = await this.#connect();
    const { ListObjectsV2Command } = sdk;
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: this.#s3.bucket,
          Prefix: `${storeId}/`,
          ContinuationToken: token,
        }),
      );
      const keys = (page.Contents ?? []).map((o) => o.Key).filter((k): k is string => !!k);
      if (keys.length) await this.delete(keys);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  url(key: string): string {
    const path = key.split('/').map(encodeURIComponent).join('/');
    if (this.#s3.publicUrl) return `${this.#s3.publicUrl}/${path}`;
    if (this.#s3.endpoint) {
      if (this.#s3.forcePathStyle) return `${this.#s3.endpoint}/${this.#s3.bucket}/${path}`;
      const u = new URL(this.#s3.endpoint);
      return `${u.protocol}//${this.#s3.bucket}.${u.host}/${path}`;
    }
    return `https://${this.#s3.bucket}.s3.${this.#s3.region}.amazonaws.com/${path}`;
  }

  destroy(): void {
    void this.#conn?.then(({ client }) => client.destroy());
  }
}

/** The storages of one app: the configured one for new uploads, and each kind for deletes. */
export class MediaStorages {
  readonly disk: DiskStorage;
  readonly #s3: S3Storage | null;
  readonly current: MediaStorage;

  constructor(config: Config) {
    this.disk = new DiskStorage(config.dataDir, config.publicUrl);
    this.#s3 = config.media.s3 ? new S3Storage(config.media.s3) : null;
    this.current = config.media.storage === 's3' ? this.#s3! : this.disk;
  }

  /** The backend that holds a row's files. */
  of(kind: 'disk' | 's3'): MediaStorage {
    if (kind === 'disk') return this.disk;
    if (!this.#s3) throw new Error('media stored on S3 but S3 is not configured');
    return this.#s3;
  }

  /** Every backend in use: a store's files may sit on disk and on S3 after a backend switch. */
  all(): MediaStorage[] {
    return this.#s3 ? [this.disk, this.#s3] : [this.disk];
  }

  close(): void {
    this.#s3?.destroy();
  }
}

/** Temp directory for uploads in progress (same disk as DATA_DIR, so big files stay off memory). */
export function uploadTmpDir(dataDir: string): string {
  return join(dataDir, 'tmp');
}
