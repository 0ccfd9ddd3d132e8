import type { Static } from '@sinclair/typebox';
import type {
  CreateNodeBody,
  FindNodesQuery,
  Node,
  NodeChildrenQuery,
  PageOf,
  UpdateNodeBody,
} from '@openarky/contract';
import { isUniqueViolation } from '../../db/create-db.ts';
import { withTx, type Ctx, type StoreCtx } from '../../lib/context.ts';
import { alreadyExists, inUse, notFound, validationError, type FieldError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import { paginate } from '../../lib/pagination.ts';
import { checkBlocks, searchText, validateBlocks, type Block } from './blocks/index.ts';
import type { NodeTable } from './cms.table.ts';
import { hydrateNodes } from './hydrate.ts';
import { toNode } from './node.mapper.ts';
import { childRows, findNodeRow, listNodeRows, NODE_SORT, resolveNodeId } from './node.repo.ts';
import { storeLocales } from '../tenancy/index.ts';
import { checkSlugMap } from '../media/index.ts';
import { parseStatus } from './node.input.ts';

type CreateInput = Static<typeof CreateNodeBody>;
type UpdateInput = Static<typeof UpdateNodeBody>;

/** Who reads: the admin API sees every node, the storefront only active ones. */
export interface ReadScope {
  storeId: string;
  activeOnly: boolean;
}

const blockId = () => newId('blk');

/** seed 002 Entry `owner: 'collection:{id}'` → parent id. */
function ownerParent(owner: string | null | undefined): string | null | undefined {
  if (owner === undefined) return undefined;
  if (owner === null) return null;
  const m = /^(?:collection|node|entry):(.+)$/.exec(owner);
  if (!m)
    throw validationError({
      field: 'owner',
      reason: 'invalid_value',
      message: 'owner must be "collection:<id>" (other owners are not supported in v1)',
    });
  return m[1]!;
}

async function parentOrThrow(ctx: Ctx, storeId: string, parentId: string): Promise<NodeTable> {
  const parent = await findNodeRow(ctx.db, storeId, parentId);
  if (!parent)
    throw validationError({
      field: 'parent_id',
      reason: 'not_found',
      message: `parent_id: no node ${parentId} in this store`,
    });
  return parent;
}

/** A parent may not be the node itself or one of its descendants. */
async function assertNoCycle(ctx: Ctx, storeId: string, nodeId: string, parentId: string): Promise<void> {
  let current: string | null = parentId;
  for (let depth = 0; current && depth < 1000; depth++) {
    if (current === nodeId)
      throw validationError({
        field: 'parent_id',
        reason: 'cycle',
        message: 'parent_id cannot be the node itself or one of its descendants',
      });
    const row: { parent_id: string | null } | undefined = await ctx.db
      .selectFrom('nodes')
      .select('parent_id')
      .where('store_id', '=', storeId)
      .where('id', '=', current)
      .executeTakeFirst();
    current = row?.parent_id ?? null;
  }
}

async function writeSlugs(
  ctx: Ctx,
  storeId: string,
  nodeId: string,
  slug: Record<string, string>,
): Promise<void> {
  await ctx.db.deleteFrom('node_slugs').where('node_id', '=', nodeId).execute();
  for (const [locale, value] of Object.entries(slug)) {
    try {
      await ctx.db
        .insertInto('node_slugs')
        .values({ store_id: storeId, locale, slug: value, node_id: nodeId })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error))
        throw alreadyExists(`slug.${locale}`, `Slug "${value}" is already used in ${locale} by another node`);
      throw error;
    }
  }
}

function throwIfAny(errors: FieldError[]): void {
  if (errors.length) throw validationError(errors);
}

export async function createNode(ctx: StoreCtx, input: CreateInput): Promise<Node> {
  const storeId = ctx.store.id;
  const errors: FieldError[] = [];
  const status = parseStatus(input.status, errors) ?? 'active';
  const locales = (await storeLocales(ctx.db, storeId)) ?? ['en'];
  const slug = input.slug !== undefined ? checkSlugMap(input.slug, locales, errors) : {};
  const parentId = input.parent_id !== undefined ? input.parent_id : (ownerParent(input.owner) ?? null);
  const parent = parentId ? await parentOrThrow(ctx, storeId, parentId) : undefined;
  const schemaIn =
    input.schema === undefined || input.schema === null
      ? null
      : checkBlocks(input.schema, { path: 'schema', template: true, newId: blockId });
  const blocks = checkBlocks(input.blocks ?? [], {
    path: 'blocks',
    schema: fromJson<Block[] | null>(parent?.schema, null),
    newId: blockId,
  });
  throwIfAny([...errors, ...(schemaIn?.errors ?? []), ...blocks.errors]);
  const now = ctx.now();
  const row: NodeTable = {
    id: newId('node'),
    store_id: storeId,
    key: input.key,
    parent_id: parentId,
    blocks: toJson(blocks.blocks),
    schema: schemaIn ? toJson(schemaIn.blocks) : null,
    taxonomies: toJson(input.taxonomies ?? []),
    status,
    slug: toJson(slug),
    search_text: searchText(input.key, slug, blocks.blocks),
    created_at: now,
    updated_at: now,
  };
  return withTx(ctx, async (tx) => {
    try {
      await tx.db.insertInto('nodes').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error))
        throw alreadyExists('key', `Node key ${input.key} is taken in this store`);
      throw error;
    }
    await writeSlugs(tx, storeId, row.id, slug);
    const node = toNode(row);
    await emit(tx, 'node.created', node, storeId);
    return node;
  });
}

export async function updateNode(ctx: StoreCtx, segment: string, input: UpdateInput): Promise<Node> {
  const storeId = ctx.store.id;
  return withTx(ctx, async (tx) => {
    const id = await resolveNodeId(tx.db, storeId, segment);
    const current = id ? await findNodeRow(tx.db, storeId, id) : undefined;
    if (!current) throw notFound('node', `No node ${segment}`);
    const errors: FieldError[] = [];
    const status = parseStatus(input.status, errors);
    const slug =
      input.slug !== undefined
        ? checkSlugMap(input.slug, (await storeLocales(tx.db, storeId)) ?? ['en'], errors)
        : fromJson<Record<string, string>>(current.slug, {});
    let parentId = current.parent_id;
    if (input.parent_id !== undefined || input.owner !== undefined)
      parentId = input.parent_id !== undefined ? input.parent_id : (ownerParent(input.owner) ?? null);
    const parent = parentId ? await parentOrThrow(tx, storeId, parentId) : undefined;
    if (parentId && parentId !== current.parent_id) await assertNoCycle(tx, storeId, current.id, parentId);
    const parentSchema = fromJson<Block[] | null>(parent?.schema, null);
    let blocks: Block[];
    if (input.blocks !== undefined) {
      const checked = checkBlocks(input.blocks, { path: 'blocks', schema: parentSchema, newId: blockId });
      errors.push(...checked.errors);
      blocks = checked.blocks;
    } else {
      blocks = fromJson<Block[]>(current.blocks, []);
      // A move under another collection must still fit that collection's schema.
      if (parentId !== current.parent_id)
        errors.push(...validateBlocks(blocks, { path: 'blocks', schema: parentSchema }));
    }
    let schema = current.schema;
    if (input.schema !== undefined) {
      const checked =
        input.schema === null
          ? null
          : checkBlocks(input.schema, { path: 'schema', template: true, newId: blockId });
      errors.push(...(checked?.errors ?? []));
      schema = checked ? toJson(checked.blocks) : null;
    }
    throwIfAny(errors);
    const key = input.key ?? current.key;
    const row: NodeTable = {
      ...current,
      key,
      parent_id: parentId,
      blocks: toJson(blocks),
      schema,
      taxonomies: input.taxonomies !== undefined ? toJson(input.taxonomies) : current.taxonomies,
      status: status ?? current.status,
      slug: toJson(slug),
      search_text: searchText(key, slug, blocks),
      updated_at: ctx.now(),
    };
    try {
      await tx.db
        .updateTable('nodes')
        .set(row)
        .where('id', '=', current.id)
        .where('store_id', '=', storeId)
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyExists('key', `Node key ${key} is taken in this store`);
      throw error;
    }
    if (input.slug !== undefined) await writeSlugs(tx, storeId, current.id, slug);
    const node = toNode(row);
    await emit(tx, 'node.updated', node, storeId);
    return node;
  });
}

/** 409 `in_use` (has_children) while the node has children (CONTRACT §8.1). */
export async function deleteNode(ctx: StoreCtx, segment: string): Promise<void> {
  const storeId = ctx.store.id;
  await withTx(ctx, async (tx) => {
    const id = await resolveNodeId(tx.db, storeId, segment);
    const row = id ? await findNodeRow(tx.db, storeId, id) : undefined;
    if (!row) throw notFound('node', `No node ${segment}`);
    const child = await tx.db
      .selectFrom('nodes')
      .select('id')
      .where('parent_id', '=', row.id)
      .limit(1)
      .executeTakeFirst();
    if (child) throw inUse('has_children', `Node ${row.key} has children: delete or move them first`);
    await tx.db.deleteFrom('nodes').where('id', '=', row.id).where('store_id', '=', storeId).execute();
    await emit(tx, 'node.deleted', { id: row.id, key: row.key }, storeId);
  });
}

/** One node with its children (max 100), hydrated unless `hydrate` is false. */
export async function getNode(ctx: Ctx, scope: ReadScope, segment: string, hydrate = true): Promise<Node> {
  const id = await resolveNodeId(ctx.db, scope.storeId, segment);
  const row = id ? await findNodeRow(ctx.db, scope.storeId, id) : undefined;
  if (!row || (scope.activeOnly && row.status !== 'active')) throw notFound('node', `No node ${segment}`);
  const node = {
    ...toNode(row),
    children: (await childRows(ctx.db, scope.storeId, row.id, scope.activeOnly)).map(toNode),
  };
  if (!hydrate) return node;
  const [out] = await hydrateNodes(ctx.db, scope.storeId, [node], scope.activeOnly);
  return out!;
}

export async function findNodes(
  ctx: Ctx,
  scope: ReadScope,
  q: Static<typeof FindNodesQuery>,
): Promise<PageOf<Node>> {
  const page = await listNodeRows(ctx.db, scope.storeId, { ...q, activeOnly: scope.activeOnly });
  const items = page.items.map(toNode);
  return {
    ...page,
    items: q.hydrate === false ? items : await hydrateNodes(ctx.db, scope.storeId, items, scope.activeOnly),
  };
}

export async function getChildren(
  ctx: Ctx,
  scope: ReadScope,
  segment: string,
  q: Static<typeof NodeChildrenQuery>,
): Promise<PageOf<Node>> {
  const id = await resolveNodeId(ctx.db, scope.storeId, segment);
  const parent = id ? await findNodeRow(ctx.db, scope.storeId, id) : undefined;
  if (!parent || (scope.activeOnly && parent.status !== 'active'))
    throw notFound('node', `No node ${segment}`);
  let qb = ctx.db
    .selectFrom('nodes')
    .selectAll()
    .where('store_id', '=', scope.storeId)
    .where('parent_id', '=', parent.id);
  if (scope.activeOnly) qb = qb.where('status', '=', 'active');
  const page = await paginate(qb, q, { columns: NODE_SORT });
  const items = page.items.map(toNode);
  return {
    ...page,
    items: q.hydrate === false ? items : await hydrateNodes(ctx.db, scope.storeId, items, scope.activeOnly),
  };
}
