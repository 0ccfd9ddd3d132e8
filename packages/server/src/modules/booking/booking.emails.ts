import type { Order, OrderItem } from '@openarky/contract';
import type { Db } from '../../lib/context.ts';
import type { OutboxEvent } from '../../lib/events.ts';
import { fromJson } from '../../lib/json.ts';
import { chooseLocale, enqueueTemplatedEmail } from '../emails/index.ts';
import { findProfile } from '../profiles/index.ts';
import { storeLocales } from '../tenancy/index.ts';
import { storeTimeZone } from './booking.repo.ts';

/**
 * Booking emails through the emails module: the confirmation when an order with service items is
 * confirmed (cash at checkout, card when Stripe reports the payment) and the reminder when
 * `order.reminder` fires. Outbox subscribers: each runs in the dispatch transaction, so an email
 * is queued once per event.
 */

type Blocks = { key: string; value: unknown[] }[];

/** The `name` block's text in `locale` (else any of its texts), or the key. */
function nameOf(blocks: string, key: string, locale: string): string {
  const value = fromJson<Blocks>(blocks, []).find((b) => b.key === 'name')?.value[0];
  if (typeof value === 'string' && value) return value;
  if (value && typeof value === 'object') {
    const texts = value as Record<string, unknown>;
    const text = texts[locale] ?? Object.values(texts).find((v) => typeof v === 'string' && v);
    if (typeof text === 'string' && text) return text;
  }
  return key;
}

interface BookingLine {
  service: string;
  provider: string;
  starts_at: string;
  ends_at: string;
}

/** Service and provider names and local times of `items`, in the store's language and time zone. */
async function bookingLines(
  db: Db,
  storeId: string,
  items: OrderItem[],
): Promise<{ lines: BookingLine[]; timeZone: string }> {
  const locale = chooseLocale(undefined, (await storeLocales(db, storeId)) ?? []);
  const timeZone = await storeTimeZone(db, storeId);
  const ids = (k: 'service_id' | 'provider_id') =>
    [...new Set(items.map((i) => i[k]).filter((v) => v))] as string[];
  const named = async (table: 'services' | 'providers', idList: string[]) =>
    new Map(
      idList.length
        ? (
            await db.selectFrom(table).select(['id', 'key', 'blocks']).where('id', 'in', idList).execute()
          ).map((r) => [r.id, nameOf(r.blocks, r.key, locale)] as const)
        : [],
    );
  const services = await named('services', ids('service_id'));
  const providers = await named('providers', ids('provider_id'));
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone });
  const at = (seconds: number | undefined) => (seconds === undefined ? '' : format.format(seconds * 1000));
  const lines = [...items]
    .sort((a, b) => (a.from ?? 0) - (b.from ?? 0))
    .map((i) => ({
      service: services.get(i.service_id ?? '') ?? String(i.snapshot.service_key ?? ''),
      provider: providers.get(i.provider_id ?? '') ?? String(i.snapshot.provider_key ?? ''),
      starts_at: at(i.from),
      ends_at: at(i.to),
    }));
  return { lines, timeZone };
}

/** `order.confirmed` with service items → `booking_confirmation`; `order.reminder` → `booking_reminder`. */
export async function queueBookingEmails(db: Db, event: OutboxEvent, now: number): Promise<void> {
  if ((event.type !== 'order.confirmed' && event.type !== 'order.reminder') || !event.store_id) return;
  const order = event.data as Order & { reminder?: { item_id: string; minutes: number } };
  const booked = order.items.filter((i) => i.type === 'service' && i.status.status !== 'cancelled');
  const items =
    event.type === 'order.reminder' ? booked.filter((i) => i.id === order.reminder?.item_id) : booked;
  if (!items.length) return;
  const to = order.profile_id ? (await findProfile(db, event.store_id, order.profile_id))?.email : null;
  if (!to) return;
  const { lines, timeZone } = await bookingLines(db, event.store_id, items);
  await enqueueTemplatedEmail(
    db,
    now,
    event.type === 'order.reminder'
      ? {
          storeId: event.store_id,
          to,
          template: 'booking_reminder',
          data: {
            order: { number: order.number },
            booking: lines[0],
            minutes: order.reminder!.minutes,
            time_zone: timeZone,
          },
        }
      : {
          storeId: event.store_id,
          to,
          template: 'booking_confirmation',
          data: { order: { number: order.number }, bookings: lines, time_zone: timeZone },
        },
  );
}
