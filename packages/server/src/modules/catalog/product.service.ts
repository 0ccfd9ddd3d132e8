import type { CreateProductBody, ListProductsQuery, Product, UpdateProductBody } from '@openarky/contract';
import { withTx, type Ctx, type Db, type StoreCtx } from '../../lib/context.ts';
import { alreadyExists, notFound, validationError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId, randomBase62 } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';
import { paginate } from '../../lib/pagination.ts';
import { forUpdate, isUniqueViolation } from '../../db/create-db.ts';
import { listMarkets } from '../markets/index.ts';
import { blockText, normalizeBlocks } from './blocks.ts';
import { defaultLocale, planSlug, planVariants, type VariantPlan } from './product.input.ts';
import { productRelevance, productSearch } from '../../db/search.ts';
import { findProductRow, productJsonFromRows, toDocument, toProducts } from './product.repo.ts';

/** The `name` block's values, lower-cased, one per line (ranks a `query`, see `productRelevance`). */
function searchName(blocks: ReturnType<typeof normalizeBlocks>): string {
  return blockText(blocks.filter((b) => b.key === 'name'))
    .join('\n')
    .toLowerCase();
}

function searchText(
  key: string,
  slug: Record<string, string>,
  blocks: ReturnType<typeof normalizeBlocks>,
): string {
  return [key, ...Object.values(slug), ...blockText(blocks)].join(' ').toLowerCase();
}

async function writeSlugs(
  db: Db,
  storeId: string,
  productId: string,
  slug: Record<string, string>,
): Promise<void> {
  await db.deleteFrom('product_slugs').where('product_id', '=', productId).execute();
  for (const [locale, value] of Object.entries(slug)) {
    const taken = await db
      .selectFrom('product_slugs')
      .select('product_id')
      .where('store_id', '=', storeId)
      .where('locale', '=', locale)
      .where('slug', '=', value)
      .executeTakeFirst();
    if (taken) throw alreadyExists(`slug.${locale}`, `Slug "${value}" is already used in ${locale}`);
    await db
      .insertInto('product_slugs')
      .values({ store_id: storeId, locale, slug: value, product_id: productId })
      .execute();
  }
}

async function writeLevels(
  db: Db,
  storeId: string,
  variantId: string,
  levels: NonNullable<VariantPlan['inventory']>,
  now: number,
): Promise<void> {
  const existing = await db
    .selectFrom('inventory_levels')
    .selectAll()
    .where('variant_id', '=', variantId)
    .execute();
  const keep = new Set<string>();
  for (const [position, level] of levels.entries()) {
    const match = existing.find((e) => e.location_id === level.location_id);
    if (match) {
      keep.add(match.id);
      // `reserved` is server-managed: an edit of stock never touches what open orders hold.
      await db
        .updateTable('inventory_levels')
        .set({ available: level.available, position, updated_at: now })
        .where('id', '=', match.id)
        .execute();
    } else {
      await db
        .insertInto('inventory_levels')
        .values({
          id: `inv_${randomBase62(20)}`,
          store_id: storeId,
          variant_id: variantId,
          location_id: level.location_id,
          available: level.available,
          reserved: 0,
          position,
          updated_at: now,
        })
        .execute();
    }
  }
  const drop = existing.filter((e) => !keep.has(e.id)).map((e) => e.id);
  if (drop.length) await db.deleteFrom('inventory_levels').where('id', 'in', drop).execute();
}

async function insertVariant(
  db: Db,
  storeId: string,
  productId: string,
  plan: VariantPlan,
  position: number,
  now: number,
): Promise<void> {
  const id = newId('var');
  await db
    .insertInto('product_variants')
    .values({
      id,
      store_id: storeId,
      product_id: productId,
      sku: plan.sku,
      prices: toJson(plan.prices),
      attributes: toJson(plan.attributes),
      weight: plan.weight,
      position,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await writeLevels(db, storeId, id, plan.inventory ?? [], now);
}

async function productOrThrow(ctx: Ctx, storeId: string, id: string): Promise<Product> {
  const row = await findProductRow(ctx.db, storeId, id);
  if (!row) throw notFound('product', `No product ${id}`);
  return (await toProducts(ctx.db, [row]))[0]!;
}

/** Loads the product from its rows and stores its document: the last step of every product write. */
async function rebuildDocument(ctx: Ctx, storeId: string, id: string): Promise<Product> {
  const row = await findProductRow(ctx.db, storeId, id);
  if (!row) throw notFound('product', `No product ${id}`);
  const product = (await toProducts(ctx.db, [row]))[0]!;
  await ctx.db.updateTable('products').set(toDocument(product)).where('id', '=', id).execute();
  return product;
}

/** Creates a product with its variants (one empty variant when none are given). */
export async function createProduct(ctx: StoreCtx, body: CreateProductBody): Promise<Product> {
  const storeId = ctx.store.id;
  return withTx(ctx, async (tx) => {
    const now = tx.now();
    const markets = await listMarkets(tx.db, storeId);
    const plans = body.variants?.length
      ? await planVariants(tx.db, storeId, markets, body.variants, true)
      : [{ id: undefined, sku: null, prices: [], inventory: [], attributes: [], weight: null }];
    const slug = planSlug(body.slug, body.key, await defaultLocale(tx.db, storeId));
    const blocks = normalizeBlocks(body.blocks);
    const taken = await tx.db
      .selectFrom('products')
      .select('id')
      .where('store_id', '=', storeId)
      .where('key', '=', body.key)
      .executeTakeFirst();
    if (taken) throw alreadyExists('key');
    const id = newId('prod');
    try {
      await tx.db
        .insertInto('products')
        .values({
          id,
          store_id: storeId,
          key: body.key,
          slug: toJson(slug),
          blocks: toJson(blocks),
          taxonomies: toJson(body.taxonomies ?? []),
          status: body.status ?? 'active',
          search_text: searchText(body.key, slug, blocks),
          search_name: searchName(blocks),
          created_at: now,
          updated_at: now,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyExists('key');
      throw error;
    }
    await writeSlugs(tx.db, storeId, id, slug);
    for (const [position, plan] of plans.entries())
      await insertVariant(tx.db, storeId, id, plan, position, now);
    const product = await rebuildDocument(tx, storeId, id);
    await emit(tx, 'product.created', product, storeId);
    return product;
  });
}

/** Updates a product; `variants` is the complete list (CONTRACT §6.1). */
export async function updateProduct(ctx: StoreCtx, id: string, body: UpdateProductBody): Promise<Product> {
  const storeId = ctx.store.id;
  return withTx(ctx, async (tx) => {
    const now = tx.now();
    const row = await forUpdate(
      tx.db,
      tx.db.selectFrom('products').selectAll().where('store_id', '=', storeId).where('id', '=', id),
    ).executeTakeFirst();
    if (!row) throw notFound('product', `No product ${id}`);
    const current = (await toProducts(tx.db, [row]))[0]!;
    const key = body.key ?? row.key;
    if (body.key && body.key !== row.key) {
      const taken = await tx.db
        .selectFrom('products')
        .select('id')
        .where('store_id', '=', storeId)
        .where('key', '=', body.key)
        .executeTakeFirst();
      if (taken) throw alreadyExists('key');
    }
    const slug =
      body.slug !== undefined ? planSlug(body.slug, key, await defaultLocale(tx.db, storeId)) : current.slug;
    const blocks = body.blocks !== undefined ? normalizeBlocks(body.blocks) : current.blocks;
    if (body.variants) {
      const plans = await planVariants(
        tx.db,
        storeId,
        await listMarkets(tx.db, storeId),
        body.variants,
        false,
      );
      const existing = new Map(current.variants.map((v) => [v.id, v]));
      const unknown = plans.findIndex((p) => p.id !== undefined && !existing.has(p.id));
      if (unknown >= 0)
        throw validationError({
          field: `variants.${unknown}.id`,
          reason: 'not_found',
          message: `No variant ${plans[unknown]!.id} in this product`,
        });
      const kept = new Set(plans.map((p) => p.id).filter(Boolean));
      const removed = current.variants.filter((v) => !kept.has(v.id)).map((v) => v.id);
      if (removed.length) await tx.db.deleteFrom('product_variants').where('id', 'in', removed).execute();
      for (const [position, plan] of plans.entries()) {
        if (!plan.id) {
          await insertVariant(
            tx.db,
            storeId,
            id,
            { ...plan, inventory: plan.inventory ?? [] },
            position,
            now,
          );
          continue;
        }
        const prev = existing.get(plan.id)!;
        const given = body.variants[position]!;
        await tx.db
          .updateTable('product_variants')
          .set({
            sku: given.sku !== undefined ? plan.sku : (prev.sku ?? null),
            prices: given.prices !== undefined ? toJson(plan.prices) : toJson(prev.prices),
            attributes: given.attributes !== undefined ? toJson(plan.attributes) : toJson(prev.attributes),
            weight: given.weight !== undefined ? plan.weight : (prev.weight ?? null),
            position,
            updated_at: now,
          })
          .where('id', '=', plan.id)
          .execute();
        if (plan.inventory) await writeLevels(tx.db, storeId, plan.id, plan.inventory, now);
      }
    }
    await tx.db
      .updateTable('products')
      .set({
        key,
        slug: toJson(slug),
        blocks: toJson(blocks),
        taxonomies: body.taxonomies !== undefined ? toJson(body.taxonomies) : row.taxonomies,
        status: body.status ?? row.status,
        search_text: searchText(key, slug, blocks),
        search_name: searchName(blocks),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    if (body.slug !== undefined) await writeSlugs(tx.db, storeId, id, slug);
    const product = await rebuildDocument(tx, storeId, id);
    await emit(tx, 'product.updated', product, storeId);
    return product;
  });
}

export async function deleteProduct(ctx: StoreCtx, id: string): Promise<void> {
  await withTx(ctx, async (tx) => {
    const product = await productOrThrow(tx, ctx.store.id, id);
    await tx.db.deleteFrom('products').where('id', '=', product.id).execute();
    await emit(
      tx,
      'product.deleted',
      { id: product.id, key: product.key, store_id: product.store_id },
      ctx.store.id,
    );
  });
}

/**
 * One product by id or slug, as JSON text (see `productJsonFromRows`); the storefront sees active
 * products only.
 */
export async function getProductJson(
  ctx: Ctx,
  storeId: string,
  id: string,
  activeOnly: boolean,
): Promise<string> {
  const row = await findProductRow(ctx.db, storeId, id);
  if (!row || (activeOnly && row.status !== 'active')) throw notFound('product', `No product ${id}`);
  const [json] = await productJsonFromRows(ctx.db, [row]);
  if (!json) throw notFound('product', `No product ${id}`);
  return json;
}

/** A page of products as JSON text: the stored documents joined, never parsed. */
export async function findProductsJson(
  ctx: Ctx,
  storeId: string,
  q: ListProductsQuery,
  activeOnly: boolean,
): Promise<string> {
  let qb = ctx.db
    .selectFrom('products')
    .select(['id', 'key', 'created_at', 'updated_at', 'document', 'document_stock'])
    .where('store_id', '=', storeId);
  if (activeOnly) qb = qb.where('status', '=', 'active');
  if (q.status) qb = qb.where('status', '=', q.status);
  if (q.ids?.length) qb = qb.where('id', 'in', q.ids);
  if (q.query) qb = qb.where(productSearch(ctx.db, q.query));
  if (q.created_at_from !== undefined) qb = qb.where('created_at', '>=', q.created_at_from);
  if (q.created_at_to !== undefined) qb = qb.where('created_at', '<=', q.created_at_to);
  const columns = { created_at: 'created_at', updated_at: 'updated_at', key: 'key' };
  // A `query` without an explicit sort pages by relevance (see `productRelevance`).
  const page =
    q.query && !q.sort_field
      ? await paginate(
          ctx.db
            .selectFrom(qb.select(productRelevance(q.query).as('search_rank')).as('products'))
            .selectAll(),
          q,
          { columns: { ...columns, relevance: 'search_rank' }, defaultSort: 'relevance' },
        )
      : await paginate(qb, q, { columns });
  const items = await productJsonFromRows(ctx.db, page.items);
  return `{"items":[${items.join(',')}],"cursor":${JSON.stringify(page.cursor)},"has_more":${page.has_more}}`;
}
