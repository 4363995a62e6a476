import type { DateRequest, DateResponse } from '@notionhq/client/build/src/api-endpoints.js';
import { expectType, invalidValue, isRecord } from './codec-helpers.js';
import type { DatePlain, PropertyCodec, WriteContext } from './property-codec.js';

/** A Notion date (or null) as a {@link DatePlain}: `end` and `time_zone` are always present, possibly null. */
export function toDatePlain(date: DateResponse | null): DatePlain | null {
  if (date === null) return null;
  return { start: date.start, end: date.end ?? null, time_zone: date.time_zone ?? null };
}

/** An ISO 8601 date, or date and time with optional seconds, fraction and offset. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Validates a date input (`"2025-01-02"` or `{ start, end?, time_zone? }`) into a `DateRequest`. */
export function toDateRequest(input: unknown, ctx: WriteContext, type: string): DateRequest {
  const expected = 'an ISO 8601 date string or {start, end?, time_zone?}';
  const date = typeof input === 'string' ? { start: input } : input;
  if (!isRecord(date) || typeof date['start'] !== 'string' || !ISO_DATE.test(date['start'])) {
    throw invalidValue(ctx, type, expected, input);
  }
  const end = date['end'] ?? null;
  const timeZone = date['time_zone'] ?? null;
  if (
    (end !== null && (typeof end !== 'string' || !ISO_DATE.test(end))) ||
    (timeZone !== null && typeof timeZone !== 'string')
  ) {
    throw invalidValue(ctx, type, expected, input);
  }
  return { start: date['start'], end, time_zone: timeZone as DateRequest['time_zone'] };
}

/**
 * `date`: reads {@link DatePlain} or `null`; writes a `DatePlain`, `{ start }` or an ISO string
 * (`"2025-01-02"`, `"2025-01-02T10:00:00Z"`). `null` clears. With `time_zone`, Notion wants times
 * without an offset.
 */
export const dateCodec: PropertyCodec<DatePlain | null, DatePlain | { start: string } | string | null> = {
  type: 'date',
  writable: true,
  read: (value) => toDatePlain(expectType(value, 'date').date),
  write: (input, ctx) => ({ type: 'date', date: input === null ? null : toDateRequest(input, ctx, 'date') }),
};
