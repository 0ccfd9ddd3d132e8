import type {
  Market,
  OutcastDate,
  ServiceProvider,
  SpecificDate,
  Weekday,
  WorkingHour,
} from '@openarky/contract';
import { toMajor, toMinor } from '../../api/format.ts';

// The contract's WEEKDAYS, repeated as a type-checked literal: importing a value from the contract
// would pull its TypeBox schemas into the dashboard bundle.
export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const satisfies readonly Weekday[];

/** Working hours as the time inputs hold them ("09:00"–"17:00"). */
export interface HoursValue {
  from: string;
  to: string;
}

/**
 * What the service–provider link editor edits: prices, durations and the working time (a week
 * grid, closed dates, special dates). `toLinkBody` turns it into the request body.
 */
export interface LinkFormValues {
  week: { day: Weekday; open: boolean; hours: HoursValue[] }[];
  /** Closed on these calendar days ("YYYY-MM-DD"): specific dates with no hours. */
  closed: string[];
  /** Closed every year on these days ("MM-DD"): the contract's outcast dates. */
  yearly: string[];
  /** Other hours on one calendar day. */
  special: { date: string; hours: HoursValue[] }[];
  prices: { market: string; currency: string; amount: number | '' }[];
  durations: { duration: number | ''; is_pause: boolean }[];
  slot_interval: number | '';
  capacity: number | '';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Minutes from midnight → "HH:mm" (1440, the end of the day, shows as "24:00"). */
export const toClock = (minutes: number): string => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

/** "HH:mm" → minutes; an end of "00:00" means midnight at the end of the day. */
export function toMinutes(clock: string, isEnd = false): number {
  const [h = 0, m = 0] = clock.split(':').map(Number);
  const minutes = h * 60 + m;
  return isEnd && minutes === 0 ? 1440 : minutes;
}

const hoursOf = (h: WorkingHour[]): HoursValue[] =>
  h.map((x) => ({ from: toClock(x.from), to: toClock(x.to === 1440 ? 0 : x.to) }));
const hoursTo = (h: HoursValue[]): WorkingHour[] =>
  h.filter((x) => x.from && x.to).map((x) => ({ from: toMinutes(x.from), to: toMinutes(x.to, true) }));

/** 00:00 UTC of a calendar day (the contract's `specific_dates[].date`) ↔ "YYYY-MM-DD". */
export const dayToUnix = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 1000;
export const unixToDay = (unix: number): string => new Date(unix * 1000).toISOString().slice(0, 10);

/** The default a new link starts from: Monday to Friday 9–17, one hour slots. */
export function emptyLink(markets: Market[]): LinkFormValues {
  return {
    week: WEEKDAYS.map((day) => ({
      day,
      open: !['saturday', 'sunday'].includes(day),
      hours: [{ from: '09:00', to: '17:00' }],
    })),
    closed: [],
    yearly: [],
    special: [],
    prices: markets.map((m) => ({ market: m.key, currency: m.currency, amount: '' })),
    durations: [{ duration: 60, is_pause: false }],
    slot_interval: 0,
    capacity: 1,
  };
}

/** Form values of an existing link. */
export function toLinkValues(link: ServiceProvider, markets: Market[]): LinkFormValues {
  return {
    week: WEEKDAYS.map((day) => {
      const hours = link.working_days.filter((d) => d.day === day).flatMap((d) => d.working_hours);
      return {
        day,
        open: hours.length > 0,
        hours: hours.length ? hoursOf(hours) : [{ from: '09:00', to: '17:00' }],
      };
    }),
    closed: link.specific_dates.filter((d) => d.working_hours.length === 0).map((d) => unixToDay(d.date)),
    yearly: link.outcast_dates
      .filter((d) => d.working_hours.length === 0)
      .map((d) => `${pad(d.month)}-${pad(d.day)}`),
    special: link.specific_dates
      .filter((d) => d.working_hours.length > 0)
      .map((d) => ({ date: unixToDay(d.date), hours: hoursOf(d.working_hours) })),
    prices: markets.map((m) => {
      const price = link.prices.find((p) => p.market === m.key);
      return { market: m.key, currency: m.currency, amount: price ? toMajor(price.amount, m.currency) : '' };
    }),
    durations: link.durations.map((d) => ({ duration: d.duration, is_pause: d.is_pause })),
    slot_interval: link.slot_interval,
    capacity: link.capacity,
  };
}

/**
 * The create/update body of a link, and a function from an API error path back to the form
 * field (the body drops closed weekdays and empty prices, so indexes differ).
 */
export function toLinkBody(v: LinkFormValues) {
  const open = v.week.filter((d) => d.open);
  const working_days = open.map((d) => ({ day: d.day, working_hours: hoursTo(d.hours) }));
  const specific_dates: SpecificDate[] = [
    ...v.special
      .filter((s) => s.date)
      .map((s) => ({ date: dayToUnix(s.date), working_hours: hoursTo(s.hours) })),
    ...v.closed.map((d) => ({ date: dayToUnix(d), working_hours: [] })),
  ];
  const outcast_dates: OutcastDate[] = v.yearly.map((md) => {
    const [month = 1, day = 1] = md.split('-').map(Number);
    return { month, day, working_hours: [] };
  });
  const priceRows = v.prices.flatMap((p, i) => (p.amount === '' ? [] : [i]));
  const body = {
    working_days,
    specific_dates,
    outcast_dates,
    prices: priceRows.map((i) => {
      const p = v.prices[i]!;
      return { market: p.market, amount: toMinor(Number(p.amount), p.currency) };
    }),
    durations: v.durations.map((d) => ({ duration: Number(d.duration || 0), is_pause: d.is_pause })),
    slot_interval: Number(v.slot_interval || 0),
    capacity: Number(v.capacity || 1),
  };
  const fieldOf = (apiField: string): string => {
    const w = /^working_days\.(\d+)/.exec(apiField);
    if (w) return `week.${v.week.indexOf(open[Number(w[1])]!)}`;
    const s = /^specific_dates\.(\d+)/.exec(apiField);
    if (s) return Number(s[1]) < v.special.length ? `special.${s[1]}` : 'closed';
    if (apiField.startsWith('outcast_dates')) return 'yearly';
    const p = /^prices\.(\d+)/.exec(apiField);
    if (p) return `prices.${priceRows[Number(p[1])] ?? 0}.amount`;
    return apiField;
  };
  return { body, fieldOf };
}

/** Field paths of the link form an API error may name (see `showFieldError`). */
export const LINK_FIELDS = [
  'week.*',
  'closed',
  'yearly',
  'special.*',
  'prices.*.amount',
  'durations',
  'slot_interval',
  'capacity',
  'provider_id',
  'service_id',
];
