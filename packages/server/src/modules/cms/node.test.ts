import sharp from 'sharp';
import type { Kysely, KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, createStore, registerAccount, uploadFiles, type Caller } from '../../../test/fixtures.ts';
import type { Database } from '../../db/types.ts';
import { findNodes } from './node.service.ts';

let t: TestApp;
let owner: Caller;
let storeId: string;
let mediaId: string;

const nodes = (s = storeId) => `/v1/stores/${s}/nodes`;
const sf = (s = storeId) => `/v1/storefront/${s}/nodes`;

beforeAll(async () => {
  t = await createTestApp();
  owner = await registerAccount(t.app);
  storeId = await createStore(t.app, owner);
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#0a0' } })
    .png()
    .toBuffer();
  mediaId = (await uploadFiles(t.app, owner, storeId, [{ name: 'cover.png', type: 'image/png', data: png }]))
    .body[0].id;
});
afterAll(async () => t?.close());

const blogSchema = [
  { key: 'title', type: 'text', properties: { required: true, max_length: 40 }, value: [] },
  { key: 'reading_minutes', type: 'number', properties: { min: 0 }, value: [] },
  { key: 'cover', type: 'relationship', properties: { target: 'media' }, value: [] },
];

async function post(payload: object, s = storeId) {
  return call(t.app, owner, { method: 'POST', url: nodes(s), payload });
}

describe('nodes: collections and entries', () => {
  let blog: { id: string };
  const entries: { id: string; key: string }[] = [];

  it('creates a collection with a schema and entries that follow it', async () => {
    const res = await post({ key: 'blog', schema: blogSchema, slug: { en: 'blog' } });
    expect(res.status).toBe(201);
    blog = res.body;
    expect(res.body).toMatchObject({
      key: 'blog',
      parent_id: null,
      status: 'active',
      children: [],
      store_id: storeId,
    });
    expect(res.body.schema.map((b: { type: string }) => b.type)).toEqual(['text', 'number', 'relationship']);
    expect(res.body.schema[0].id).toMatch(/^blk_/);
    for (const [i, [en, fr]] of [
      ['Hello world', 'Bonjour le monde'],
      ['Second post', 'Deuxième'],
      ['Third post', 'Troisième'],
    ].entries()) {
      const e = await post({
        key: `post-${i}`,
        parent_id: blog.id,
        slug: { en: `post-${i}`, fr: `article-${i}` },
        blocks: [
          { key: 'title', type: 'text', value: [{ en, fr }] },
          { key: 'reading_minutes', type: 'number', value: [i + 2] },
          { key: 'cover', type: 'relationship', value: [`media:${mediaId}`] },
        ],
      });
      expect(e.status).toBe(201);
      entries.push(e.body);
    }
    const events = await t.app.deps.db.db
      .selectFrom('outbox_events')
      .select(['type', 'data'])
      .where('store_id', '=', storeId)
      .where('type', '=', 'node.created')
      .execute();
    expect(events).toHaveLength(4);
    expect(JSON.parse(events[1]!.data)).toMatchObject({ parent_id: blog.id, key: 'post-0' });
  });

  it('gets by id, by storeId:key and by storeId:locale:slug, hydrated, with children', async () => {
    const byId = await call(t.app, owner, { url: `${nodes()}/${blog.id}` });
    expect(byId.status).toBe(200);
    expect(byId.body.children.map((c: { key: string }) => c.key).sort()).toEqual([
      'post-0',
      'post-1',
      'post-2',
    ]);
    expect(byId.body.children[0].blocks[2].value[0]).toMatchObject({ id: mediaId, mime_type: 'image/png' });
    const byKey = await call(t.app, owner, { url: `${nodes()}/${storeId}:post-1` });
    expect(byKey.body.id).toBe(entries[1]!.id);
    const cover = byKey.body.blocks.find((b: { key: string }) => b.key === 'cover');
    expect(cover.value[0]).toMatchObject({ id: mediaId, resolutions: { thumbnail: { size: 'thumbnail' } } });
    const bySlug = await call(t.app, owner, { url: `${nodes()}/${storeId}:fr:article-2` });
    expect(bySlug.body.id).toBe(entries[2]!.id);
    // Not in the requested locale → the store default (§1.3).
    expect((await call(t.app, owner, { url: `${nodes()}/${storeId}:fr:post-2` })).body.id).toBe(
      entries[2]!.id,
    );
    const raw = await call(t.app, owner, { url: `${nodes()}/${entries[0]!.id}?hydrate=false` });
    expect(raw.body.blocks[2].value).toEqual([`media:${mediaId}`]);
    const other = await createStore(t.app, owner);
    expect((await call(t.app, owner, { url: `${nodes()}/${other}:post-1` })).status).toBe(404);
    expect((await call(t.app, owner, { url: `${nodes()}/nope` })).status).toBe(404);
  });

  it('finds with every filter and pages children', async () => {
    const find = async (q: string) => (await call(t.app, owner, { url: `${nodes()}?${q}` })).body;
    expect((await find(`parent_id=${blog.id}`)).items).toHaveLength(3);
    expect((await find('parent_id=null')).items.map((n: { key: string }) => n.key)).toEqual(['blog']);
    expect((await find('key=post-1')).items.map((n: { id: string }) => n.id)).toEqual([entries[1]!.id]);
    expect((await find('query=TROISI')).items.map((n: { key: string }) => n.key)).toEqual(['post-2']);
    expect((await find(`ids=${entries[0]!.id},${entries[2]!.id}`)).items).toHaveLength(2);
    expect((await find('status=archived')).items).toHaveLength(0);
    const asc = await find('sort_field=key&sort_direction=asc&limit=2');
    expect(asc.items.map((n: { key: string }) => n.key)).toEqual(['blog', 'post-0']);
    const rest = await find(
      `sort_field=key&sort_direction=asc&limit=2&cursor=${encodeURIComponent(asc.cursor)}`,
    );
    expect(rest.items.map((n: { key: string }) => n.key)).toEqual(['post-1', 'post-2']);
    expect(rest).toMatchObject({ has_more: false, cursor: null });
    expect((await find('created_at_from=1&created_at_to=2')).items).toHaveLength(0);
    expect((await find('sort_field=nope')).error).toBe('validation_error');
    const page1 = (
      await call(t.app, owner, {
        url: `${nodes()}/${blog.id}/children?limit=2&sort_field=key&sort_direction=asc`,
      })
    ).body;
    expect(page1.items.map((n: { key: string }) => n.key)).toEqual(['post-0', 'post-1']);
    expect(page1.items[0].children).toEqual([]);
    const page2 = (
      await call(t.app, owner, {
        url: `${nodes()}/${blog.id}/children?limit=2&sort_field=key&sort_direction=asc&cursor=${encodeURIComponent(page1.cursor)}`,
      })
    ).body;
    expect(page2.items.map((n: { key: string }) => n.key)).toEqual(['post-2']);
  });

  it('rejects bad blocks with their path, and checks children against the schema', async () => {
    const bad = async (blocks: unknown[]) =>
      (await post({ key: `bad-${Math.random().toString(36).slice(2, 8)}`, parent_id: blog.id, blocks })).body;
    const neg = await bad([
      { key: 'title', type: 'text', value: ['ok'] },
      { key: 'reading_minutes', type: 'number', value: [-3] },
    ]);
    expect(neg).toMatchObject({
      error: 'validation_error',
      details: { field: 'blocks.1.value.0', reason: 'min' },
    });
    const long = await bad([{ key: 'title', type: 'text', value: ['x'.repeat(41)] }]);
    expect(long.details).toMatchObject({ field: 'blocks.0.value.0', reason: 'max_length' });
    const longFr = await bad([{ key: 'title', type: 'text', value: [{ en: 'ok', fr: 'y'.repeat(41) }] }]);
    expect(longFr.details).toMatchObject({ field: 'blocks.0.value.0.fr', reason: 'max_length' });
    expect((await bad([{ key: 'title', type: 'number', value: [1] }])).details).toMatchObject({
      field: 'blocks.0.type',
      reason: 'schema_mismatch',
    });
    expect((await bad([{ key: 'reading_minutes', type: 'number', value: [1] }])).details).toMatchObject({
      field: 'blocks',
      reason: 'required',
    });
    expect(
      (
        await bad([
          { key: 'title', type: 'text', value: ['a'] },
          { key: 'cover', type: 'relationship', value: ['entry:node_x'] },
        ])
      ).details,
    ).toMatchObject({ field: 'blocks.1.value.0', reason: 'target' });
    const count = await t.app.deps.db.db
      .selectFrom('nodes')
      .select('id')
      .where('store_id', '=', storeId)
      .execute();
    expect(count).toHaveLength(4);
    expect((await post({ key: 'x1', status: 'draft' })).body.details).toMatchObject({ field: 'status' });
    expect((await post({ key: 'x2', parent_id: 'node_missing' })).body.details).toMatchObject({
      field: 'parent_id',
      reason: 'not_found',
    });
    expect((await post({ key: 'x3', slug: { de: 'x' } })).body.details).toMatchObject({ field: 'slug.de' });
  });

  it('accepts the 0.9.x and seed 002 input forms and stores them canonically', async () => {
    const res = await post({
      key: 'legacy',
      owner: `collection:${blog.id}`,
      status: 'PUBLISHED',
      slug: 'legacy-post',
      blocks: [
        {
          key: 'title',
          type: 'localized_text',
          properties: { maxLength: 40 },
          value: { en: 'Legacy', fr: 'Ancien' },
        },
        { key: 'reading_minutes', type: 'NUMBER', value: 7 },
        {
          key: 'cover',
          type: 'relationship_media',
          value: { id: mediaId, mime_type: 'image/png', resolutions: {} },
        },
        {
          key: 'related',
          type: 'relationship_entry',
          properties: { multiple: true },
          value: [`node:${entries[0]!.id}`],
        },
        {
          key: 'faq',
          type: 'list',
          properties: { multiple: true },
          value: [{ value: [{ key: 'q', type: 'text', value: 'Why?' }] }],
        },
        { key: 'published_on', type: 'number', properties: { variant: 'DATE' }, value: 1698765432 },
        { key: 'empty', type: 'text', value: null },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ parent_id: blog.id, status: 'active', slug: { en: 'legacy-post' } });
    const raw = (await call(t.app, owner, { url: `${nodes()}/${res.body.id}?hydrate=false` })).body;
    const byKey = Object.fromEntries(raw.blocks.map((b: { key: string }) => [b.key, b]));
    expect(byKey.title).toMatchObject({
      type: 'text',
      properties: { max_length: 40 },
      value: [{ en: 'Legacy', fr: 'Ancien' }],
    });
    expect(byKey.reading_minutes.value).toEqual([7]);
    expect(byKey.cover).toMatchObject({
      type: 'relationship',
      properties: { target: 'media' },
      value: [`media:${mediaId}`],
    });
    expect(byKey.related).toMatchObject({
      type: 'relationship',
      properties: { target: 'entry', multiple: true },
      value: [`entry:${entries[0]!.id}`],
    });
    expect(byKey.faq.type).toBe('block');
    expect(byKey.faq.value[0].blocks[0]).toMatchObject({ key: 'q', type: 'text', value: ['Why?'] });
    expect(byKey.published_on).toMatchObject({ type: 'date', value: [1698765432] });
    expect(byKey.empty.value).toEqual([]);
    // Hydrated: the related entry comes back as a Node, one level deep (its own refs stay refs).
    const hydrated = (await call(t.app, owner, { url: `${nodes()}/${res.body.id}` })).body;
    const related = hydrated.blocks.find((b: { key: string }) => b.key === 'related').value[0];
    expect(related).toMatchObject({ id: entries[0]!.id, key: 'post-0', children: [] });
    expect(related.blocks[2].value).toEqual([`media:${mediaId}`]);
    await call(t.app, owner, { method: 'DELETE', url: `${nodes()}/${res.body.id}` });
  });

  it('keeps slugs unique per store and locale', async () => {
    const dup = await post({
      key: 'dup',
      parent_id: blog.id,
      slug: { fr: 'article-1' },
      blocks: [{ key: 'title', type: 'text', value: ['x'] }],
    });
    expect(dup).toMatchObject({
      status: 409,
      body: { error: 'already_exists', details: { field: 'slug.fr' } },
    });
    expect((await post({ key: 'post-1' })).body).toMatchObject({
      error: 'already_exists',
      details: { field: 'key' },
    });
    const other = await createStore(t.app, owner);
    expect((await post({ key: 'post-1', slug: { fr: 'article-1' } }, other)).status).toBe(201);
  });

  it('updates, refuses cycles, and refuses to delete a node with children', async () => {
    const upd = await call(t.app, owner, {
      method: 'PUT',
      url: `${nodes()}/${entries[2]!.id}`,
      payload: { status: 'archived', slug: { en: 'third', fr: 'troisieme' } },
    });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ status: 'archived', slug: { en: 'third', fr: 'troisieme' } });
    expect((await call(t.app, owner, { url: `${nodes()}/${storeId}:fr:article-2` })).status).toBe(404);
    const badUpd = await call(t.app, owner, {
      method: 'PUT',
      url: `${nodes()}/${entries[1]!.id}`,
      payload: { blocks: [{ key: 'title', type: 'text', value: ['x'.repeat(50)] }] },
    });
    expect(badUpd.body.details).toMatchObject({ field: 'blocks.0.value.0', reason: 'max_length' });
    const cycle = await call(t.app, owner, {
      method: 'PUT',
      url: `${nodes()}/${blog.id}`,
      payload: { parent_id: entries[0]!.id },
    });
    expect(cycle.body.details).toMatchObject({ field: 'parent_id', reason: 'cycle' });
    const del = await call(t.app, owner, { method: 'DELETE', url: `${nodes()}/${blog.id}` });
    expect(del).toMatchObject({
      status: 409,
      body: { error: 'in_use', details: { reason: 'has_children' } },
    });
    const events = await t.app.deps.db.db
      .selectFrom('outbox_events')
      .select('type')
      .where('store_id', '=', storeId)
      .where('type', '=', 'node.updated')
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(1);
  });

  it('storefront sees active nodes only, without a token', async () => {
    const list = await call(t.app, null, { url: `${sf()}?parent_id=${blog.id}` });
    expect(list.status).toBe(200);
    expect(list.body.items.map((n: { key: string }) => n.key).sort()).toEqual(['post-0', 'post-1']);
    const entry = await call(t.app, null, { url: `${sf()}/${storeId}:fr:article-0` });
    expect(entry.status).toBe(200);
    expect(entry.body.blocks[0].value[0]).toEqual({ en: 'Hello world', fr: 'Bonjour le monde' });
    expect(entry.body.blocks[2].value[0]).toMatchObject({ id: mediaId, mime_type: 'image/png' });
    expect((await call(t.app, null, { url: `${sf()}/${entries[2]!.id}` })).status).toBe(404);
    const col = await call(t.app, null, { url: `${sf()}/${storeId}:blog` });
    expect(col.body.children.map((c: { key: string }) => c.key).sort()).toEqual(['post-0', 'post-1']);
    const kids = await call(t.app, null, { url: `${sf()}/${blog.id}/children` });
    expect(kids.body.items).toHaveLength(2);
    expect((await call(t.app, null, { url: `/v1/storefront/store_nope/nodes` })).status).toBe(404);
  });

  it('leaves a deleted target as a plain reference', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const temp = (await uploadFiles(t.app, owner, storeId, [{ name: 't.png', type: 'image/png', data: png }]))
      .body[0].id;
    const e = await post({
      key: 'with-temp',
      parent_id: blog.id,
      blocks: [
        { key: 'title', type: 'text', value: ['t'] },
        { key: 'cover', type: 'relationship', value: [`media:${temp}`] },
      ],
    });
    await call(t.app, owner, { method: 'DELETE', url: `/v1/stores/${storeId}/media/${temp}` });
    const got = await call(t.app, owner, { url: `${nodes()}/${e.body.id}` });
    expect(got.body.blocks[1].value).toEqual([`media:${temp}`]);
  });

  it('hydrates a page with one query per target kind', async () => {
    let selects = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        if (args.node.kind === 'SelectQueryNode') selects++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const db = (t.app.deps.db.db as Kysely<Database>).withPlugin(counter);
    const ctx = {
      db,
      config: t.config,
      log: t.app.log,
      now: () => 0,
      requestId: 'x',
      principal: { kind: 'anonymous' as const },
      modules: t.app.deps.modules,
    };
    const page = await findNodes(ctx, { storeId, activeOnly: false }, { parent_id: blog.id, limit: 20 });
    expect(page.items.length).toBeGreaterThanOrEqual(3);
    // 1 page query + 1 media query + 0 node queries (no entry refs in this page).
    expect(selects).toBe(2);
    selects = 0;
    const all = await findNodes(ctx, { storeId, activeOnly: false }, { limit: 50 });
    expect(all.items.length).toBeGreaterThan(3);
    expect(selects).toBeLessThanOrEqual(3);
  });

  it('guards the admin routes', async () => {
    const stranger = await registerAccount(t.app);
    expect((await call(t.app, stranger, { url: nodes() })).status).toBe(404);
    expect((await call(t.app, null, { method: 'POST', url: nodes(), payload: { key: 'x' } })).status).toBe(
      401,
    );
    const store = await call(t.app, owner, { url: `/v1/stores/${storeId}` });
    expect(store.body.counts.nodes).toBeGreaterThanOrEqual(5);
  });
});
