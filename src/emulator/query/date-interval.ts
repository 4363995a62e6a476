/**
 * Dates as half-open intervals of ms since the epoch, so one overlap test covers date-only values (a whole
 * UTC day), datetimes (one millisecond) and ranges (start to end).
 */

/** A half-open time interval `[lo, hi)` in ms since the Unix epoch. */
export interface DateInterval {
  readonly lo: number;
  readonly hi: number;
}

export const DAY_MS = 86_400_000;
const WEEK_DAYS = 7;
const MONTHS_PER_YEAR = 12;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Relative date values accepted wherever a filter takes a date (SDK `RelativeDateValue`). */
export const RELATIVE_DATE_VALUES = [
  'today',
  'tomorrow',
  'yesterday',
  'one_week_ago',
  'one_week_from_now',
  'one_month_ago',
  'one_month_from_now',
] as const;
export type RelativeDateValue = (typeof RELATIVE_DATE_VALUES)[number];

/** Date conditions whose value is `{}` and that select a window around now. */
export const DATE_WINDOW_CONDITIONS = [
  'past_week',
  'past_month',
  'past_year',
  'next_week',
  'next_month',
  'next_year',
  'this_week',
] as const;
export type DateWindowCondition = (typeof DATE_WINDOW_CONDITIONS)[number];

export function isRelativeDateValue(value: string): value is RelativeDateValue {
  return (RELATIVE_DATE_VALUES as readonly string[]).includes(value);
}

/**
 * Parses an ISO 8601 date (`2025-01-02`: the whole UTC day) or datetime (one millisecond; no offset means
 * UTC, as Notion documents). Returns undefined for anything else.
 */
export function parseDateInterval(text: string): DateInterval | undefined {
  if (ISO_DATE.test(text)) {
    const lo = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(lo) ? undefined : { lo, hi: lo + DAY_MS };
  }
  const match = ISO_DATETIME.exec(text);
  if (match === null) return undefined;
  const [, base, fraction, offset] = match;
  const millis = fraction === undefined ? '' : fraction.slice(0, 4).padEnd(4, '0');
  const lo = Date.parse(`${base}${millis}${offset ?? 'Z'}`);
  return Number.isNaN(lo) ? undefined : { lo, hi: lo + 1 };
}

/** Start of the UTC day containing `ms`. */
export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Adds calendar months in UTC, clamping the day to the target month's last day (Jan 31 + 1 month = Feb 28). */
export function addUtcMonths(ms: number, months: number): number {
  const date = new Date(ms);
  const targetMonth = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), targetMonth + 1, 0)).getUTCDate();
  return Date.UTC(
    date.getUTCFullYear(),
    targetMonth,
    Math.min(date.getUTCDate(), lastDay),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
}

function utcDay(dayStart: number): DateInterval {
  return { lo: dayStart, hi: dayStart + DAY_MS };
}

/** The UTC day a relative value names, seen from `now` (ms). */
export function resolveRelativeDate(value: RelativeDateValue, now: number): DateInterval {
  const today = startOfUtcDay(now);
  switch (value) {
    case 'today':
      return utcDay(today);
    case 'tomorrow':
      return utcDay(today + DAY_MS);
    case 'yesterday':
      return utcDay(today - DAY_MS);
    case 'one_week_ago':
      return utcDay(today - WEEK_DAYS * DAY_MS);
    case 'one_week_from_now':
      return utcDay(today + WEEK_DAYS * DAY_MS);
    case 'one_month_ago':
      return utcDay(addUtcMonths(today, -1));
    case 'one_month_from_now':
      return utcDay(addUtcMonths(today, 1));
  }
}

/**
 * The window a `past_*` / `next_*` / `this_week` condition selects, in whole UTC days: `past_week` is one
 * week ago through the end of today, `next_week` today through one week from now (months and years
 * likewise), and `this_week` the Sunday-to-Saturday week containing today (Notion's default week start).
 */
export function resolveDateWindow(condition: DateWindowCondition, now: number): DateInterval {
  const today = startOfUtcDay(now);
  const endOfToday = today + DAY_MS;
  switch (condition) {
    case 'past_week':
      return { lo: today - WEEK_DAYS * DAY_MS, hi: endOfToday };
    case 'past_month':
      return { lo: addUtcMonths(today, -1), hi: endOfToday };
    case 'past_year':
      return { lo: addUtcMonths(today, -MONTHS_PER_YEAR), hi: endOfToday };
    case 'next_week':
      return { lo: today, hi: endOfToday + WEEK_DAYS * DAY_MS };
    case 'next_month':
      return { lo: today, hi: addUtcMonths(today, 1) + DAY_MS };
    case 'next_year':
      return { lo: today, hi: addUtcMonths(today, MONTHS_PER_YEAR) + DAY_MS };
    case 'this_week': {
      const sunday = today - new Date(today).getUTCDay() * DAY_MS;
      return { lo: sunday, hi: sunday + WEEK_DAYS * DAY_MS };
    }
  }
}
