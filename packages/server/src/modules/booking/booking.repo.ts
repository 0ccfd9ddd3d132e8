import type {
  CatalogBlock,
  OutcastDate,
  Price,
  Provider,
  Service,
  ServiceProvider,
  SpecificDate,
  WorkingDay,
} from '@openarky/contract';
import type { Db } from '../../lib/context.ts';
import { alreadyExists } from '../../lib/errors.ts';
import { fromJson } from '../../lib/json.ts';
import type { SlotRules } from './availability.ts';
import type { ProviderTable, ServiceProviderTable, ServiceTable } from './booking.table.ts';

export type Kind = 'service' | 'provider';
const TABLE = { service: 'services', provider: 'providers' } as const;

export function toService(row: ServiceTable, providers?: ServiceProvider[]): Service {
  return {
    id: row.id,
    store_id: row.store_id,
    key: row.key,
    slug: fromJson<Record<string, string>>(row.slug, {}),
    blocks: fromJson<CatalogBlock[]>(row.blocks, []),
    taxonomies: fromJson<unknown[]>(row.taxonomies, []),
    status: row.status,
    location: fromJson(row.location, null),
    ...(providers ? { providers } : {}),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toProvider(row: ProviderTable, timeline: Provider['timeline'] = []): Provider {
  return {
    id: row.id,
    store_id: row.store_id,
    key: row.key,
    slug: fromJson<Record<string, string>>(row.slug, {}),
    status: row.status,
    blocks: fromJson<CatalogBlock[]>(row.blocks, []),
    taxonomies: fromJson<unknown[]>(row.taxonomies, []),
    timeline,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toServiceProvider(row: ServiceProviderTable): ServiceProvider {
  return {
    id: row.id,
    store_id: row.store_id,
    service_id: row.service_id,
    provider_id: row.provider_id,
    working_days: fromJson<WorkingDay[]>(row.working_days, []),
    outcast_dates: fromJson<OutcastDate[]>(row.outcast_dates, []),
    specific_dates: fromJson<SpecificDate[]>(row.specific_dates, []),
    prices: fromJson<Price[]>(row.prices, []),
    durations: fromJson<{ duration: number; is_pause: boolean }[]>(row.durations, []),
    slot_interval: row.slot_interval,
    capacity: row.capacity,
    forms: fromJson<ServiceProvider['forms']>(row.forms, []),
    reminders: fromJson<number[]>(row.reminders, []),
    min_advance: row.min_advance,
    max_advance: row.max_advance,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The engine's view of a link. */
export function rulesOf(sp: ServiceProvider): SlotRules {
  return sp;
}

/** A service or provider row by id or `{storeId}:{locale}:{slug}` (CONTRACT §1.2). */
export async function findEntityRow<K extends Kind>(
  db: Db,
  kind: K,
  storeId: string,
  idOrSlug: string,
): Promise<(K extends 'service' ? ServiceTable : ProviderTable) | undefined> {
  const table = TABLE[kind] as 'services';
  let id = idOrSlug;
  if (idOrSlug.includes(':')) {
    const [store, locale, ...rest] = idOrSlug.split(':');
    const slug = rest.join(':');
    if (store !== storeId || !locale || !slug) return undefined;
    const hit = await db
      .selectFrom('booking_slugs')
      .select('entity_id')
      .where('store_id', '=', storeId)
      .where('kind', '=', kind)
      .where('locale', '=', locale)
      .where('slug', '=', slug)
      .executeTakeFirst();
    if (!hit) return undefined;
    id = hit.entity_id;
  }
  return (await db
    .selectFrom(table)
    .selectAll()
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .executeTakeFirst()) as never;
}

/** Rewrites the slug rows of one entity; a slug taken by another entity of the kind → 409. */
export async function writeSlugs(
  db: Db,
  kind: Kind,
  storeId: string,
  entityId: string,
  slug: Record<string, string>,
): Promise<void> {
  await db.deleteFrom('booking_slugs').where('entity_id', '=', entityId).execute();
  for (const [locale, value] of Object.entries(slug)) {
    const taken = await db
      .selectFrom('booking_slugs')
      .select('entity_id')
      .where('store_id', '=', storeId)
      .where('kind', '=', kind)
      .where('locale', '=', locale)
      .where('slug', '=', value)
      .executeTakeFirst();
    if (taken) throw alreadyExists(`slug.${locale}`, `Slug "${value}" is already used in ${locale}`);
    await db
      .insertInto('booking_slugs')
      .values({ store_id: storeId, kind, locale, slug: value, entity_id: entityId })
      .execute();
  }
}

/** Links of these services (creation order), optionally only those whose provider is active. */
export async function linksOf(
  db: Db,
  storeId: string,
  filter: { serviceIds?: string[]; providerId?: string; activeOnly?: boolean },
): Promise<ServiceProvider[]> {
  let qb = db
    .selectFrom('service_providers')
    .innerJoin('providers', 'providers.id', 'service_providers.provider_id')
    .innerJoin('services', 'services.id', 'service_providers.service_id')
    .selectAll('service_providers')
    .where('service_providers.store_id', '=', storeId);
  if (filter.serviceIds) {
    if (!filter.serviceIds.length) return [];
    qb = qb.where('service_providers.service_id', 'in', filter.serviceIds);
  }
  if (filter.providerId) qb = qb.where('service_providers.provider_id', '=', filter.providerId);
  if (filter.activeOnly)
    qb = qb.where('providers.status', '=', 'active').where('services.status', '=', 'active');
  const rows = await qb
    .orderBy('service_providers.service_id')
    .orderBy('service_providers.position')
    .orderBy('service_providers.id')
    .execute();
  return rows.map(toServiceProvider);
}

/**
 * Active bookings of these providers overlapping [from, to): confirmed, or pending (held by an
 * order that still waits for its payment). A pending hold counts until its order releases it
 * (payment failed, cancelled, or the hold-expiry job cancelled it, reason `expired`), exactly like
 * the stock it holds, not merely until its `expires_at`: otherwise a payment landing between
 * `expires_at` and the expiry job would confirm an order whose slot another checkout had taken in
 * the meantime (a double booking). The expiry job runs every minute, so an abandoned hold is free
 * again about a minute after `expires_at`.
 */
export async function activeBookings(
  db: Db,
  providerIds: string[],
  from: number,
  to: number,
  excludeOrderId?: string,
): Promise<Map<string, { from: number; to: number }[]>> {
  const out = new Map<string, { from: number; to: number }[]>(providerIds.map((id) => [id, []]));
  if (!providerIds.length) return out;
  let qb = db
    .selectFrom('order_items')
    .select(['provider_id', 'from_at', 'to_at'])
    .where('type', '=', 'service')
    .where('provider_id', 'in', providerIds)
    .where('from_at', '<', to)
    .where('to_at', '>', from)
    .where('status', 'in', ['confirmed', 'pending']);
  if (excludeOrderId) qb = qb.where('order_id', '!=', excludeOrderId);
  for (const r of await qb.execute())
    out.get(r.provider_id!)?.push({ from: Number(r.from_at), to: Number(r.to_at) });
  return out;
}

/** The store's IANA time zone. */
export async function storeTimeZone(db: Db, storeId: string): Promise<string> {
  const row = await db.selectFrom('stores').select('timezone').where('id', '=', storeId).executeTakeFirst();
  return row?.timezone ?? 'UTC';
}
