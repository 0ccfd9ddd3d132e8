import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, createStore, registerAccount, uploadFiles, type Caller } from '../../../test/fixtures.ts';
import { s3Env, startS3StandIn, type S3StandIn } from '../../../test/s3-standin.ts';

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .png()
    .toBuffer();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const LIMIT = 300_000;

let s3: S3StandIn;
let assets: Server;
let assetsUrl: string;
let pngBytes: Buffer;

beforeAll(async () => {
  s3 = await startS3StandIn();
  pngBytes = await png(900, 600);
  assets = createServer((req, res) => {
    if (req.url === '/pics/remote-photo.png')
      return void res.writeHead(200, { 'content-type': 'image/png' }).end(pngBytes);
    res.writeHead(404).end('nope');
  });
  await new Promise<void>((r) => assets.listen(0, '127.0.0.1', r));
  assetsUrl = `http://127.0.0.1:${(assets.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await s3?.close();
  await new Promise((r) => assets?.close(r));
});

describe.each(['disk', 's3'] as const)('media on %s', (backend) => {
  let t: TestApp;
  let owner: Caller;
  let storeId: string;

  beforeAll(async () => {
    t = await createTestApp({
      env: { MEDIA_MAX_BYTES: String(LIMIT), ...(backend === 's3' ? s3Env(s3) : {}) },
    });
    owner = await registerAccount(t.app);
    storeId = await createStore(t.app, owner);
  });
  afterAll(async () => t?.close());

  /** Reads a media URL: the app's own file route on disk, the stand-in on S3. */
  async function fetchUrl(
    url: string,
  ): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> {
    if (backend === 'disk') {
      expect(url.startsWith(`${t.config.publicUrl}/media/`)).toBe(true);
      const res = await t.app.inject({ url: new URL(url).pathname });
      return { status: res.statusCode, body: res.rawPayload, headers: res.headers };
    }
    expect(url.startsWith(`${s3.url}/${s3.bucket}/`)).toBe(true);
    const res = await fetch(url);
    return {
      status: res.status,
      body: Buffer.from(await res.arrayBuffer()),
      headers: Object.fromEntries(res.headers),
    };
  }

  it('uploads a PNG with thumbnail, medium and large resolutions served at absolute URLs', async () => {
    const res = await uploadFiles(t.app, owner, storeId, [
      { name: 'Crème Brûlée.PNG', type: 'image/png', data: pngBytes },
    ]);
    expect(res.status).toBe(201);
    const [media] = res.body;
    expect(media).toMatchObject({
      store_id: storeId,
      mime_type: 'image/png',
      entity: `store:${storeId}`,
      slug: { en: 'creme-brulee' },
      title: null,
    });
    expect(JSON.parse(media.metadata)).toEqual({
      filename: 'Crème Brûlée.PNG',
      bytes: pngBytes.length,
      width: 900,
      height: 600,
    });
    expect(Object.keys(media.resolutions).sort()).toEqual(['large', 'medium', 'original', 'thumbnail']);
    expect(media.resolutions.thumbnail.size).toBe('thumbnail');
    const thumb = await fetchUrl(media.resolutions.thumbnail.url);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/png');
    expect(thumb.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const meta = await sharp(thumb.body).metadata();
    expect(meta.width).toBe(320);
    expect(meta.height).toBe(213);
    const medium = await sharp((await fetchUrl(media.resolutions.medium.url)).body).metadata();
    expect(medium.width).toBe(900); // never enlarged
    const original = await fetchUrl(media.resolutions.original.url);
    expect(original.body.equals(pngBytes)).toBe(true);
    const store = await call(t.app, owner, { url: `/v1/stores/${storeId}` });
    expect(store.body.counts.media).toBeGreaterThanOrEqual(1);
  });

  it('applies EXIF orientation and strips metadata', async () => {
    const photo = await sharp({ create: { width: 800, height: 400, channels: 3, background: '#3366aa' } })
      .jpeg()
      .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: 'secret camera' } } })
      .toBuffer();
    expect((await sharp(photo).metadata()).orientation).toBe(6);
    const res = await uploadFiles(t.app, owner, storeId, [
      { name: 'photo.jpg', type: 'image/jpeg', data: photo },
    ]);
    expect(res.status).toBe(201);
    const media = res.body[0];
    for (const size of ['original', 'thumbnail']) {
      const meta = await sharp((await fetchUrl(media.resolutions[size].url)).body).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation ?? 1).toBe(1);
      if (size === 'thumbnail') expect([meta.width, meta.height]).toEqual([160, 320]);
      else expect([meta.width, meta.height]).toEqual([400, 800]);
    }
    expect(JSON.parse(media.metadata)).toMatchObject({ width: 400, height: 800 });
  });

  it('takes several files per request; non-images get only the original', async () => {
    const res = await uploadFiles(t.app, owner, storeId, [
      { name: 'a.png', type: 'image/png', data: await png(40, 40) },
      { name: 'terms.pdf', type: 'application/pdf', data: PDF },
    ]);
    expect(res.status).toBe(201);
    expect(res.body.map((m: { mime_type: string }) => m.mime_type)).toEqual(['image/png', 'application/pdf']);
    expect(Object.keys(res.body[1].resolutions)).toEqual(['original']);
    const pdf = await fetchUrl(res.body[1].resolutions.original.url);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.body.equals(PDF)).toBe(true);
  });

  it('refuses a file over the limit while streaming (413) and writes nothing', async () => {
    const before = await t.app.deps.db.db.selectFrom('media').select('id').execute();
    const objects = s3.objects.size;
    const big = Buffer.alloc(LIMIT + 5000, 1);
    const res = await uploadFiles(t.app, owner, storeId, [
      { name: 'ok.png', type: 'image/png', data: await png(10, 10) },
      { name: 'big.png', type: 'image/png', data: big },
    ]);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({
      error: 'payload_too_large',
      details: { limit: LIMIT, field: 'files.1' },
    });
    expect(await t.app.deps.db.db.selectFrom('media').select('id').execute()).toHaveLength(before.length);
    expect(s3.objects.size).toBe(objects);
    expect(readdirSync(join(t.config.dataDir, 'tmp'))).toEqual([]);
  });

  it('checks the type by content as well as by declared type (415)', async () => {
    const lying = await uploadFiles(t.app, owner, storeId, [{ name: 'x.png', type: 'image/png', data: PDF }]);
    expect(lying.status).toBe(415);
    expect(lying.body).toMatchObject({ error: 'unsupported_media_type', details: { field: 'files.0' } });
    const text = await uploadFiles(t.app, owner, storeId, [
      { name: 'x.txt', type: 'text/plain', data: Buffer.from('hello') },
    ]);
    expect(text.status).toBe(415);
    const garbage = await uploadFiles(t.app, owner, storeId, [
      { name: 'x.jpg', type: 'image/jpeg', data: Buffer.from('not really a jpeg at all') },
    ]);
    expect(garbage.status).toBe(415);
    const generic = await uploadFiles(t.app, owner, storeId, [
      { name: 'y.bin', type: 'application/octet-stream', data: await png(8, 8) },
    ]);
    expect(generic.status).toBe(201);
    expect(generic.body[0].mime_type).toBe('image/png');
    const json = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/media`,
      payload: { files: [] },
    });
    expect(json.status).toBe(415);
  });

  it('imports URLs through the outbound guard', async () => {
    const res = await uploadFiles(t.app, owner, storeId, [], [`${assetsUrl}/pics/remote-photo.png`]);
    expect(res.status).toBe(201);
    expect(res.body[0]).toMatchObject({ mime_type: 'image/png', slug: { en: 'remote-photo' } });
    expect(Object.keys(res.body[0].resolutions)).toContain('thumbnail');
    const missing = await uploadFiles(t.app, owner, storeId, [], [`${assetsUrl}/nothing.png`]);
    expect(missing.body).toMatchObject({
      error: 'validation_error',
      details: { field: 'urls.0', reason: 'fetch_failed' },
    });
    const privateAddr = await uploadFiles(t.app, owner, storeId, [], ['http://10.1.2.3/a.png']);
    expect(privateAddr.body).toMatchObject({
      error: 'validation_error',
      details: { field: 'urls.0', reason: 'private_address' },
    });
    const scheme = await uploadFiles(t.app, owner, storeId, [], ['file:///etc/passwd']);
    expect(scheme.body).toMatchObject({
      error: 'validation_error',
      details: { field: 'urls.0', reason: 'scheme' },
    });
  });

  it('lists with mime_type, ids, query, sort and cursor pages; updates fields', async () => {
    const s = await createStore(t.app, owner);
    const up = await uploadFiles(t.app, owner, s, [
      { name: 'zebra.png', type: 'image/png', data: await png(12, 12) },
      { name: 'apple.png', type: 'image/png', data: await png(12, 12) },
      { name: 'manual.pdf', type: 'application/pdf', data: PDF },
    ]);
    const [zebra, apple, manual] = up.body;
    const list = async (q: string) => (await call(t.app, owner, { url: `/v1/stores/${s}/media?${q}` })).body;
    expect((await list('mime_type=image/*')).items.map((m: { id: string }) => m.id).sort()).toEqual(
      [zebra.id, apple.id].sort(),
    );
    expect((await list('mime_type=application/pdf')).items.map((m: { id: string }) => m.id)).toEqual([
      manual.id,
    ]);
    expect((await list(`ids=${encodeURIComponent(JSON.stringify([apple.id]))}`)).items).toHaveLength(1);
    expect((await list('query=ZEBRA')).items.map((m: { id: string }) => m.id)).toEqual([zebra.id]);
    const upd = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${s}/media/${apple.id}`,
      payload: { title: 'A red apple', alt: 'apple', description: 'd', slug: { fr: 'pomme' } },
    });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({
      title: 'A red apple',
      alt: 'apple',
      description: 'd',
      slug: { fr: 'pomme' },
    });
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${s}/media/${zebra.id}`,
      payload: { title: 'Zebra' },
    });
    expect((await list('query=pomme')).items.map((m: { id: string }) => m.id)).toEqual([apple.id]);
    const byTitle = await list('sort_field=title&sort_direction=asc&limit=2');
    expect(byTitle.items.map((m: { id: string }) => m.id)).toEqual([manual.id, apple.id]);
    expect(byTitle.has_more).toBe(true);
    const next = await list(
      `sort_field=title&sort_direction=asc&limit=2&cursor=${encodeURIComponent(byTitle.cursor)}`,
    );
    expect(next.items.map((m: { id: string }) => m.id)).toEqual([zebra.id]);
    expect(next.cursor).toBeNull();
    const bad = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${s}/media/${apple.id}`,
      payload: { slug: { de: 'apfel' } },
    });
    expect(bad.body).toMatchObject({ error: 'validation_error', details: { field: 'slug.de' } });
    const badMeta = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${s}/media/${apple.id}`,
      payload: { metadata: 'nope' },
    });
    expect(badMeta.body).toMatchObject({ error: 'validation_error', details: { field: 'metadata' } });
  });

  it('deletes the media and every stored file', async () => {
    const res = await uploadFiles(t.app, owner, storeId, [
      { name: 'gone.png', type: 'image/png', data: await png(500, 500) },
    ]);
    const media = res.body[0];
    const urls = Object.values(media.resolutions).map((r) => (r as { url: string }).url);
    for (const url of urls) expect((await fetchUrl(url)).status).toBe(200);
    const del = await call(t.app, owner, {
      method: 'DELETE',
      url: `/v1/stores/${storeId}/media/${media.id}`,
    });
    expect(del).toMatchObject({ status: 200, body: { deleted: true } });
    for (const url of urls) expect((await fetchUrl(url)).status).toBe(404);
    if (backend === 'disk')
      expect(existsSync(join(t.config.dataDir, 'media', storeId, `${media.id}-original.png`))).toBe(false);
    else expect([...s3.objects.keys()].some((k) => k.includes(media.id))).toBe(false);
    expect((await call(t.app, owner, { url: `/v1/stores/${storeId}/media/${media.id}` })).status).toBe(404);
    expect(
      (await call(t.app, owner, { method: 'DELETE', url: `/v1/stores/${storeId}/media/${media.id}` })).status,
    ).toBe(404);
    const events = await t.app.deps.db.db
      .selectFrom('outbox_events')
      .select(['type', 'data'])
      .where('store_id', '=', storeId)
      .where('type', 'like', 'media.%')
      .execute();
    expect(events.filter((e) => e.type === 'media.deleted').map((e) => JSON.parse(e.data).id)).toContain(
      media.id,
    );
    expect(events.some((e) => e.type === 'media.created')).toBe(true);
  });

  it('guards the store: anonymous 401, non-member 404', async () => {
    const stranger = await registerAccount(t.app);
    expect(
      (await uploadFiles(t.app, null, storeId, [{ name: 'a.png', type: 'image/png', data: await png(8, 8) }]))
        .status,
    ).toBe(401);
    expect(
      (
        await uploadFiles(t.app, stranger, storeId, [
          { name: 'a.png', type: 'image/png', data: await png(8, 8) },
        ])
      ).status,
    ).toBe(404);
    expect((await call(t.app, stranger, { url: `/v1/stores/${storeId}/media` })).status).toBe(404);
    expect((await call(t.app, null, { url: `/v1/stores/${storeId}/media` })).status).toBe(401);
    if (backend === 'disk')
      expect((await t.app.inject({ url: `/media/${storeId}/..%2F..%2Fsecrets.json` })).statusCode).toBe(404);
  });
});

describe.each(['disk', 's3'] as const)('deleting a store on %s', (backend) => {
  it('purges every file of the store once the store is gone', async () => {
    const t = await createTestApp({ env: backend === 's3' ? s3Env(s3) : {} });
    try {
      const owner = await registerAccount(t.app);
      const keep = await createStore(t.app, owner);
      const doomed = await createStore(t.app, owner);
      const file = { name: 'p.png', type: 'image/png', data: await png(30, 30) };
      expect((await uploadFiles(t.app, owner, keep, [file])).status).toBe(201);
      const res = await uploadFiles(t.app, owner, doomed, [
        file,
        { name: 'q.pdf', type: 'application/pdf', data: PDF },
      ]);
      expect(res.status).toBe(201);
      const stored = (storeId: string) =>
        backend === 'disk'
          ? existsSync(join(t.config.dataDir, 'media', storeId))
            ? readdirSync(join(t.config.dataDir, 'media', storeId)).length
            : 0
          : [...s3.objects.keys()].filter((k) => k.startsWith(`${storeId}/`)).length;
      expect(stored(doomed)).toBe(5);
      expect((await call(t.app, owner, { method: 'DELETE', url: `/v1/stores/${doomed}` })).status).toBe(200);
      await t.app.deps.jobs.tick();
      await t.app.deps.jobs.tick();
      expect(stored(doomed)).toBe(0);
      expect(stored(keep)).toBe(4);
    } finally {
      await t.close();
    }
  });
});

describe('the S3 stand-in', () => {
  it('decodes the streaming (aws-chunked) PutObject the official client sends for stream bodies', async () => {
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'test-access-key', secretAccessKey: 'test-secret-key' },
    });
    try {
      const before = s3.log.length;
      await client.send(
        new PutObjectCommand({
          Bucket: s3.bucket,
          Key: 'probe/stream.bin',
          Body: Readable.from([Buffer.from('hello '), Buffer.from('world')]),
          ContentLength: 11,
        }),
      );
      expect(s3.objects.get('probe/stream.bin')?.body.toString()).toBe('hello world');
      const got = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'probe/stream.bin' }));
      expect(await got.Body!.transformToString()).toBe('hello world');
      expect(s3.log.slice(before)).toContainEqual(
        expect.stringMatching(/^PUT \/media-test\/probe\/stream\.bin.*aws-chunked/),
      );
      const wrongKey = new S3Client({
        region: 'us-east-1',
        endpoint: s3.url,
        forcePathStyle: true,
        credentials: { accessKeyId: 'other', secretAccessKey: 'x' },
      });
      await expect(
        wrongKey.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'probe/x', Body: 'x' })),
      ).rejects.toThrow();
      wrongKey.destroy();
    } finally {
      client.destroy();
      s3.objects.delete('probe/stream.bin');
    }
  });
});
