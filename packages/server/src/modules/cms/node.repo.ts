import type { Static } from '@sinclair/typebox';
import type { FindNodesQuery, PageOf } from '@openarky/contract';
import type { Db } from '../../lib/context.ts';
import { findPage } from '../../lib/pagination.ts';
import type { NodeTable } from './cms.table.ts';
import { storeLocales } from '../tenancy/index.ts';

export const NODE_SORT = { created_at: 'created_at', updated_at: 'updated_at', key: 'key' };

export async function findNodeRow(db: Db, storeId: string, id: string): Promise<NodeTable | undefined> {
  return db
    .selectFrom('nodes')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * The node id named by a path segment (CONTRACT §1.2): `{id}`, `{storeId}:{key}` or
 * `{storeId}:{locale}:{slug}`; the store part must be the path's store. A slug not found in the
 * requested locale is looked up in the store's default locale (§1.3 fallback).
 */
export async function resolveNodeId(db: Db, storeId: string, segment: string): Promise<string | undefined> {
  if (!segment.includes(':')) return segment;
  const parts = segment.split(':');
  if (parts[0] !== storeId) return undefined;
  if (parts.length === 2) {
    const row = await db
      .selectFrom('nodes')
      .select('id')
      .where('store_id', '=', storeId)
      .where('key', '=', parts[1]!)
      .executeTakeFirst();
    return row?.id;
  }
  if (parts.length !== 3) return undefined;
  const locale = parts[1]!.toLowerCase();
  const slug = parts[2]!;
  const bySlug = (l: string) =>
    db
      .selectFrom('node_slugs')
      .select('node_id')
      .where('store_id', '=', storeId)
      .where('locale', '=', l)
      .where('slug', '=', slug)
      .executeTakeFirst();
  const exact = await bySlug(locale);
  if (exact) return exact.node_id;
  const fallback = (await storeLocales(db, storeId))?.[0];
  return fallback && fallback !== locale ? (await bySlug(fallback))?.node_id : undefined;
}

type NodeFilters = Static<typeof FindNodesQuery> & { activeOnly?: boolean };

/** `find` filters of CONTRACT §8.1. */
export async function listNodeRows(db: Db, storeId: string, q: NodeFilters): Promise<PageOf<NodeTable>> {
  let qb = db.selectFrom('nodes').selectAll().where('store_id', '=', storeId);
  if (q.parent_id !== undefined)
    qb =
      q.parent_id === 'null' || q.parent_id === ''
        ? qb.where('parent_id', 'is', null)
        : qb.where('parent_id', '=', q.parent_id);
  if (q.query) qb = qb.where('search_text', 'like', `%${q.query.toLowerCase()}%`);
  return findPage(qb, q, { columns: NODE_SORT });
}

/** Up to `limit` direct children, oldest first (the `children` of a `get`). */
export async function childRows(
  db: Db,
  storeId: string,
  parentId: string,
  activeOnly: boolean,
  limit = 100,
): Promise<NodeTable[]> {
  let qb = db
    .selectFrom('nodes')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('parent_id', '=', parentId);
  if (activeOnly) qb = qb.where('status', '=', 'active');
  return qb.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(limit).execute();
}

/** Nodes by id in one query (hydration). */
export async function nodeRowsByIds(
  db: Db,
  storeId: string,
  ids: Iterable<string>,
  activeOnly: boolean,
): Promise<NodeTable[]> {
  const list = [...new Set(ids)];
  if (!list.length) return [];
  let qb = db.selectFrom('nodes').selectAll().where('store_id', '=', storeId).where('id', 'in', list);
  if (activeOnly) qb = qb.where('status', '=', 'active');
  return qb.execute();
}
