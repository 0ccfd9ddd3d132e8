import type { CartItemInput, Market, ServiceProvider } from '@openarky/contract';
import type { Ctx } from '../../lib/context.ts';
import { AppError, validationError } from '../../lib/errors.ts';
import { forUpdate } from '../../db/create-db.ts';
import type { ResolvedLine, ServiceLines } from '../commerce/index.ts';
import { checkSlot, overlapping, type Busy, type SlotCheck } from './availability.ts';
import { activeBookings, linksOf, storeTimeZone } from './booking.repo.ts';
import { scheduleReminders } from './reminders.ts';

const MAX_TIME = 2 ** 32;

/** The slots of a service item: `slots`, or seed 002's single `from`/`to`. */
function slotsOf(item: CartItemInput, index: number): Busy[] {
  const slots = item.slots?.length
    ? item.slots
    : item.from !== undefined && item.to !== undefined
      ? [{ from: item.from, to: item.to }]
      : [];
  if (!slots.length)
    throw validationError({
      field: `items.${index}.slots`,
      reason: 'required',
      message: 'A service item needs at least one slot',
    });
  slots.forEach((s, j) => {
    if (s.from < 0 || s.from >= MAX_TIME)
      throw validationError({ field: `items.${index}.slots.${j}.from`, reason: 'range' });
    if (s.to <= s.from || s.to >= MAX_TIME)
      throw validationError({
        field: `items.${index}.slots.${j}.to`,
        reason: 'range',
        message: 'to must be after from',
      });
  });
  return slots.map((s) => ({ from: s.from, to: s.to }));
}

/**
 * Service lines for commerce (CONTRACT §6.3 step 2–3, §7.2): one priced line per slot, checked
 * against the generated slots and the provider's bookings. Without `provider_id` the first
 * provider (link creation order) with the slot free is chosen; lines of one request consume spots
 * in order.
 */
async function resolve(
  ctx: Ctx,
  storeId: string,
  market: Market,
  items: { index: number; item: CartItemInput }[],
  opts: { trusted: boolean },
): Promise<ResolvedLine[]> {
  const planned = items.map(({ index, item }) => {
    if (!item.service_id) throw validationError({ field: `items.${index}.service_id`, reason: 'required' });
    return { index, item, slots: slotsOf(item, index) };
  });
  const serviceIds = [...new Set(planned.map((p) => p.item.service_id!))];
  const services = await ctx.db
    .selectFrom('services')
    .select(['id', 'key', 'status'])
    .where('store_id', '=', storeId)
    .where('id', 'in', serviceIds)
    .execute();
  const links = await linksOf(ctx.db, storeId, { serviceIds, activeOnly: true });
  const candidates = planned.map(({ index, item }) => {
    const service = services.find((s) => s.id === item.service_id);
    if (!service || service.status !== 'active')
      throw validationError({
        field: `items.${index}.service_id`,
        reason: 'not_found',
        message: `No bookable service ${item.service_id} in this store`,
      });
    const of = links.filter(
      (l) => l.service_id === service.id && (!item.provider_id || l.provider_id === item.provider_id),
    );
    if (!of.length) {
      throw validationError(
        item.provider_id
          ? {
              field: `items.${index}.provider_id`,
              reason: 'not_found',
              message: `Provider ${item.provider_id} does not offer this service`,
            }
          : {
              field: `items.${index}.service_id`,
              reason: 'no_provider',
              message: 'No active provider offers this service',
            },
      );
    }
    return { service, links: of };
  });
  const all = planned.flatMap((p) => p.slots);
  const providerIds = [...new Set(candidates.flatMap((c) => c.links.map((l) => l.provider_id)))];
  const now = ctx.now();
  const busy = await activeBookings(
    ctx.db,
    providerIds,
    Math.min(...all.map((s) => s.from)),
    Math.max(...all.map((s) => s.to)),
  );
  const providerKeys = new Map(
    (await ctx.db.selectFrom('providers').select(['id', 'key']).where('id', 'in', providerIds).execute()).map(
      (r) => [r.id, r.key],
    ),
  );
  const timeZone = await storeTimeZone(ctx.db, storeId);

  const lines: ResolvedLine[] = [];
  planned.forEach(({ index, item, slots }, n) => {
    const { service, links: options } = candidates[n]!;
    for (const slot of slots) {
      let chosen: ServiceProvider = options[0]!;
      let check: SlotCheck | null = null;
      for (const link of options) {
        const c = checkSlot(link, timeZone, slot, now, busy.get(link.provider_id)!);
        if (c.ok) {
          chosen = link;
          check = c;
          break;
        }
        // Report the most telling refusal: a real slot that is taken or out of the advance window.
        if (
          !check ||
          (check.ok === false &&
            check.reason === 'outside_working_time' &&
            c.reason !== 'outside_working_time')
        ) {
          chosen = link;
          check = c;
        }
      }
      if (check!.ok) busy.get(chosen.provider_id)!.push(slot);
      const listed = chosen.prices.find((p) => p.market === market.key);
      const override = opts.trusted && item.price ? item.price.amount : undefined;
      if (override === undefined && !listed)
        throw new AppError(
          'price_not_found',
          `Service ${service.id} has no price in market ${market.key} for provider ${chosen.provider_id}`,
          { field: `items.${index}` },
        );
      const unit = override ?? listed!.amount;
      lines.push({
        index,
        type: 'service',
        service_id: service.id,
        provider_id: chosen.provider_id,
        from: slot.from,
        to: slot.to,
        quantity: 1,
        unit_price: unit,
        weight: 0,
        snapshot: {
          service_key: service.key,
          provider_key: providerKeys.get(chosen.provider_id) ?? '',
          price: { market: market.key, currency: market.currency, amount: unit },
        },
        availability: check!.ok ? { ok: true, spots: check!.spots } : { ok: false, reason: check!.reason },
      });
    }
  });
  return lines;
}

/**
 * Books the order's service lines, in the checkout transaction, after its items are written.
 * Each provider's row is locked (in id order, so concurrent checkouts never deadlock) before its
 * overlapping active bookings are counted: two checkouts of one provider are serialized, on
 * PostgreSQL across processes, and the second sees the first's committed lines. SQLite runs one
 * writer at a time. A line whose provider is full → 409 `slot_unavailable`, and everything rolls back.
 */
async function book(ctx: Ctx, storeId: string, orderId: string, lines: ResolvedLine[]): Promise<void> {
  const providerIds = [...new Set(lines.map((l) => l.provider_id!))].sort();
  for (const id of providerIds)
    await forUpdate(
      ctx.db,
      ctx.db.selectFrom('providers').select('id').where('id', '=', id),
    ).executeTakeFirst();
  const now = ctx.now();
  const from = Math.min(...lines.map((l) => l.from!));
  const to = Math.max(...lines.map((l) => l.to!));
  const busy = await activeBookings(ctx.db, providerIds, from, to, orderId);
  const links = await linksOf(ctx.db, storeId, { serviceIds: [...new Set(lines.map((l) => l.service_id!))] });
  const items = await ctx.db
    .selectFrom('order_items')
    .select(['id', 'from_at', 'to_at'])
    .where('order_id', '=', orderId)
    .where('type', '=', 'service')
    .orderBy('position')
    .execute();
  for (const [k, line] of lines.entries()) {
    const link = links.find((l) => l.service_id === line.service_id && l.provider_id === line.provider_id);
    const taken = busy.get(line.provider_id!)!;
    if (!link || overlapping(taken, line.from!, line.to!) >= link.capacity) {
      throw new AppError(
        'slot_unavailable',
        `items.${line.index} cannot be booked: the slot is no longer free`,
        { field: `items.${line.index}` },
      );
    }
    taken.push({ from: line.from!, to: line.to! });
    const item = items[k];
    if (item)
      await scheduleReminders(ctx.db, {
        storeId,
        orderId,
        itemId: item.id,
        from: line.from!,
        reminders: link.reminders,
        now,
      });
  }
}

export const bookingLines: ServiceLines = { resolve, book };
