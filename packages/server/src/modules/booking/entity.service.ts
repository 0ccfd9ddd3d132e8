import type {
  CreateProviderBody,
  CreateServiceBody,
  ListProvidersQuery,
  ListServicesQuery,
  PageOf,
  Provider,
  Service,
  UpdateProviderBody,
  UpdateServiceBody,
} from '@openarky/contract';
import { withTx, type Ctx, type StoreCtx } from '../../lib/context.ts';
import { alreadyExists, notFound, validationError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';
import { paginate } from '../../lib/pagination.ts';
import { forUpdate, isUniqueViolation } from '../../db/create-db.ts';
import { blockText, defaultLocale, normalizeBlocks, planSlug } from '../catalog/index.ts';
import { timeline } from './availability.ts';
import {
  activeBookings,
  findEntityRow,
  linksOf,
  toProvider,
  toService,
  writeSlugs,
  type Kind,
} from './booking.repo.ts';

/** Services and providers share their shape (key, slug, blocks, taxonomies, status): one writer. */
const TABLE = { service: 'services', provider: 'providers' } as const;
const PREFIX = { service: 'svc', provider: 'prv' } as const;
type Body = CreateServiceBody | UpdateServiceBody | CreateProviderBody | UpdateProviderBody;

function searchText(
  key: string,
  slug: Record<string, string>,
  blocks: ReturnType<typeof normalizeBlocks>,
): string {
  return [key, ...Object.values(slug), ...blockText(blocks)].join(' ').toLowerCase();
}

function checkLocation(body: Body): void {
  const loc = 'location' in body ? body.location : undefined;
  if (loc?.country && !/^[A-Za-z]{2}$/.test(loc.country))
    throw validationError({
      field: 'location.country',
      reason: 'pattern',
      message: 'country is an ISO 3166-1 alpha-2 code',
    });
}

async function writeEntity(ctx: StoreCtx, kind: Kind, id: string | null, body: Body): Promise<string> {
  const storeId = ctx.store.id;
  const table = TABLE[kind];
  checkLocation(body);
  return withTx(ctx, async (tx) => {
    const now = tx.now();
    const row = id
      ? await forUpdate(
          tx.db,
          tx.db.selectFrom(table).selectAll().where('store_id', '=', storeId).where('id', '=', id),
        ).executeTakeFirst()
      : undefined;
    if (id && !row) throw notFound(kind, `No ${kind} ${id}`);
    const key = body.key ?? row!.key;
    if (!row || key !== row.key) {
      const taken = await tx.db
        .selectFrom(table)
        .select('id')
        .where('store_id', '=', storeId)
        .where('key', '=', key)
        .executeTakeFirst();
      if (taken) throw alreadyExists('key');
    }
    const slug =
      body.slug !== undefined || !row
        ? planSlug(body.slug, key, await defaultLocale(tx.db, storeId))
        : (JSON.parse(row.slug) as Record<string, string>);
    const blocks = body.blocks !== undefined || !row ? normalizeBlocks(body.blocks) : JSON.parse(row.blocks);
    const values = {
      key,
      slug: toJson(slug),
      blocks: toJson(blocks),
      taxonomies: body.taxonomies !== undefined ? toJson(body.taxonomies) : (row?.taxonomies ?? '[]'),
      status: body.status ?? row?.status ?? 'active',
      search_text: searchText(key, slug, blocks),
      updated_at: now,
      ...(kind === 'service'
        ? {
            location:
              'location' in body && body.location !== undefined
                ? body.location
                  ? toJson(body.location)
                  : null
                : ((row as { location?: string | null } | undefined)?.location ?? null),
          }
        : {}),
    };
    const entityId = row?.id ?? newId(PREFIX[kind]);
    try {
      if (row) await tx.db.updateTable(table).set(values).where('id', '=', entityId).execute();
      else
        await tx.db
          .insertInto(table)
          .values({ id: entityId, store_id: storeId, created_at: now, ...values } as never)
          .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyExists('key');
      throw error;
    }
    if (!row || body.slug !== undefined) await writeSlugs(tx.db, kind, storeId, entityId, slug);
    // One literal name per emit: the event map test finds every emitted name in the source.
    if (kind === 'service') {
      const service = await getService(tx, storeId, entityId, false);
      if (row) await emit(tx, 'service.updated', service, storeId);
      else await emit(tx, 'service.created', service, storeId);
    } else {
      const provider = await getProvider(tx, storeId, entityId, false, {});
      if (row) await emit(tx, 'provider.updated', provider, storeId);
      else await emit(tx, 'provider.created', provider, storeId);
    }
    return entityId;
  });
}

export const createService = async (ctx: StoreCtx, body: CreateServiceBody): Promise<Service> =>
  getService(ctx, ctx.store.id, await writeEntity(ctx, 'service', null, body), false);
export const updateService = async (ctx: StoreCtx, id: string, body: UpdateServiceBody): Promise<Service> =>
  getService(ctx, ctx.store.id, await writeEntity(ctx, 'service', id, body), false);
export const createProvider = async (ctx: StoreCtx, body: CreateProviderBody): Promise<Provider> =>
  getProvider(ctx, ctx.store.id, await writeEntity(ctx, 'provider', null, body), false, {});
export const updateProvider = async (
  ctx: StoreCtx,
  id: string,
  body: UpdateProviderBody,
): Promise<Provider> =>
  getProvider(ctx, ctx.store.id, await writeEntity(ctx, 'provider', id, body), false, {});

/** Deletes a service or provider with its links; booked order lines keep their ids and snapshots. */
export async function deleteEntity(ctx: StoreCtx, kind: Kind, id: string): Promise<void> {
  await withTx(ctx, async (tx) => {
    const row = await findEntityRow(tx.db, kind, ctx.store.id, id);
    if (!row) throw notFound(kind, `No ${kind} ${id}`);
    const touched =
      kind === 'provider'
        ? await tx.db
            .selectFrom('service_providers')
            .select('service_id')
            .where('provider_id', '=', row.id)
            .execute()
        : [];
    await tx.db.deleteFrom('booking_slugs').where('entity_id', '=', row.id).execute();
    await tx.db.deleteFrom(TABLE[kind]).where('id', '=', row.id).execute();
    const deleted = { id: row.id, key: row.key, store_id: row.store_id };
    if (kind === 'service') await emit(tx, 'service.deleted', deleted, ctx.store.id);
    else await emit(tx, 'provider.deleted', deleted, ctx.store.id);
    // The services that lost a provider changed too (their `providers` list).
    for (const { service_id } of touched)
      await emit(tx, 'service.updated', await getService(tx, ctx.store.id, service_id, false), ctx.store.id);
  });
}

/** A service with its providers; the storefront sees active services and active providers only. */
export async function getService(
  ctx: Ctx,
  storeId: string,
  id: string,
  activeOnly: boolean,
): Promise<Service> {
  const row = await findEntityRow(ctx.db, 'service', storeId, id);
  if (!row || (activeOnly && row.status !== 'active')) throw notFound('service', `No service ${id}`);
  return toService(row, await linksOf(ctx.db, storeId, { serviceIds: [row.id], activeOnly }));
}

type Window = { from?: number | undefined; to?: number | undefined };

function windowOf(q: Window): { from: number; to: number } | null {
  if (q.from === undefined || q.to === undefined) return null;
  if (q.to <= q.from) throw validationError({ field: 'to', reason: 'min', message: 'to must be after from' });
  if (q.to - q.from > 62 * 86400)
    throw validationError({ field: 'to', reason: 'max', message: 'The window is at most 62 days' });
  return { from: q.from, to: q.to };
}

async function withTimelines(
  ctx: Ctx,
  rows: Parameters<typeof toProvider>[0][],
  q: Window,
): Promise<Provider[]> {
  const w = windowOf(q);
  if (!w) return rows.map((r) => toProvider(r));
  const busy = await activeBookings(
    ctx.db,
    rows.map((r) => r.id),
    w.from,
    w.to,
  );
  return rows.map((r) => toProvider(r, timeline(busy.get(r.id) ?? [], w.from, w.to)));
}

export async function getProvider(
  ctx: Ctx,
  storeId: string,
  id: string,
  activeOnly: boolean,
  q: Window,
): Promise<Provider> {
  const row = await findEntityRow(ctx.db, 'provider', storeId, id);
  if (!row || (activeOnly && row.status !== 'active')) throw notFound('provider', `No provider ${id}`);
  return (await withTimelines(ctx, [row], q))[0]!;
}

const SORT = { columns: { created_at: 'created_at', updated_at: 'updated_at', key: 'key' } };
const like = (q: string) => `%${q.toLowerCase().replace(/[%_\\]/g, '')}%`;

export async function findServices(
  ctx: Ctx,
  storeId: string,
  q: ListServicesQuery,
  activeOnly: boolean,
): Promise<PageOf<Service>> {
  let qb = ctx.db.selectFrom('services').selectAll().where('store_id', '=', storeId);
  if (activeOnly) qb = qb.where('status', '=', 'active');
  if (q.status) qb = qb.where('status', '=', q.status);
  if (q.ids?.length) qb = qb.where('id', 'in', q.ids);
  if (q.provider_id)
    qb = qb.where('id', 'in', (eb) =>
      eb.selectFrom('service_providers').select('service_id').where('provider_id', '=', q.provider_id!),
    );
  if (q.query) qb = qb.where('search_text', 'like', like(q.query));
  if (q.created_at_from !== undefined) qb = qb.where('created_at', '>=', q.created_at_from);
  if (q.created_at_to !== undefined) qb = qb.where('created_at', '<=', q.created_at_to);
  const page = await paginate(qb, q, SORT);
  return { ...page, items: page.items.map((r) => toService(r)) };
}

export async function findProviders(
  ctx: Ctx,
  storeId: string,
  q: ListProvidersQuery,
  activeOnly: boolean,
): Promise<PageOf<Provider>> {
  let qb = ctx.db.selectFrom('providers').selectAll().where('store_id', '=', storeId);
  if (activeOnly) qb = qb.where('status', '=', 'active');
  if (q.status) qb = qb.where('status', '=', q.status);
  if (q.ids?.length) qb = qb.where('id', 'in', q.ids);
  if (q.service_id)
    qb = qb.where('id', 'in', (eb) =>
      eb.selectFrom('service_providers').select('provider_id').where('service_id', '=', q.service_id!),
    );
  if (q.query) qb = qb.where('search_text', 'like', like(q.query));
  if (q.created_at_from !== undefined) qb = qb.where('created_at', '>=', q.created_at_from);
  if (q.created_at_to !== undefined) qb = qb.where('created_at', '<=', q.created_at_to);
  const page = await paginate(qb, q, SORT);
  return { ...page, items: await withTimelines(ctx, page.items, q) };
}
