import type { Availability, AvailabilityQuery } from '@openarky/contract';
import type { Ctx } from '../../lib/context.ts';
import { notFound, validationError } from '../../lib/errors.ts';
import { availability } from './availability.ts';
import { activeBookings, findEntityRow, linksOf, storeTimeZone } from './booking.repo.ts';

export const MAX_RANGE_SECONDS = 62 * 86400;

/**
 * Availability of one service (CONTRACT §7.2): per active provider, every local date of
 * [from, to) in the store's time zone with its free slots. Bookings of a provider count across
 * all its services.
 */
export async function getAvailability(
  ctx: Ctx,
  storeId: string,
  q: AvailabilityQuery,
  storefront: boolean,
): Promise<Availability> {
  if (q.to <= q.from) throw validationError({ field: 'to', reason: 'min', message: 'to must be after from' });
  if (q.to - q.from > MAX_RANGE_SECONDS)
    throw validationError({ field: 'to', reason: 'max', message: 'The range is at most 62 days' });
  const service = await findEntityRow(ctx.db, 'service', storeId, q.service_id);
  if (!service || (storefront && service.status !== 'active'))
    throw notFound('service', `No service ${q.service_id}`);
  const links = await linksOf(ctx.db, storeId, {
    serviceIds: [service.id],
    ...(q.provider_id ? { providerId: q.provider_id } : {}),
    activeOnly: true,
  });
  const timeZone = await storeTimeZone(ctx.db, storeId);
  const now = ctx.now();
  const busy = await activeBookings(
    ctx.db,
    links.map((l) => l.provider_id),
    q.from,
    q.to,
  );
  const keys = links.length
    ? await ctx.db
        .selectFrom('providers')
        .select(['id', 'key'])
        .where(
          'id',
          'in',
          links.map((l) => l.provider_id),
        )
        .execute()
    : [];
  return {
    from: q.from,
    to: q.to,
    providers: links.map((l) => ({
      provider_id: l.provider_id,
      provider_key: keys.find((k) => k.id === l.provider_id)?.key ?? '',
      days: availability({
        rules: l,
        timeZone,
        from: q.from,
        to: q.to,
        now,
        busy: busy.get(l.provider_id) ?? [],
      }),
    })),
  };
}
