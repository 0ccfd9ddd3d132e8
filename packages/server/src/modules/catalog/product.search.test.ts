import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call } from '../../../test/fixtures.ts';
import { commerceStore } from '../../../test/commerce-fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

type Session = Awaited<ReturnType<typeof commerceStore>>['owner'];

async function create(
  owner: Session,
  storeId: string,
  key: string,
  name: unknown,
  extra: object = {},
): Promise<{ id: string; variants: { id: string }[] }> {
  const res = await call(t.app, owner, {
    method: 'POST',
    url: `/v1/stores/${storeId}/products`,
    payload: { key, blocks: [{ key: 'name', value: name }], ...extra },
  });
  expect(res.status).toBe(201);
  return res.body;
}

const keys = async (owner: Session | null, url: string): Promise<string[]> => {
  const res = await call(t.app, owner, { url });
  expect(res.status).toBe(200);
  return (res.body.items as { key: string }[]).map((p) => p.key).sort();
};

describe('product search (CONTRACT §1.4 `query`: case-insensitive substring of key and text values)', () => {
  it('matches substrings anywhere (not only word prefixes), across key, slug and localized block text', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    await create(owner, storeId, 'walnut-desk', { en: 'Walnut Writing Desk', fr: 'Bureau en noyer' });
    await create(owner, storeId, 'oak-table', 'Oak Dining Table', { slug: 'table-chene' });
    await create(owner, storeId, 'lamp', 'Brass Lamp 50% off_now');
    const q = (s: string) =>
      keys(owner, `/v1/stores/${storeId}/products?limit=100&query=${encodeURIComponent(s)}`);
    expect(await q('walnut')).toEqual(['walnut-desk']); // word
    expect(await q('WRIT')).toEqual(['walnut-desk']); // prefix, any case
    expect(await q('riting')).toEqual(['walnut-desk']); // inside a word
    expect(await q('noyer')).toEqual(['walnut-desk']); // another locale
    expect(await q('g de')).toEqual(['walnut-desk']); // across a space
    expect(await q('chene')).toEqual(['oak-table']); // slug
    expect(await q('oak-t')).toEqual(['oak-table']); // key
    expect(await q('ta')).toEqual(['oak-table']); // two characters: no trigram, still a substring match
    expect(await q('a')).toEqual(['lamp', 'oak-table', 'walnut-desk']);
    expect(await q('50% off')).toEqual(['lamp']); // % and _ are literal text, never wildcards
    expect(await q('%')).toEqual(['lamp']);
    expect(await q('e_n')).toEqual([]); // '_' is not a one-character wildcard
    expect(await q('ff_n')).toEqual(['lamp']);
    expect(await q('"brass')).toEqual([]); // quotes cannot break out of the phrase
    expect(await q('lamp OR oak')).toEqual([]); // no query syntax: a literal substring
    expect(await q('nothing like it')).toEqual([]);
    // Storefront: the same search over active products only.
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}/products/${(await create(owner, storeId, 'walnut-shelf', 'Walnut Shelf')).id}`,
      payload: { status: 'archived' },
    });
    expect(await keys(null, `/v1/storefront/${storeId}/products?query=walnut`)).toEqual(['walnut-desk']);
    expect(await q('walnut')).toEqual(['walnut-desk', 'walnut-shelf']);
  });

  it('stays in sync with product writes: renamed, re-keyed and deleted products', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const a = await create(owner, storeId, 'mug', 'Ceramic Mug');
    const q = (s: string) => keys(owner, `/v1/stores/${storeId}/products?query=${encodeURIComponent(s)}`);
    expect(await q('ceramic')).toEqual(['mug']);
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}/products/${a.id}`,
      payload: { blocks: [{ key: 'name', value: 'Enamel Cup' }] },
    });
    expect(await q('ceramic')).toEqual([]);
    expect(await q('enamel')).toEqual(['mug']);
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}/products/${a.id}`,
      payload: { key: 'camping-cup' },
    });
    expect(await q('camping')).toEqual(['camping-cup']);
    expect(await q('mug')).toEqual(['camping-cup']); // the slug generated from the first key stays
    await call(t.app, owner, { method: 'DELETE', url: `/v1/stores/${storeId}/products/${a.id}` });
    expect(await q('enamel')).toEqual([]);
    await create(owner, storeId, 'mug-2', 'Enamel Mug');
    expect(await q('enamel')).toEqual(['mug-2']);
  });

  it('never leaks another store’s products and pages matches with the cursor', async () => {
    const a = await commerceStore(t.app);
    const b = await commerceStore(t.app);
    for (let i = 0; i < 5; i++) await create(a.owner, a.storeId, `shared-${i}`, `Shared Word ${i}`);
    await create(b.owner, b.storeId, 'shared-b', 'Shared Word B');
    const page1 = await call(t.app, a.owner, {
      url: `/v1/stores/${a.storeId}/products?query=shared&limit=3&sort_field=key&sort_direction=asc`,
    });
    expect(page1.body.items.map((p: { key: string }) => p.key)).toEqual(['shared-0', 'shared-1', 'shared-2']);
    expect(page1.body.has_more).toBe(true);
    const page2 = await call(t.app, a.owner, {
      url: `/v1/stores/${a.storeId}/products?query=shared&limit=3&sort_field=key&sort_direction=asc&cursor=${page1.body.cursor}`,
    });
    expect(page2.body.items.map((p: { key: string }) => p.key)).toEqual(['shared-3', 'shared-4']);
    expect(page2.body).toMatchObject({ has_more: false, cursor: null });
    expect(await keys(null, `/v1/storefront/${b.storeId}/products?query=shared`)).toEqual(['shared-b']);
  });

  it('ranks a `query` without a sort: name equal, then name prefix, then name, then other text; cursor pages it exactly', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    // Created oldest first: without ranking the newest matches would lead.
    await create(owner, storeId, 'lamp', 'Lamp');
    await create(owner, storeId, 'lamp-desk', 'Lamp for desks');
    await create(owner, storeId, 'brass', 'Brass Lamp');
    await create(owner, storeId, 'other', 'Other', { slug: 'lamp-like' });
    await create(owner, storeId, 'french', { en: 'Light', fr: 'lamp' });
    const order = async (url: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await call(t.app, owner, { url: `${url}${cursor ? `&cursor=${cursor}` : ''}` });
        expect(res.status).toBe(200);
        seen.push(...(res.body.items as { key: string }[]).map((p) => p.key));
        cursor = res.body.cursor;
      } while (cursor);
      return seen;
    };
    const base = `/v1/stores/${storeId}/products?query=LAMP`;
    const ranked = await order(`${base}&limit=100`);
    // Two exact names tie on relevance: newest first, then id (same second here, so either way).
    expect(ranked.slice(0, 2).sort()).toEqual(['french', 'lamp']);
    expect(ranked.slice(2)).toEqual(['lamp-desk', 'brass', 'other']);
    expect(await order(`${base}&limit=2`)).toEqual(ranked);
    expect(await order(`${base}&limit=1&sort_direction=asc`)).toEqual([...ranked].reverse());
    // An explicit sort is kept, and the storefront ranks the same way.
    expect(await order(`${base}&limit=2&sort_field=key&sort_direction=asc`)).toEqual([
      'brass',
      'french',
      'lamp',
      'lamp-desk',
      'other',
    ]);
    const sf = await call(t.app, null, { url: `/v1/storefront/${storeId}/products?query=lamp` });
    expect(sf.body.items.map((p: { key: string }) => p.key)).toEqual(ranked);
  });

  it('agrees with a plain substring filter for any query (property)', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const names = ['abba cab', 'Cabbage', 'bc a', 'ÄbC ça', 'aaaa', 'b"a\'c', 'cab cab cab', 'a b c'];
    const texts: { key: string; text: string }[] = [];
    for (const [i, name] of names.entries()) {
      await create(owner, storeId, `k${i}`, name);
      texts.push({ key: `k${i}`, text: `k${i} k${i} ${name}`.toLowerCase() });
    }
    await fc.assert(
      fc.asyncProperty(
        fc.string({
          unit: fc.constantFrom('a', 'b', 'c', 'A', 'ç', ' ', '"', "'", 'ä', '4'),
          minLength: 1,
          maxLength: 5,
        }),
        async (query) => {
          const needle = query.toLowerCase();
          const expected = texts
            .filter((p) => p.text.includes(needle))
            .map((p) => p.key)
            .sort();
          expect(
            await keys(owner, `/v1/stores/${storeId}/products?limit=100&query=${encodeURIComponent(query)}`),
          ).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('stored product documents', () => {
  it('carry current stock whoever changed it, and read the same as a product without a document', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const p = await create(owner, storeId, 'doc', 'Doc', {
      variants: [
        { sku: 'D1', prices: [{ market: 'us', amount: 500 }], inventory: 7 },
        { sku: 'D2', inventory: -1 },
      ],
    });
    // Stock moves without a product write (checkout, another process): reads still see it.
    await t.app.deps.db.db
      .updateTable('inventory_levels')
      .set({ available: 3, reserved: 4 })
      .where('variant_id', '=', p.variants[0]!.id)
      .execute();
    const get = async () =>
      (await call(t.app, null, { url: `/v1/storefront/${storeId}/products/${p.id}` })).body;
    const viaDoc = await get();
    expect(viaDoc.variants[0].inventory).toEqual([expect.objectContaining({ available: 3, reserved: 4 })]);
    const list = await call(t.app, owner, { url: `/v1/stores/${storeId}/products?ids=${p.id}` });
    expect(list.body.items[0]).toEqual(viaDoc);
    // A row from before the documents existed is served by the full load, identically.
    await t.app.deps.db.db.updateTable('products').set({ document: null }).where('id', '=', p.id).execute();
    expect(await get()).toEqual(viaDoc);
    expect(
      (await call(t.app, owner, { url: `/v1/stores/${storeId}/products?ids=${p.id}` })).body.items[0],
    ).toEqual(viaDoc);
    // The next write stores the document again.
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}/products/${p.id}`,
      payload: { status: 'active' },
    });
    const row = await t.app.deps.db.db
      .selectFrom('products')
      .select('document')
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(row.document).not.toBeNull();
  });

  it('hold only wire fields: extra keys in stored blocks never reach a response', async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const p = await create(owner, storeId, 'clean', 'Clean');
    const row = await t.app.deps.db.db
      .selectFrom('products')
      .select('blocks')
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    const blocks = (JSON.parse(row.blocks) as object[]).map((b) => ({ ...b, secret: 'x' }));
    await t.app.deps.db.db
      .updateTable('products')
      .set({ blocks: JSON.stringify(blocks), document: null })
      .where('id', '=', p.id)
      .execute();
    expect(
      JSON.stringify((await call(t.app, null, { url: `/v1/storefront/${storeId}/products/${p.id}` })).body),
    ).not.toContain('secret');
    expect(
      JSON.stringify((await call(t.app, owner, { url: `/v1/stores/${storeId}/products?ids=${p.id}` })).body),
    ).not.toContain('secret');
    await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}/products/${p.id}`,
      payload: { status: 'active' },
    });
    const res = await call(t.app, null, { url: `/v1/storefront/${storeId}/products/${p.id}` });
    expect(JSON.stringify(res.body)).not.toContain('secret');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });
});
