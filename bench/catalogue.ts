/**
 * `npm run bench -- catalogue`: flat cost with catalogue size. For each size in BENCH_SIZES
 * (default 1000,10000,100000) a fresh database gets that many products (3 variants each) written
 * by the fixture generator in batches, then the production server is loaded with: the first page,
 * a page deep in the cursor (90 % in), a `query=` search matching 10 products at every size, and
 * a filter by 20 ids. Prints req/s, latency and server CPU per request, and each size against the
 * smallest.
 */
import { join } from 'node:path';
import { sql } from 'kysely';
import { createDb } from '../packages/server/src/db/create-db.ts';
import { toDocument } from '../packages/server/src/modules/catalog/product.repo.ts';
import type { Product } from '../packages/contract/src/index.ts';
import {
  api,
  connections,
  duration,
  engine,
  load,
  scratchDb,
  spawnOpenArky,
  type LoadResult,
} from './harness.ts';

const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const BATCH = 500;

/** Writes `count` products straight into the database in batches of 500 (one transaction each). */
export async function generateCatalogue(
  url: string | null,
  sqliteFile: string,
  storeId: string,
  count: number,
): Promise<{ ids: string[]; createdAt: number[] }> {
  const h = createDb({ url, sqliteFile });
  const ids: string[] = [];
  const createdAt: number[] = [];
  const t0 = 1_700_000_000;
  // The server before migration 0013 has no document column: then the generator writes none.
  const hasDocument = await h.db
    .selectFrom('products')
    .select('document')
    .limit(1)
    .execute()
    .then(
      () => true,
      () => false,
    );
  try {
    for (let start = 0; start < count; start += BATCH) {
      const products: any[] = [];
      const slugs: any[] = [];
      const variants: any[] = [];
      const levels: any[] = [];
      for (let i = start; i < Math.min(start + BATCH, count); i++) {
        const id = `prod_gen${String(i).padStart(7, '0')}`;
        const needle = i % Math.max(1, Math.floor(count / 10)) === 0 ? ' needle' : '';
        const blocks = [
          { id: `blk_n${i}`, key: 'name', type: 'text', properties: {}, value: [`Product ${i}${needle}`] },
          {
            id: `blk_d${i}`,
            key: 'description',
            type: 'text',
            properties: {},
            value: ['A sturdy thing for benchmarks, made to last and easy to repair.'],
          },
        ];
        const vs = ['s', 'm', 'l'].map((size, j) => ({
          id: `var_gen${String(i).padStart(7, '0')}${size}`,
          sku: `G${i}-${size}`,
          prices: [
            { market: 'us', currency: 'usd', amount: 1000 + j },
            { market: 'eu', currency: 'eur', amount: 1100 + j },
          ],
          inventory: [],
          attributes: [{ id: `blk_s${i}${size}`, key: 'size', type: 'text', properties: {}, value: [size] }],
          weight: null,
        }));
        const at = t0 + i;
        const product: Product = {
          id,
          store_id: storeId,
          key: `gen-${i}`,
          slug: { en: `gen-${i}` },
          blocks,
          taxonomies: [],
          variants: vs,
          status: 'active',
          created_at: at,
          updated_at: at,
        };
        products.push({
          id,
          store_id: storeId,
          key: product.key,
          slug: JSON.stringify(product.slug),
          blocks: JSON.stringify(blocks),
          taxonomies: '[]',
          status: 'active',
          search_text: `gen-${i} gen-${i} product ${i}${needle} a sturdy thing for benchmarks, made to last and easy to repair.`,
          created_at: at,
          updated_at: at,
          ...(hasDocument ? toDocument(product) : {}),
        });
        slugs.push({ store_id: storeId, locale: 'en', slug: `gen-${i}`, product_id: id });
        vs.forEach((v, position) => {
          variants.push({
            id: v.id,
            store_id: storeId,
            product_id: id,
            sku: v.sku,
            prices: JSON.stringify(v.prices),
            attributes: JSON.stringify(v.attributes),
            weight: null,
            position,
            created_at: at,
            updated_at: at,
          });
          levels.push({
            id: `inv_gen${String(i).padStart(7, '0')}${position}`,
            store_id: storeId,
            variant_id: v.id,
            location_id: null,
            available: 1000,
            reserved: 0,
            position: 0,
            updated_at: at,
          });
        });
        ids.push(id);
        createdAt.push(at);
      }
      await h.db.transaction().execute(async (tx) => {
        await tx.insertInto('products').values(products).execute();
        await tx.insertInto('product_slugs').values(slugs).execute();
        await tx.insertInto('product_variants').values(variants).execute();
        await tx.insertInto('inventory_levels').values(levels).execute();
      });
    }
  } finally {
    await h.close();
  }
  return { ids, createdAt };
}

export async function catalogue(): Promise<void> {
  const rows: { size: number; results: Record<string, LoadResult>; seedMs: number }[] = [];
  for (const size of sizes) {
    const db = await scratchDb(`cat${size}`);
    const oa = await spawnOpenArky(db);
    try {
      const tag = Date.now().toString(36);
      const auth = await api(oa.base, null, 'POST', '/v1/auth/register', {
        email: `cat-${tag}@example.com`,
        password: 'bench password 123',
      });
      const store = await api(oa.base, auth.access_token, 'POST', '/v1/stores', {
        key: `cat-${tag}`,
        timezone: 'UTC',
        billing_email: 'b@example.com',
      });
      await api(oa.base, auth.access_token, 'PUT', `/v1/stores/${store.id}/markets/us`, { tax_bps: 700 });
      const t = performance.now();
      const { ids, createdAt } = await generateCatalogue(db.url, join(db.dir, 'openarky.db'), store.id, size);
      const seedMs = performance.now() - t;
      const h = createDb({ url: db.url, sqliteFile: join(db.dir, 'openarky.db') });
      await sql`ANALYZE`.execute(h.db);
      await h.close();
      const deep = Math.floor(size * 0.1); // newest first: 90 % of the way down
      const cursor = Buffer.from(
        JSON.stringify({ f: 'created_at', v: createdAt[deep], id: ids[deep] }),
      ).toString('base64url');
      const pick = Array.from({ length: 20 }, (_, k) => ids[Math.floor((k * size) / 20)]!);
      const base = `/v1/storefront/${store.id}/products`;
      const cases = {
        'first page': `${base}?limit=20`,
        'deep cursor page': `${base}?limit=20&cursor=${cursor}`,
        'query=needle (10 matches)': `${base}?limit=20&query=needle`,
        'query=ne (2 characters, 10 matches)': `${base}?limit=20&query=ne`,
        'query=sturdy (every product, ranked)': `${base}?limit=20&query=sturdy`,
        'query=sturdy sort_field=created_at': `${base}?limit=20&query=sturdy&sort_field=created_at`,
        'ids filter (20 ids)': `${base}?limit=20&ids=${encodeURIComponent(JSON.stringify(pick))}`,
      };
      const results: Record<string, LoadResult> = {};
      for (const [name, path] of Object.entries(cases)) {
        const check = await api(oa.base, null, 'GET', path);
        if (check.items.length !== (name.includes('10 matches') ? 10 : 20))
          throw new Error(`${name}: ${check.items.length} items`);
        results[name] = await load(oa, { method: 'GET', path });
      }
      rows.push({ size, results, seedMs });
      console.log(
        `${size} products seeded in ${(seedMs / 1000).toFixed(1)} s; ${Object.entries(results)
          .map(([k, r]) => `${k} ${r.rps} req/s`)
          .join(', ')}`,
      );
    } finally {
      await oa.stop();
      await db.drop();
    }
  }
  const names = Object.keys(rows[0]!.results);
  console.log(
    `\nCatalogue size (${engine}, NODE_ENV=production, ${connections} connections, ${duration} s each; req/s, p99 ms, server CPU ms/req; ratio = CPU/req against ${sizes[0]} products)`,
  );
  console.log(`| case | ${rows.map((r) => `${r.size.toLocaleString('en-US')} products`).join(' | ')} |`);
  console.log(`|---|${rows.map(() => '---').join('|')}|`);
  for (const n of names) {
    const first = rows[0]!.results[n]!;
    console.log(
      `| ${n} | ${rows
        .map((r) => {
          const x = r.results[n]!;
          return `${x.rps} req/s, p99 ${x.p99}, ${x.cpuPerReq.toFixed(2)} ms CPU (×${(x.cpuPerReq / first.cpuPerReq).toFixed(2)})`;
        })
        .join(' | ')} |`,
    );
  }
}
