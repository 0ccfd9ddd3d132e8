import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { Ajv2020 as Ajv } from 'ajv/dist/2020.js';
import * as contract from '@openarky/contract';
import { createTestApp, type TestApp } from './helpers.ts';
import { createStore, registerAccount, uploadFiles } from './fixtures.ts';
import { ENTITY_EXAMPLES } from '../src/lib/http/openapi-examples.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = (name: string) => join(ROOT, 'node_modules/.bin', name);
// Never spawnSync here: the server under test answers from this process's event loop.
const run = (file: string, args: string[], cwd?: string) =>
  promisify(execFile)(file, args, { cwd, encoding: 'utf8' }).then(
    () => ({ status: 0, output: '' }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      status: error.code ?? 1,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  );

interface Response {
  description: string;
  content?: Record<string, { schema: unknown }>;
}
type Ref = { $ref: string };
interface Parameter {
  name: string;
  in: string;
  schema: unknown;
}
interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: (Parameter | Ref)[];
  responses: Record<string, Response | Ref>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { examples?: unknown[] }>;
    parameters: Record<string, Parameter>;
    responses: Record<string, Response>;
  };
}

let t: TestApp;
let baseUrl: string;
let doc: Doc;
let raw: string;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  raw = (await t.app.inject('/openapi.json')).body;
  doc = JSON.parse(raw) as Doc;
});
afterAll(async () => {
  await t.close();
});

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
  );

describe('the OpenAPI document', () => {
  it('names every operation once', () => {
    const ids = operations().map(({ route, op }) => op.operationId ?? `missing on ${route}`);
    expect(ids.filter((id) => id.startsWith('missing'))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const create = doc.paths['/v1/stores/{storeId}/products']?.post;
    expect(create?.operationId).toBe('eshop.product.create');
  });

  it('shares schemas as components and describes every response', () => {
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Product', 'Order', 'Cart', 'Store', 'Reservation', 'Node', 'ApiErrorSchema']),
    );
    const get = doc.paths['/v1/stores/{storeId}/products/{id}']!.get!;
    expect(get.responses['200']).toMatchObject({
      description: 'OK: Product',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Product' } } },
    });
    const response = (r: Response | Ref) =>
      '$ref' in r ? doc.components.responses[r.$ref.replace('#/components/responses/', '')]! : r;
    const descriptions = operations().flatMap(({ op }) =>
      Object.values(op.responses).map((r) => response(r).description),
    );
    expect(descriptions).not.toContain('Default Response');
    expect(descriptions).not.toContain(undefined);
    expect(raw).not.toMatch(/seed 0\d\d/i);
    expect(get.responses['4XX']).toEqual({ $ref: '#/components/responses/ClientError' });
    expect(response(get.responses['4XX']!)).toMatchObject({
      description: expect.stringMatching(/^Refused: an `ApiError`/),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiErrorSchema' } } },
    });
    expect(doc.paths['/v1/stores/{storeId}/products']!.get!.responses['200']).toMatchObject({
      description: 'OK: ProductPage',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ProductPage' } } },
    });
  });

  it('shares the parameters operations repeat (store, pagination, filters) as components', () => {
    const { parameters } = doc.components;
    expect(parameters['path.storeId']).toMatchObject({ in: 'path', name: 'storeId', required: true });
    expect(parameters['query.limit']).toMatchObject({ in: 'query', name: 'limit', schema: { maximum: 100 } });
    const list = doc.paths['/v1/stores/{storeId}/products']!.get!.parameters!;
    for (const name of ['path.storeId', 'query.limit', 'query.cursor', 'query.sort_direction'])
      expect(list).toContainEqual({ $ref: `#/components/parameters/${name}` });
    // Every $ref names a component, and no parameter used twice is left inline.
    const inline = new Map<string, number>();
    for (const { op } of operations())
      for (const p of op.parameters ?? [])
        if ('$ref' in p)
          expect(parameters[p.$ref.replace('#/components/parameters/', '')], p.$ref).toBeDefined();
        else inline.set(JSON.stringify(p), (inline.get(JSON.stringify(p)) ?? 0) + 1);
    expect([...inline].filter(([, n]) => n > 1)).toEqual([]);
  });

  it('carries an example of each main entity that matches its schema', () => {
    for (const [name, example] of Object.entries(ENTITY_EXAMPLES)) {
      expect(doc.components.schemas[name]?.examples, name).toEqual([example]);
      const check = new Ajv({ strict: false }).compile(
        (contract as unknown as Record<string, object>)[name]!,
      );
      check(example);
      expect(check.errors ?? [], name).toEqual([]);
    }
  });

  it('has a branded reference page', async () => {
    const page = await t.app.inject('/docs/');
    expect(page.body).toContain('<title>OpenArky API</title>');
    expect(page.body).toContain('favicon.svg');
    const init = await t.app.inject('/docs/static/swagger-initializer.js');
    const logo = /data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/.exec(init.body)?.[1];
    expect(Buffer.from(logo ?? '', 'base64').toString()).toContain('OpenArky API');
  });

  it('generates a typed client that compiles under --strict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openarky-openapi-client-'));
    try {
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
      const gen = await run(BIN('openapi-typescript'), [
        `${baseUrl}/openapi.json`,
        '-o',
        join(dir, 'api.d.ts'),
      ]);
      expect(gen.status, gen.output).toBe(0);
      writeFileSync(
        join(dir, 'client.ts'),
        `import createClient from 'openapi-fetch';
import type { paths, components } from './api.js';
const client = createClient<paths>({ baseUrl: '${baseUrl}' });
export async function skuOf(storeId: string, id: string): Promise<string | undefined> {
  const { data, error } = await client.GET('/v1/stores/{storeId}/products/{id}', {
    params: { path: { storeId, id } },
  });
  if (error) return error.error;
  const product: components['schemas']['Product'] = data;
  return product.variants[0]?.sku ?? undefined;
}
export async function firstIds(storeId: string): Promise<string[]> {
  // Shared parameters ($ref to components.parameters) type the query as inline ones would.
  const { data } = await client.GET('/v1/stores/{storeId}/products', {
    params: { path: { storeId }, query: { limit: 5, sort_direction: 'desc' } },
  });
  const page: components['schemas']['ProductPage'] | undefined = data;
  return page?.items.map((p) => p.id) ?? [];
}
export async function wrong(): Promise<void> {
  // @ts-expect-error the path parameter id is required
  await client.GET('/v1/stores/{storeId}/products/{id}', { params: { path: { storeId: 's' } } });
  await client.GET('/v1/stores/{storeId}/products', {
    // @ts-expect-error limit is a number
    params: { path: { storeId: 's' }, query: { limit: 'five' } },
  });
}
`,
      );
      const tsc = await run(
        process.execPath,
        [
          join(ROOT, 'node_modules/typescript/bin/tsc'),
          '--strict',
          '--noEmit',
          '--skipLibCheck',
          '--module',
          'nodenext',
          '--target',
          'es2022',
          join(dir, 'client.ts'),
        ],
        dir,
      );
      expect(tsc.status, tsc.output).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('compression', () => {
  const get = (url: string, encoding?: string) =>
    fetch(`${baseUrl}${url}`, { headers: encoding ? { 'accept-encoding': encoding } : {} }).then(
      async (res) => ({
        status: res.status,
        encoding: res.headers.get('content-encoding'),
        body: Buffer.from(await res.arrayBuffer()),
      }),
    );
  // Node's fetch inflates by itself; `inject` gives the bytes as sent.
  const sent = (url: string, encoding: string, headers: Record<string, string> = {}) =>
    t.app.inject({ url, headers: { 'accept-encoding': encoding, ...headers } });

  it('answers large JSON with br or gzip as asked, small JSON and no preference as is', async () => {
    const br = await sent('/openapi.json', 'br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(raw);
    const gzip = await sent('/openapi.json', 'gzip, deflate');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(raw);
    expect((await sent('/openapi.json', 'identity')).headers['content-encoding']).toBeUndefined();
    expect((await sent('/healthz', 'br, gzip')).headers['content-encoding']).toBeUndefined();
    expect((await get('/openapi.json', 'gzip')).body.toString()).toBe(raw);
  });

  it('leaves media files as stored and serves the dashboard assets intact', async () => {
    const owner = await registerAccount(t.app);
    const storeId = await createStore(t.app, owner);
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#c82' } })
      .png()
      .toBuffer();
    const up = await uploadFiles(t.app, owner, storeId, [{ name: 'a.png', type: 'image/png', data: png }]);
    const [media] = up.body as { resolutions: { original: { url: string } } }[];
    const url = new URL(media!.resolutions.original.url);
    const file = await sent(url.pathname, 'br, gzip');
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-encoding']).toBeUndefined();
    expect(file.rawPayload.equals(png)).toBe(true);

    const assets = join(ROOT, 'packages/admin/dist/assets');
    const js = readdirSync(assets).find((f) => f.endsWith('.js'));
    if (!js) return; // dashboard not built in this checkout
    const asset = await sent(`/admin/assets/${js}`, 'br, gzip');
    expect(asset.statusCode).toBe(200);
    // Text assets are compressed too (mime-db says compressible); the bytes survive intact.
    expect(asset.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(asset.rawPayload).equals(readFileSync(join(assets, js)))).toBe(true);
  });
});
