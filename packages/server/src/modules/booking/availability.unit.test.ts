import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import type { WorkingHour } from '@openarky/contract';
import {
  availability,
  checkSlot,
  daySlots,
  hoursFor,
  localDates,
  slotLength,
  timeline,
  wallToInstant,
  type SlotRules,
} from './availability.ts';

const ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
] as const;
const ALL_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

function rules(hours: WorkingHour[], over: Partial<SlotRules> = {}): SlotRules {
  return {
    working_days: ALL_DAYS.map((day) => ({ day, working_hours: hours })),
    outcast_dates: [],
    specific_dates: [],
    durations: [{ duration: 60, is_pause: false }],
    slot_interval: 0,
    capacity: 1,
    min_advance: 0,
    max_advance: 0,
    ...over,
  };
}

/** "HH:MM±offset" of an instant in a zone, for readable expectations. */
function wall(epoch: number, tz: string): string {
  const z = Temporal.Instant.fromEpochMilliseconds(epoch * 1000).toZonedDateTimeISO(tz);
  return `${String(z.hour).padStart(2, '0')}:${String(z.minute).padStart(2, '0')}${z.offset}`;
}
const day = (s: string) => Temporal.PlainDate.from(s);
const utc = (s: string) => Date.parse(s) / 1000;

describe('slots across DST changes (table)', () => {
  const cases: {
    name: string;
    tz: string;
    date: string;
    hours: WorkingHour[];
    len: number;
    step: number;
    starts: string[];
  }[] = [
    {
      name: 'New York spring forward: 02:00–02:59 does not exist, 60 real minutes per slot',
      tz: 'America/New_York',
      date: '2026-03-08',
      hours: [{ from: 0, to: 360 }],
      len: 60,
      step: 30,
      starts: [
        '00:00-05:00',
        '00:30-05:00',
        '01:00-05:00',
        '01:30-05:00',
        '03:00-04:00',
        '03:30-04:00',
        '04:00-04:00',
        '04:30-04:00',
        '05:00-04:00',
      ],
    },
    {
      name: 'New York fall back: 01:00 is ambiguous and uses the earlier instant (EDT)',
      tz: 'America/New_York',
      date: '2026-11-01',
      hours: [{ from: 0, to: 180 }],
      len: 60,
      step: 60,
      starts: ['00:00-04:00', '01:00-04:00', '02:00-05:00'],
    },
    {
      name: 'Berlin spring forward at 02:00; a slot may not run past closing because of the jump',
      tz: 'Europe/Berlin',
      date: '2026-03-29',
      hours: [{ from: 60, to: 240 }],
      len: 60,
      step: 30,
      // 01:30 CET + 60 min = 03:30 CEST ≤ 04:00; 02:00 and 02:30 do not exist.
      starts: ['01:00+01:00', '01:30+01:00', '03:00+02:00'],
    },
    {
      name: 'Berlin fall back: 02:30 twice, the earlier one (CEST) only',
      tz: 'Europe/Berlin',
      date: '2026-10-25',
      hours: [{ from: 120, to: 240 }],
      len: 30,
      step: 30,
      starts: ['02:00+02:00', '02:30+02:00', '03:00+01:00', '03:30+01:00'],
    },
    {
      name: 'Sydney (southern hemisphere) spring forward in October',
      tz: 'Australia/Sydney',
      date: '2026-10-04',
      hours: [{ from: 60, to: 240 }],
      len: 60,
      step: 60,
      starts: ['01:00+10:00', '03:00+11:00'],
    },
    {
      name: 'Sydney fall back in April: 02:00 ambiguous → AEDT',
      tz: 'Australia/Sydney',
      date: '2026-04-05',
      hours: [{ from: 120, to: 240 }],
      len: 60,
      step: 60,
      starts: ['02:00+11:00', '03:00+10:00'],
    },
    {
      name: 'Lord Howe 30-minute spring forward: 02:00–02:29 does not exist',
      tz: 'Australia/Lord_Howe',
      date: '2026-10-04',
      hours: [{ from: 90, to: 210 }],
      len: 30,
      step: 15,
      starts: ['01:30+10:30', '01:45+10:30', '02:30+11:00', '02:45+11:00', '03:00+11:00'],
    },
    {
      name: 'Lord Howe 30-minute fall back: 01:30–01:59 twice, earlier instants only',
      tz: 'Australia/Lord_Howe',
      date: '2026-04-05',
      hours: [{ from: 60, to: 150 }],
      len: 30,
      step: 30,
      starts: ['01:00+11:00', '01:30+11:00', '02:00+10:30'],
    },
    {
      name: 'Kolkata: no DST, half-hour offset',
      tz: 'Asia/Kolkata',
      date: '2026-03-08',
      hours: [{ from: 540, to: 720 }],
      len: 90,
      step: 0,
      starts: ['09:00+05:30', '10:30+05:30'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = rules(c.hours, { durations: [{ duration: c.len, is_pause: false }], slot_interval: c.step });
      const slots = daySlots(r, day(c.date), c.tz);
      expect(slots.map((s) => wall(s.from, c.tz))).toEqual(c.starts);
      for (const s of slots) expect(s.to - s.from).toBe(c.len * 60);
    });
  }

  it('the earlier instant of an ambiguous time, and null in a gap', () => {
    expect(wallToInstant(day('2026-11-01'), 90, 'America/New_York')).toBe(utc('2026-11-01T05:30:00Z'));
    expect(wallToInstant(day('2026-03-08'), 150, 'America/New_York')).toBeNull();
    expect(wallToInstant(day('2026-10-04'), 135, 'Australia/Lord_Howe')).toBeNull();
    expect(wallToInstant(day('2026-03-08'), 540, 'Asia/Kolkata')).toBe(utc('2026-03-08T03:30:00Z'));
  });

  it('pauses count in the length; a slot may end exactly at midnight', () => {
    const r = rules([{ from: 1320, to: 1440 }], {
      durations: [
        { duration: 45, is_pause: false },
        { duration: 15, is_pause: true },
      ],
    });
    expect(slotLength(r)).toBe(60);
    const slots = daySlots(r, day('2026-06-10'), 'Europe/Berlin');
    expect(slots.map((s) => wall(s.from, 'Europe/Berlin'))).toEqual(['22:00+02:00', '23:00+02:00']);
    expect(slots[1]!.to).toBe(utc('2026-06-10T22:00:00Z'));
  });
});

describe('working time precedence', () => {
  const wt = {
    working_days: [{ day: 'friday' as const, working_hours: [{ from: 540, to: 1020 }] }],
    outcast_dates: [
      { month: 12, day: 25, working_hours: [] },
      { month: 12, day: 26, working_hours: [{ from: 600, to: 660 }] },
    ],
    specific_dates: [
      { date: utc('2026-12-26T00:00:00Z'), working_hours: [{ from: 720, to: 780 }] },
      { date: utc('2026-12-24T00:00:00Z'), working_hours: [] },
    ],
  };
  it.each([
    ['2026-12-25', 'a Friday closed by its outcast date', []],
    ['2027-12-25', 'the outcast repeats every year (a Saturday)', []],
    ['2026-12-26', 'a specific date wins over an outcast date', [{ from: 720, to: 780 }]],
    ['2027-12-26', 'the outcast date in another year', [{ from: 600, to: 660 }]],
    ['2026-12-24', 'a specific date can close a working weekday (Thursday has none anyway)', []],
    ['2026-12-18', 'a plain Friday', [{ from: 540, to: 1020 }]],
    ['2026-12-19', 'Saturday: no working day → closed', []],
  ])('%s: %s', (date, _why, hours) => {
    expect(hoursFor(wt, day(date))).toEqual(hours);
  });
});

describe('availability', () => {
  const tz = 'America/New_York';
  const r = rules([{ from: 540, to: 720 }], { capacity: 2 });
  const from = utc('2026-03-07T05:00:00Z'); // Sat 00:00 EST
  const to = utc('2026-03-10T04:00:00Z'); // Tue 00:00 EDT

  it('lists every local date of the range, with spots after bookings', () => {
    const nine = utc('2026-03-09T13:00:00Z'); // Mon 09:00 EDT
    const days = availability({
      rules: r,
      timeZone: tz,
      from,
      to,
      now: 0,
      busy: [
        { from: nine, to: nine + 3600 },
        { from: nine + 1800, to: nine + 5400 },
      ],
    });
    expect(days.map((d) => d.date)).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
    const monday = days[2]!.slots;
    // 09:00 overlaps both bookings (2 - 2 = 0: omitted); 10:00 overlaps the second (1 spot left).
    expect(monday.map((s) => [wall(s.from, tz), s.spots])).toEqual([
      ['10:00-04:00', 1],
      ['11:00-04:00', 2],
    ]);
  });

  it('min and max advance drop slots relative to now', () => {
    const now = utc('2026-03-09T13:30:00Z'); // Mon 09:30 EDT
    const days = availability({
      rules: { ...r, min_advance: 60, max_advance: 120 },
      timeZone: tz,
      from,
      to,
      now,
      busy: [],
    });
    expect(days[2]!.slots.map((s) => wall(s.from, tz))).toEqual(['11:00-04:00']);
  });

  it('checkSlot names the reason', () => {
    const now = utc('2026-03-01T00:00:00Z');
    const ok = { from: utc('2026-03-09T13:00:00Z'), to: utc('2026-03-09T14:00:00Z') };
    expect(checkSlot(r, tz, ok, now, [])).toEqual({ ok: true, spots: 2 });
    expect(checkSlot(r, tz, { from: ok.from + 60, to: ok.to + 60 }, now, [])).toEqual({
      ok: false,
      reason: 'outside_working_time',
    });
    expect(checkSlot(r, tz, { from: ok.from, to: ok.to + 60 }, now, [])).toEqual({
      ok: false,
      reason: 'outside_working_time',
    });
    expect(checkSlot({ ...r, min_advance: 60 }, tz, ok, ok.from - 10, [])).toEqual({
      ok: false,
      reason: 'too_early',
    });
    expect(checkSlot({ ...r, max_advance: 60 }, tz, ok, now, [])).toEqual({ ok: false, reason: 'too_late' });
    expect(checkSlot(r, tz, ok, now, [ok, { from: ok.from + 1800, to: ok.to + 1800 }])).toEqual({
      ok: false,
      reason: 'slot_unavailable',
    });
  });

  it('timeline: count at the window start, then every change', () => {
    expect(
      timeline(
        [
          { from: 100, to: 200 },
          { from: 150, to: 300 },
          { from: 400, to: 500 },
        ],
        120,
        450,
      ),
    ).toEqual([
      { timestamp: 120, booked: 1 },
      { timestamp: 150, booked: 2 },
      { timestamp: 200, booked: 1 },
      { timestamp: 300, booked: 0 },
      { timestamp: 400, booked: 1 },
    ]);
  });
});

/** Non-overlapping working intervals of one day, in minutes. */
const hoursArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 2, maxLength: 8 })
  .map((qs) => qs.sort((a, b) => a - b).map((q) => q * 15))
  .map((cuts) => {
    const out: WorkingHour[] = [];
    for (let i = 0; i + 1 < cuts.length; i += 2)
      if (cuts[i]! < cuts[i + 1]!) out.push({ from: cuts[i]!, to: cuts[i + 1]! });
    return out;
  });

/** A day within ±3 days of a DST change of the zone, or any day of 2024–2027. */
const dstDates = [
  '2026-03-08',
  '2026-11-01',
  '2026-03-29',
  '2026-10-25',
  '2026-10-04',
  '2026-04-05',
  '2025-03-30',
  '2025-10-05',
  '2024-11-03',
];
const startArb = fc.oneof(
  fc
    .tuple(fc.constantFrom(...dstDates), fc.integer({ min: -3 * 24, max: 3 * 24 }))
    .map(([d, h]) => utc(`${d}T00:00:00Z`) + h * 3600),
  fc.integer({ min: utc('2024-01-01T00:00:00Z'), max: utc('2027-12-31T00:00:00Z') }),
);

describe('availability properties (fast-check)', () => {
  it('no slot at a non-existent local time, no duplicates, inside working hours, real length, every local date present', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        startArb,
        fc.integer({ min: 1, max: 10 * 24 * 3600 }),
        fc.array(fc.tuple(fc.constantFrom(...ALL_DAYS), hoursArb), { maxLength: 7 }),
        fc.integer({ min: 5, max: 180 }),
        fc.integer({ min: 0, max: 120 }),
        fc.boolean(),
        (tz, from, span, weekdays, len, step, withOverrides) => {
          const to = from + span;
          const working_days = [...new Map(weekdays).entries()].map(([day, working_hours]) => ({
            day,
            working_hours,
          }));
          const firstDate = Temporal.Instant.fromEpochMilliseconds(from * 1000)
            .toZonedDateTimeISO(tz)
            .toPlainDate();
          const r: SlotRules = {
            working_days,
            outcast_dates: withOverrides
              ? [{ month: firstDate.month, day: firstDate.day, working_hours: [] }]
              : [],
            specific_dates: withOverrides
              ? [
                  {
                    date: Date.UTC(firstDate.year, firstDate.month - 1, firstDate.day + 1) / 1000,
                    working_hours: [{ from: 600, to: 600 + len }],
                  },
                ]
              : [],
            durations: [{ duration: len, is_pause: false }],
            slot_interval: step,
            capacity: 1,
            min_advance: 0,
            max_advance: 0,
          };
          const days = availability({ rules: r, timeZone: tz, from, to, now: 0, busy: [] });
          // Every local date of [from, to) exactly once, consecutive.
          const expected = localDates(from, to, tz).map((d) => d.toString());
          expect(days.map((d) => d.date)).toEqual(expected);
          expect(expected[0]).toBe(firstDate.toString());
          const starts = new Set<number>();
          for (const d of days) {
            const date = Temporal.PlainDate.from(d.date);
            const hours = hoursFor(r, date);
            if (withOverrides && date.equals(firstDate)) expect(d.slots).toEqual([]);
            for (const s of d.slots) {
              expect(starts.has(s.from)).toBe(false);
              starts.add(s.from);
              expect(s.to - s.from).toBe(len * 60);
              expect(s.from >= from && s.to <= to).toBe(true);
              const z = Temporal.Instant.fromEpochMilliseconds(s.from * 1000).toZonedDateTimeISO(tz);
              expect(z.toPlainDate().toString()).toBe(d.date);
              const startMin = z.hour * 60 + z.minute;
              // The start's wall time exists: converting it back gives the same instant.
              expect(wallToInstant(date, startMin, tz)).toBe(s.from);
              const e = Temporal.Instant.fromEpochMilliseconds(s.to * 1000).toZonedDateTimeISO(tz);
              const endMin = e.toPlainDate().equals(date)
                ? e.hour * 60 + e.minute
                : e.hour === 0 && e.minute === 0
                  ? 1440
                  : Infinity;
              expect(hours.some((h) => h.from <= startMin && endMin <= h.to)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('spots = capacity − overlapping bookings, and full slots are omitted', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 7 * 24 * 4 }), fc.integer({ min: 1, max: 12 })), {
          maxLength: 20,
        }),
        fc.integer({ min: 1, max: 4 }),
        (tz, raw, capacity) => {
          const from = utc('2026-03-05T00:00:00Z');
          const to = from + 7 * 86400;
          const busy = raw.map(([q, n]) => ({ from: from + q * 900, to: from + q * 900 + n * 900 }));
          const r = rules([{ from: 480, to: 1200 }], {
            capacity,
            durations: [{ duration: 30, is_pause: false }],
          });
          const all = availability({
            rules: { ...r, capacity: 1000 },
            timeZone: tz,
            from,
            to,
            now: 0,
            busy: [],
          }).flatMap((d) => d.slots);
          const free = availability({ rules: r, timeZone: tz, from, to, now: 0, busy }).flatMap(
            (d) => d.slots,
          );
          for (const s of all) {
            const n = busy.filter((b) => b.from < s.to && b.to > s.from).length;
            const got = free.find((f) => f.from === s.from);
            if (capacity - n > 0) expect(got?.spots).toBe(capacity - n);
            else expect(got).toBeUndefined();
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  // The engine counts overlaps in one sweep over bookings sorted by start: overlapping slots
  // (interval < length), bookings starting before the range or spanning days, and slots skipped
  // by min_advance must not disturb the count.
  it('the sweep counts like a scan: overlapping slots, long and early bookings, min advance', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.array(fc.tuple(fc.integer({ min: -96, max: 5 * 24 * 4 }), fc.integer({ min: 1, max: 300 })), {
          maxLength: 25,
        }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        (tz, raw, capacity, minAdvance) => {
          const from = utc('2026-10-22T00:00:00Z');
          const to = from + 5 * 86400;
          const busy = raw.map(([q, n]) => ({ from: from + q * 900, to: from + q * 900 + n * 900 }));
          const r = rules([{ from: 420, to: 1260 }], {
            capacity,
            durations: [{ duration: 45, is_pause: false }],
            slot_interval: 15,
            min_advance: minAdvance,
          });
          const days = availability({ rules: r, timeZone: tz, from, to, now: from, busy });
          for (const date of localDates(from, to, tz)) {
            const expected = daySlots(r, date, tz)
              .filter((s) => s.from >= from + minAdvance * 60 && s.to <= to)
              .map((s) => ({
                ...s,
                spots: capacity - busy.filter((b) => b.from < s.to && b.to > s.from).length,
              }))
              .filter((s) => s.spots > 0);
            expect(days.find((d) => d.date === date.toString())?.slots).toEqual(expected);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
