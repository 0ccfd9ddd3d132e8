import type {
  CreateServiceProviderBody,
  Market,
  OutcastDate,
  Price,
  ServiceProvider,
  SpecificDate,
  UpdateServiceProviderBody,
  WorkingDay,
  WorkingHour,
} from '@openarky/contract';
import { withTx, type Ctx, type StoreCtx } from '../../lib/context.ts';
import { alreadyExists, notFound, validationError, type FieldError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';
import { forUpdate, isUniqueViolation } from '../../db/create-db.ts';
import { listMarkets } from '../markets/index.ts';
import { linksOf, toServiceProvider } from './booking.repo.ts';
import type { ServiceProviderTable } from './booking.table.ts';
import { getService } from './entity.service.ts';

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `0 ≤ from < to ≤ 1440`, intervals of one day sorted and not overlapping (so no slot twice). */
function checkHours(hours: WorkingHour[], at: string, errors: FieldError[]): WorkingHour[] {
  const sorted = hours.map((h, i) => ({ ...h, i })).sort((a, b) => a.from - b.from);
  for (const h of hours.map((h, i) => ({ ...h, i })))
    if (!(h.from < h.to))
      errors.push({ field: `${at}.${h.i}.to`, reason: 'min', message: 'to must be after from' });
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k]!.from < sorted[k - 1]!.to)
      errors.push({
        field: `${at}.${sorted[k]!.i}.from`,
        reason: 'overlap',
        message: 'working hours of one day overlap',
      });
  }
  return sorted.map(({ from, to }) => ({ from, to }));
}

function planPrices(
  input: CreateServiceProviderBody['prices'],
  markets: Market[],
  errors: FieldError[],
): Price[] {
  const seen = new Set<string>();
  const out: Price[] = [];
  (input ?? []).forEach((p, j) => {
    const market = markets.find((m) => m.key === p.market.toLowerCase() || m.id === p.market);
    if (!market)
      return void errors.push({
        field: `prices.${j}.market`,
        reason: 'not_found',
        message: `No market "${p.market}" in this store`,
      });
    if (seen.has(market.key)) return void errors.push({ field: `prices.${j}.market`, reason: 'duplicate' });
    seen.add(market.key);
    if (p.currency && p.currency.toUpperCase() !== market.currency)
      return void errors.push({
        field: `prices.${j}.currency`,
        reason: 'invalid_value',
        message: `Market ${market.key} uses ${market.currency}`,
      });
    out.push({
      market: market.key,
      currency: market.currency,
      amount: p.amount,
      ...(p.compare_at != null ? { compare_at: p.compare_at } : {}),
    });
  });
  return out;
}

type Plan = Omit<
  ServiceProviderTable,
  'id' | 'store_id' | 'service_id' | 'provider_id' | 'position' | 'created_at' | 'updated_at'
>;

/** Validates the link's fields (CONTRACT §7.1), reporting every failing field; `base` fills omitted ones on update. */
async function plan(
  ctx: Ctx,
  storeId: string,
  body: UpdateServiceProviderBody,
  base: ServiceProvider | null,
): Promise<Plan> {
  const errors: FieldError[] = [];
  const days: WorkingDay[] = (body.working_days ?? base?.working_days ?? []).map((d, i) => ({
    day: d.day,
    working_hours: checkHours(d.working_hours, `working_days.${i}.working_hours`, errors),
  }));
  const dayNames = new Set<string>();
  days.forEach((d, i) =>
    dayNames.has(d.day)
      ? errors.push({ field: `working_days.${i}.day`, reason: 'duplicate' })
      : dayNames.add(d.day),
  );
  const outcasts: OutcastDate[] = (body.outcast_dates ?? base?.outcast_dates ?? []).map((o, i) => {
    if (o.day > DAYS_IN_MONTH[o.month - 1]!)
      errors.push({
        field: `outcast_dates.${i}.day`,
        reason: 'max',
        message: `Month ${o.month} has no day ${o.day}`,
      });
    return {
      month: o.month,
      day: o.day,
      working_hours: checkHours(o.working_hours, `outcast_dates.${i}.working_hours`, errors),
    };
  });
  const outcastKeys = new Set<string>();
  outcasts.forEach((o, i) =>
    outcastKeys.has(`${o.month}-${o.day}`)
      ? errors.push({ field: `outcast_dates.${i}`, reason: 'duplicate' })
      : outcastKeys.add(`${o.month}-${o.day}`),
  );
  const specifics: SpecificDate[] = (body.specific_dates ?? base?.specific_dates ?? []).map((s, i) => {
    if (s.date % 86400 !== 0)
      errors.push({
        field: `specific_dates.${i}.date`,
        reason: 'invalid_value',
        message: 'date is the unix time of 00:00 UTC of the day',
      });
    return {
      date: s.date,
      working_hours: checkHours(s.working_hours, `specific_dates.${i}.working_hours`, errors),
    };
  });
  const specificKeys = new Set<number>();
  specifics.forEach((s, i) =>
    specificKeys.has(s.date)
      ? errors.push({ field: `specific_dates.${i}.date`, reason: 'duplicate' })
      : specificKeys.add(s.date),
  );
  const durations = body.durations
    ? body.durations.map((d) => ({ duration: d.duration, is_pause: d.is_pause ?? false }))
    : (base?.durations ?? [{ duration: 60, is_pause: false }]);
  const len = durations.reduce((a, d) => a + d.duration, 0);
  if (len > 1440)
    errors.push({ field: 'durations', reason: 'max', message: 'A slot lasts at most 1440 minutes' });
  if (!durations.some((d) => !d.is_pause))
    errors.push({
      field: 'durations',
      reason: 'invalid_value',
      message: 'At least one duration is not a pause',
    });
  const prices =
    body.prices !== undefined
      ? planPrices(body.prices, await listMarkets(ctx.db, storeId), errors)
      : (base?.prices ?? []);
  if (errors.length) throw validationError(errors);
  return {
    working_days: toJson(days),
    outcast_dates: toJson(outcasts),
    specific_dates: toJson(specifics),
    prices: toJson(prices),
    durations: toJson(durations),
    slot_interval: body.slot_interval ?? base?.slot_interval ?? 0,
    capacity: body.capacity ?? base?.capacity ?? 1,
    forms: toJson(body.forms ?? base?.forms ?? []),
    reminders: toJson([...new Set(body.reminders ?? base?.reminders ?? [])].sort((a, b) => b - a)),
    min_advance: body.min_advance ?? base?.min_advance ?? 0,
    max_advance: body.max_advance ?? base?.max_advance ?? 0,
  };
}

async function entityIn(
  ctx: Ctx,
  table: 'services' | 'providers',
  storeId: string,
  id: string,
  field: string,
): Promise<void> {
  const row = await ctx.db
    .selectFrom(table)
    .select('id')
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row)
    throw validationError({
      field,
      reason: 'not_found',
      message: `No ${table.slice(0, -1)} ${id} in this store`,
    });
}

/** Links a provider to a service with its prices, durations and working time. */
export async function createServiceProvider(
  ctx: StoreCtx,
  body: CreateServiceProviderBody,
): Promise<ServiceProvider> {
  const storeId = ctx.store.id;
  return withTx(ctx, async (tx) => {
    await entityIn(tx, 'services', storeId, body.service_id, 'service_id');
    await entityIn(tx, 'providers', storeId, body.provider_id, 'provider_id');
    const taken = await tx.db
      .selectFrom('service_providers')
      .select('id')
      .where('service_id', '=', body.service_id)
      .where('provider_id', '=', body.provider_id)
      .executeTakeFirst();
    if (taken) throw alreadyExists('provider_id', 'This provider already offers this service');
    const now = tx.now();
    const last = await tx.db
      .selectFrom('service_providers')
      .select((eb) => eb.fn.max('position').as('p'))
      .where('service_id', '=', body.service_id)
      .executeTakeFirst();
    const position = last?.p === null || last?.p === undefined ? 0 : Number(last.p) + 1;
    const row: ServiceProviderTable = {
      id: newId('sp'),
      store_id: storeId,
      service_id: body.service_id,
      provider_id: body.provider_id,
      ...(await plan(tx, storeId, body, null)),
      position,
      created_at: now,
      updated_at: now,
    };
    try {
      await tx.db.insertInto('service_providers').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error))
        throw alreadyExists('provider_id', 'This provider already offers this service');
      throw error;
    }
    await emit(tx, 'service.updated', await getService(tx, storeId, row.service_id, false), storeId);
    return toServiceProvider(row);
  });
}

export async function updateServiceProvider(
  ctx: StoreCtx,
  id: string,
  body: UpdateServiceProviderBody,
): Promise<ServiceProvider> {
  const storeId = ctx.store.id;
  return withTx(ctx, async (tx) => {
    const row = await forUpdate(
      tx.db,
      tx.db.selectFrom('service_providers').selectAll().where('store_id', '=', storeId).where('id', '=', id),
    ).executeTakeFirst();
    if (!row) throw notFound('service_provider', `No service provider ${id}`);
    const next: ServiceProviderTable = {
      ...row,
      ...(await plan(tx, storeId, body, toServiceProvider(row))),
      updated_at: tx.now(),
    };
    await tx.db.updateTable('service_providers').set(next).where('id', '=', id).execute();
    await emit(tx, 'service.updated', await getService(tx, storeId, row.service_id, false), storeId);
    return toServiceProvider(next);
  });
}

export async function deleteServiceProvider(ctx: StoreCtx, id: string): Promise<void> {
  const storeId = ctx.store.id;
  await withTx(ctx, async (tx) => {
    const row = await tx.db
      .selectFrom('service_providers')
      .select(['id', 'service_id'])
      .where('store_id', '=', storeId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('service_provider', `No service provider ${id}`);
    await tx.db.deleteFrom('service_providers').where('id', '=', id).execute();
    await emit(tx, 'service.updated', await getService(tx, storeId, row.service_id, false), storeId);
  });
}

/** Links filtered by service and/or provider (a bare array, CONTRACT §1.4). */
export async function findServiceProviders(
  ctx: Ctx,
  storeId: string,
  q: { service_id?: string | undefined; provider_id?: string | undefined },
  activeOnly: boolean,
): Promise<ServiceProvider[]> {
  return linksOf(ctx.db, storeId, {
    ...(q.service_id ? { serviceIds: [q.service_id] } : {}),
    ...(q.provider_id ? { providerId: q.provider_id } : {}),
    activeOnly,
  });
}
