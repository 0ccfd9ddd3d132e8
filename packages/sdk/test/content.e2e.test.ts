import { createServer, type AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test/helpers.ts';
import { s3Env, startS3StandIn, type S3StandIn } from '../../server/test/s3-standin.ts';
import {
  createArkyClient,
  createStorefrontClient,
  type ArkyClientConfig,
  type Result,
  type TokenSet,
} from '../src/index.ts';

function val<T>(res: Result<T>): T {
  if (!res.ok) throw new Error(`${res.val.error}: ${res.val.message}`);
  return res.val;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

let s3: S3StandIn;
beforeAll(async () => {
  s3 = await startS3StandIn();
});
afterAll(async () => s3?.close());

describe.each(['disk', 's3'] as const)('content and media through the SDK (%s storage)', (backend) => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    t = await createTestApp({ env: { PUBLIC_URL: baseUrl, ...(backend === 's3' ? s3Env(s3) : {}) } });
    await t.app.listen({ port, host: '127.0.0.1' });
  });
  afterAll(async () => t?.close());

  function config(extra: Partial<ArkyClientConfig> = {}): ArkyClientConfig {
    const box: { set: TokenSet | null } = { set: null };
    return {
      storeId: '',
      baseUrl,
      getToken: () => box.set,
      setToken: (_t, set) => void (box.set = set ?? null),
      ...extra,
    };
  }

  it('uploads, publishes a localized blog, reads it on the storefront, rejects bad entries, deletes media', async () => {
    const sdk = createArkyClient(config());
    val(
      await sdk.auth.register({
        email: `content-${backend}-${Date.now()}@example.com`,
        password: 'correct horse battery',
      }),
    );
    const store = val(
      await sdk.store.createStore({
        key: `blog-${backend}-${Date.now().toString(36)}`,
        timezone: 'Europe/Paris',
        billing_email: 'b@example.com',
        languages: [{ id: 'en' }, { id: 'fr' }],
      }),
    );
    sdk.setStoreId(store.id);

    // 1. Upload a PNG: its thumbnail is served and at most 320 px wide.
    const png = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#e34' } })
      .png()
      .toBuffer();
    const [image] = val(
      await sdk.media.uploadStoreMedia({ files: [new File([png], 'hero.png', { type: 'image/png' })] }),
    );
    expect(image!.mime_type).toBe('image/png');
    const thumbUrl = sdk.utils.getImageUrl(image, 'thumbnail')!;
    expect(thumbUrl.startsWith(backend === 'disk' ? `${baseUrl}/media/` : `${s3.url}/${s3.bucket}/`)).toBe(
      true,
    );
    const thumb = await fetch(thumbUrl);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/png');
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBeLessThanOrEqual(320);

    // 2. A blog collection with a schema.
    const blog = val(
      await sdk.cms.node.create({
        key: 'blog',
        schema: [
          { key: 'title', type: 'text', properties: { required: true, max_length: 60 }, value: [] },
          { key: 'minutes', type: 'number', properties: { min: 0 }, value: [] },
          { key: 'image', type: 'relationship', properties: { target: 'media' }, value: [] },
        ],
      }),
    );
    expect(blog.schema).toHaveLength(3);

    // 3. Three entries with English and French titles referencing the image.
    const titles = [
      ['First steps', 'Premiers pas'],
      ['Going further', 'Aller plus loin'],
      ['Last words', 'Derniers mots'],
    ];
    for (const [i, [en, fr]] of titles.entries()) {
      val(
        await sdk.cms.node.create({
          key: `entry-${i}`,
          parent_id: blog.id,
          slug: { en: `entry-${i}`, fr: `article-${i}` },
          blocks: [
            { key: 'title', type: 'text', value: [{ en: en!, fr: fr! }] },
            { key: 'minutes', type: 'number', value: [3 + i] },
            { key: 'image', type: 'relationship', value: [`media:${image!.id}`] },
          ],
        }),
      );
    }
    const kids = [];
    for await (const child of sdk.cms.node.getChildren({ id: blog.id, limit: 2 })) kids.push(child.key);
    expect(kids.sort()).toEqual(['entry-0', 'entry-1', 'entry-2']);

    // 4. The storefront reads an entry hydrated, and by its French slug.
    const sf = createStorefrontClient(config({ storeId: store.id, locale: 'fr' }));
    const entry = val(await sf.cms.node.get({ key: 'entry-1' }));
    expect(sf.utils.getBlockTextValue(entry.blocks.find((b) => b.key === 'title'))).toBe('Aller plus loin');
    expect(
      sf.utils.getBlockTextValue(
        entry.blocks.find((b) => b.key === 'title'),
        'en',
      ),
    ).toBe('Going further');
    const hydratedImage = sf.utils.getBlockValue(entry, 'image');
    expect(hydratedImage).toMatchObject({ id: image!.id, mime_type: 'image/png' });
    expect(
      sf.utils.getImageUrl(
        entry.blocks.find((b) => b.key === 'image'),
        'thumbnail',
      ),
    ).toBe(thumbUrl);
    const bySlug = val(await sf.cms.node.get({ slug: 'article-2' }));
    expect(bySlug.key).toBe('entry-2');
    const collection = val(await sf.cms.node.get({ id: blog.id }));
    expect(collection.children).toHaveLength(3);
    const found = val(await sf.cms.node.find({ parent_id: blog.id, query: 'premiers' }));
    expect(found.items.map((n) => n.key)).toEqual(['entry-0']);
    const refs = val(await sf.cms.node.get({ key: 'entry-0', hydrate: false }));
    expect(sf.utils.getBlockValues(refs, 'image')).toEqual([`media:${image!.id}`]);

    // 5. A negative number or an over-long title is rejected with the block path.
    const negative = await sdk.cms.node.create({
      key: 'bad-1',
      parent_id: blog.id,
      blocks: [
        { key: 'title', type: 'text', value: ['Fine'] },
        { key: 'minutes', type: 'number', value: [-1] },
      ],
    });
    expect(negative.ok).toBe(false);
    expect(negative.val).toMatchObject({
      error: 'validation_error',
      status_code: 400,
      details: { field: 'blocks.1.value.0', reason: 'min' },
    });
    const long = await sdk.cms.node.create({
      key: 'bad-2',
      parent_id: blog.id,
      blocks: [{ key: 'title', type: 'text', value: [{ en: 'ok', fr: 'x'.repeat(61) }] }],
    });
    expect(long.val).toMatchObject({
      error: 'validation_error',
      details: { field: 'blocks.0.value.0.fr', reason: 'max_length' },
    });

    // 6. Media listed by mime_type (both SDK names).
    const pdf = new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' });
    val(await sdk.media.uploadStoreMedia({ files: [{ blob: pdf, name: 'guide.pdf' }] }));
    expect(val(await sdk.media.getStoreMedia({ mime_type: 'image/png' })).items.map((m) => m.id)).toEqual([
      image!.id,
    ]);
    expect(
      val(
        await sdk.store.getStoreMedia({
          id: store.id,
          limit: 50,
          cursor: null,
          mime_type: 'application/pdf',
        }),
      ).items,
    ).toHaveLength(1);
    expect(val(await sdk.media.getStoreMedia({ mime_type: 'image/*' })).items).toHaveLength(1);
    const updated = val(
      await sdk.media.updateMedia({ media_id: image!.id, title: 'Hero', alt: 'A red hero image' }),
    );
    expect(updated).toMatchObject({ title: 'Hero', alt: 'A red hero image' });
    expect(val(await sdk.media.getMedia({ mediaId: image!.id })).title).toBe('Hero');

    // 7. Deleting the media makes its files unreachable; the entry keeps a plain reference.
    val(await sdk.media.deleteStoreMedia({ id: store.id, media_id: image!.id }));
    for (const r of Object.values(image!.resolutions)) expect((await fetch(r.url)).status).toBe(404);
    const after = val(await sf.cms.node.get({ key: 'entry-1' }));
    expect(sf.utils.getBlockValues(after, 'image')).toEqual([`media:${image!.id}`]);

    const blocked = await sdk.cms.node.delete({ id: blog.id });
    expect(blocked.val).toMatchObject({ error: 'in_use', details: { reason: 'has_children' } });
  });

  it('measures upload throughput for a 5 MB JPEG', async () => {
    const sdk = createArkyClient(config());
    val(
      await sdk.auth.register({
        email: `tput-${backend}-${Date.now()}@example.com`,
        password: 'correct horse battery',
      }),
    );
    const store = val(
      await sdk.store.createStore({
        key: `tput-${backend}-${Date.now().toString(36)}`,
        timezone: 'UTC',
        billing_email: 'b@example.com',
      }),
    );
    sdk.setStoreId(store.id);
    // Random noise barely compresses, so the JPEG stays large; grow the side until it is ≥ 5 MB.
    const noiseJpeg = (side: number) => {
      const noise = Buffer.alloc(side * side * 3);
      for (let i = 0; i + 4 <= noise.length; i += 4)
        noise.writeUInt32LE((Math.random() * 0x1_0000_0000) >>> 0, i);
      return sharp(noise, { raw: { width: side, height: side, channels: 3 } })
        .jpeg({ quality: 92, chromaSubsampling: '4:4:4' })
        .toBuffer();
    };
    let side = 1500;
    let jpeg = await noiseJpeg(side);
    while (jpeg.length < 5_000_000) {
      side = Math.ceil(side * Math.sqrt(5_100_000 / jpeg.length));
      jpeg = await noiseJpeg(side);
    }
    expect(jpeg.length).toBeGreaterThan(5 * 1000 * 1000);
    const runs = 3;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const res = val(
        await sdk.media.uploadStoreMedia({
          files: [new File([jpeg], `noise-${i}.jpg`, { type: 'image/jpeg' })],
        }),
      );
      times.push(performance.now() - started);
      expect(Object.keys(res[0]!.resolutions).sort()).toEqual(['large', 'medium', 'original', 'thumbnail']);
    }
    const best = Math.min(...times);
    const mean = times.reduce((a, b) => a + b, 0) / runs;
    const mb = jpeg.length / 1e6;
    console.log(
      `[throughput ${backend}] ${mb.toFixed(2)} MB JPEG ${side}×${side}: mean ${mean.toFixed(0)} ms (${(mb / (mean / 1000)).toFixed(1)} MB/s), best ${best.toFixed(0)} ms (${(mb / (best / 1000)).toFixed(1)} MB/s), incl. 3 resizes + storage`,
    );
  });
});
