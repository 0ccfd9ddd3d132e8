/**
 * The availability engine (CONTRACT §7.2): pure functions from working time, a time zone, a range
 * and the provider's bookings to slots. Wall-clock ↔ instant conversions go through the Temporal
 * polyfill (IANA data from the runtime's Intl); there is no offset arithmetic here.
 *
 * DST rules:
 * - a wall-clock start that does not exist (spring-forward gap) is skipped;
 * - an ambiguous wall-clock start (fall-back overlap) is the earlier of its two instants;
 * - a slot lasts `len` real minutes, and is kept only if it also ends inside its working interval
 *   in local wall-clock time (so a slot never runs past closing because the clock jumped).
 */
import { Temporal } from 'temporal-polyfill';
import type { OutcastDate, SpecificDate, WorkingDay, WorkingHour } from '@openarky/contract';

export interface WorkingTime {
  working_days: WorkingDay[];
  outcast_dates: OutcastDate[];
  specific_dates: SpecificDate[];
}

export interface SlotRules extends WorkingTime {
  durations: { duration: number; is_pause: boolean }[];
  slot_interval: number;
  capacity: number;
  min_advance: number;
  max_advance: number;
}

/** An active booking of the provider: [from, to) in unix seconds. */
export interface Busy {
  from: number;
  to: number;
}

export interface Slot {
  from: number;
  to: number;
  spots: number;
}

export interface Day {
  date: string;
  slots: Slot[];
}

const WEEKDAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** Minutes a slot occupies the provider: every duration, pauses included. */
export function slotLength(rules: Pick<SlotRules, 'durations'>): number {
  return rules.durations.reduce((a, d) => a + d.duration, 0);
}

/** Working hours of one local date: specific date → outcast date → weekday → closed. */
export function hoursFor(wt: WorkingTime, date: Temporal.PlainDate): WorkingHour[] {
  const midnightUtc = Date.UTC(date.year, date.month - 1, date.day) / 1000;
  const specific = wt.specific_dates.find((s) => s.date === midnightUtc);
  if (specific) return specific.working_hours;
  const outcast = wt.outcast_dates.find((o) => o.month === date.month && o.day === date.day);
  if (outcast) return outcast.working_hours;
  const name = WEEKDAY_NAMES[date.dayOfWeek - 1];
  return wt.working_days.filter((d) => d.day === name).flatMap((d) => d.working_hours);
}

/** The local calendar date of an instant. */
export function localDate(epochSeconds: number, timeZone: string): Temporal.PlainDate {
  return Temporal.Instant.fromEpochMilliseconds(epochSeconds * 1000)
    .toZonedDateTimeISO(timeZone)
    .toPlainDate();
}

/** Every local date touched by [from, to) (from < to), in order. */
export function localDates(from: number, to: number, timeZone: string): Temporal.PlainDate[] {
  if (to <= from) return [];
  const out: Temporal.PlainDate[] = [];
  const last = localDate(to - 1, timeZone);
  for (let d = localDate(from, timeZone); Temporal.PlainDate.compare(d, last) <= 0; d = d.add({ days: 1 }))
    out.push(d);
  return out;
}

/**
 * The instant of a local wall-clock time, or null when that time does not exist (gap). An
 * ambiguous time resolves to its earlier instant.
 */
export function wallToInstant(date: Temporal.PlainDate, minute: number, timeZone: string): number | null {
  const wall = date.toPlainDateTime({ hour: Math.floor(minute / 60), minute: minute % 60 });
  const zoned = wall.toZonedDateTime(timeZone, { disambiguation: 'earlier' });
  if (!zoned.toPlainDateTime().equals(wall)) return null;
  return zoned.epochMilliseconds / 1000;
}

/** Minutes from the local midnight of `date` to the instant, when it falls on `date` (or on its end). */
function wallMinutesOn(date: Temporal.PlainDate, epochSeconds: number, timeZone: string): number | null {
  const z = Temporal.Instant.fromEpochMilliseconds(epochSeconds * 1000).toZonedDateTimeISO(timeZone);
  const d = z.toPlainDate();
  const minutes = z.hour * 60 + z.minute + z.second / 60;
  if (d.equals(date)) return minutes;
  if (minutes === 0 && d.equals(date.add({ days: 1 }))) return 1440;
  return null;
}

interface DayClock {
  toInstant(minute: number): number | null;
  minutesAt(epoch: number): number | null;
}
/** Time-zone rules do not change while the process runs: one clock per (zone, date) is reused. */
const clocks = new Map<string, DayClock>();

/**
 * How wall-clock minutes of one local date map to instants. The time-zone library says whether
 * the date has a transition; on the (usual) dates without one, minute t is `t` elapsed minutes
 * after local midnight, so only dates with a transition pay for a conversion per slot.
 */
function dayClock(date: Temporal.PlainDate, timeZone: string): DayClock {
  const key = `${timeZone}|${date.toString()}`;
  const hit = clocks.get(key);
  if (hit) return hit;
  if (clocks.size >= 20_000) clocks.clear();
  const start = date.toZonedDateTime(timeZone);
  const next = date.add({ days: 1 }).toZonedDateTime(timeZone);
  const transition = start.getTimeZoneTransition('next');
  const steady =
    start.hour === 0 &&
    start.minute === 0 &&
    (!transition || transition.epochMilliseconds >= next.epochMilliseconds);
  const base = start.epochMilliseconds / 1000;
  const clock: DayClock = {
    toInstant: (minute: number): number | null =>
      steady ? base + minute * 60 : wallToInstant(date, minute, timeZone),
    minutesAt: (epoch: number): number | null =>
      steady
        ? epoch - base <= 1440 * 60 && epoch >= base
          ? (epoch - base) / 60
          : null
        : wallMinutesOn(date, epoch, timeZone),
  };
  clocks.set(key, clock);
  return clock;
}

/**
 * Candidate slots of one local date before bookings and advance limits: starts every `step`
 * wall-clock minutes from each working interval's start, kept while the slot fits the interval.
 * The result is shared (see `cachedDaySlots`): callers must not mutate it.
 */
export function daySlots(rules: SlotRules, date: Temporal.PlainDate, timeZone: string): readonly Busy[] {
  const len = slotLength(rules);
  const hours = hoursFor(rules, date);
  if (len <= 0 || !hours.length) return [];
  const step = rules.slot_interval > 0 ? rules.slot_interval : len;
  const clock = dayClock(date, timeZone);
  const out: Busy[] = [];
  const seen = new Set<number>();
  for (const h of hours) {
    for (let t = h.from; t + len <= h.to; t += step) {
      const start = clock.toInstant(t);
      if (start === null || seen.has(start)) continue;
      const end = start + len * 60;
      const endWall = clock.minutesAt(end);
      if (endWall === null || endWall > h.to) continue;
      seen.add(start);
      out.push({ from: start, to: end });
    }
  }
  return out.sort((a, b) => a.from - b.from);
}

/**
 * Candidate slots are a pure function of the working-time rules, the zone and the date, and
 * time-zone rules do not change while the process runs: they are kept per (rules, zone, date), so
 * the providers of a service that share their hours (the usual case) and repeated requests compute
 * each date once. Nothing here is state another process would need; the map is bounded.
 */
const slotCache = new Map<string, readonly Busy[]>();

/** The local dates of a range with their ISO text, kept like the slots (every provider asks for the same range). */
const dateCache = new Map<string, { date: Temporal.PlainDate; iso: string }[]>();

function datesOf(from: number, to: number, timeZone: string) {
  const k = `${timeZone}|${from}|${to}`;
  const hit = dateCache.get(k);
  if (hit) return hit;
  if (dateCache.size >= 1_000) dateCache.clear();
  const dates = localDates(from, to, timeZone).map((date) => ({ date, iso: date.toString() }));
  dateCache.set(k, dates);
  return dates;
}

function rulesKey(rules: SlotRules): string {
  return JSON.stringify([
    rules.working_days,
    rules.outcast_dates,
    rules.specific_dates,
    rules.durations,
    rules.slot_interval,
  ]);
}

function cachedDaySlots(
  rules: SlotRules,
  key: string,
  date: Temporal.PlainDate,
  iso: string,
  timeZone: string,
) {
  const k = `${key}|${timeZone}|${iso}`;
  const hit = slotCache.get(k);
  if (hit) return hit;
  if (slotCache.size >= 20_000) slotCache.clear();
  const slots = daySlots(rules, date, timeZone);
  slotCache.set(k, slots);
  return slots;
}

/** Active bookings overlapping [from, to). `busy` need not be sorted. */
export function overlapping(busy: readonly Busy[], from: number, to: number): number {
  let n = 0;
  for (const b of busy) if (b.from < to && b.to > from) n++;
  return n;
}

export interface AvailabilityInput {
  rules: SlotRules;
  timeZone: string;
  from: number;
  to: number;
  now: number;
  busy: readonly Busy[];
}

/**
 * Days of [from, to) with their free slots: every local date appears (possibly empty); a slot is
 * kept when it lies inside [from, to), starts no earlier than now + min_advance and no later than
 * now + max_advance (when > 0), and has spots = capacity − overlapping bookings > 0.
 */
export function availability(input: AvailabilityInput): Day[] {
  const { rules, timeZone, from, to, now, busy } = input;
  const earliest = Math.max(from, now + rules.min_advance * 60);
  const latest = rules.max_advance > 0 ? now + rules.max_advance * 60 : Infinity;
  const key = rulesKey(rules);
  // One sweep over the bookings sorted by start, as slots come in start order across the days:
  // `active` holds the bookings that started before the current slot ends and have not ended by
  // its start, i.e. exactly those overlapping it (each booking enters and leaves once).
  const sorted = busy.filter((b) => b.from < to && b.to > from).sort((a, b) => a.from - b.from);
  let next = 0;
  const active: Busy[] = [];
  return datesOf(from, to, timeZone).map(({ date, iso }) => {
    const slots: Slot[] = [];
    for (const s of cachedDaySlots(rules, key, date, iso, timeZone)) {
      if (s.from < earliest || s.to > to || s.from > latest) continue;
      while (next < sorted.length && sorted[next]!.from < s.to) active.push(sorted[next++]!);
      let kept = 0;
      for (const b of active) if (b.to > s.from) active[kept++] = b;
      active.length = kept;
      const spots = rules.capacity - kept;
      if (spots > 0) slots.push({ from: s.from, to: s.to, spots });
    }
    return { date: iso, slots };
  });
}

export type SlotCheck =
  | { ok: true; spots: number }
  | { ok: false; reason: 'outside_working_time' | 'too_early' | 'too_late' | 'slot_unavailable' };

/** Whether [from, to) is a generated slot with a free spot now (quote availability, §6.3 step 3). */
export function checkSlot(
  rules: SlotRules,
  timeZone: string,
  slot: Busy,
  now: number,
  busy: readonly Busy[],
): SlotCheck {
  const date = localDate(slot.from, timeZone);
  const match = daySlots(rules, date, timeZone).some((s) => s.from === slot.from && s.to === slot.to);
  if (!match) return { ok: false, reason: 'outside_working_time' };
  if (slot.from < now + rules.min_advance * 60) return { ok: false, reason: 'too_early' };
  if (rules.max_advance > 0 && slot.from > now + rules.max_advance * 60)
    return { ok: false, reason: 'too_late' };
  const spots = rules.capacity - overlapping(busy, slot.from, slot.to);
  return spots > 0 ? { ok: true, spots } : { ok: false, reason: 'slot_unavailable' };
}

/** Points where the number of bookings changes inside [from, to), plus the count at `from` when non-zero. */
export function timeline(
  busy: readonly Busy[],
  from: number,
  to: number,
): { timestamp: number; booked: number }[] {
  const deltas = new Map<number, number>();
  for (const b of busy) {
    if (!(b.from < to && b.to > from)) continue;
    deltas.set(Math.max(b.from, from), (deltas.get(Math.max(b.from, from)) ?? 0) + 1);
    if (b.to < to) deltas.set(b.to, (deltas.get(b.to) ?? 0) - 1);
  }
  let booked = 0;
  const out: { timestamp: number; booked: number }[] = [];
  for (const t of [...deltas.keys()].sort((a, b) => a - b)) {
    const d = deltas.get(t)!;
    if (d === 0) continue;
    booked += d;
    out.push({ timestamp: t, booked });
  }
  return out;
}
