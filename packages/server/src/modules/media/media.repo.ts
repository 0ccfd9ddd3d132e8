import type { Static } from '@sinclair/typebox';
import type { ListMediaQuery, Media, PageOf } from '@openarky/contract';
import type { Db } from '../../lib/context.ts';
import { paginate } from '../../lib/pagination.ts';
import { toMedia } from './media.mapper.ts';
import type { MediaTable } from './media.table.ts';

export async function findMediaRow(db: Db, storeId: string, id: string): Promise<MediaTable | undefined> {
  return db
    .selectFrom('media')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Media of a store by id, in one query (hydration of a whole page of nodes). */
export async function findMediaByIds(
  db: Db,
  storeId: string,
  ids: Iterable<string>,
): Promise<Map<string, Media>> {
  const list = [...new Set(ids)];
  if (!list.length) return new Map();
  const rows = await db
    .selectFrom('media')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('id', 'in', list)
    .execute();
  return new Map(rows.map((r) => [r.id, toMedia(r)]));
}

const like = (s: string) => `%${s.toLowerCase()}%`;

/** seed 000 getStoreMedia filters (CONTRACT §9). */
export async function listMediaRows(
  db: Db,
  storeId: string,
  q: Static<typeof ListMediaQuery>,
): Promise<PageOf<MediaTable>> {
  let qb = db.selectFrom('media').selectAll().where('store_id', '=', storeId);
  if (q.ids?.length) qb = qb.where('id', 'in', q.ids);
  if (q.query) {
    const pattern = like(q.query);
    qb = qb.where((eb) =>
      eb.or([
        eb('title_sort', 'like', pattern),
        eb(eb.fn('lower', ['filename']), 'like', pattern),
        eb(eb.fn('lower', ['slug']), 'like', pattern),
      ]),
    );
  }
  if (q.mime_type) {
    const mime = q.mime_type.trim().toLowerCase();
    qb = mime.endsWith('/*')
      ? qb.where('mime_type', 'like', `${mime.slice(0, -1)}%`)
      : qb.where('mime_type', '=', mime);
  }
  if (q.created_at_from !== undefined) qb = qb.where('created_at', '>=', q.created_at_from);
  if (q.created_at_to !== undefined) qb = qb.where('created_at', '<=', q.created_at_to);
  return paginate(qb, q, { columns: { created_at: 'created_at', title: 'title_sort' } });
}
