/**
 * Readers that pull a comparable value out of a property value in Notion's response shape
 * (`{type, <type>: value}`). The same readers serve page properties, formula results
 * (`{type:'string', string}`) and array-rollup elements, because all share that shape.
 *
 * Each returns `undefined` when the value is of a kind the reader does not understand (the filter then
 * matches nothing), and an "empty" value (`null`, `[]`) for an empty property.
 */
import { isJsonObject, normalizeNotionId, type JsonObject } from './data-source-schema.js';
import { parseDateInterval, type DateInterval } from './date-interval.js';

function rawOf(value: JsonObject): unknown {
  const type = value['type'];
  return typeof type === 'string' ? value[type] : undefined;
}

/** Concatenated `plain_text` of a rich-text array. */
export function plainTextOf(items: readonly unknown[]): string {
  let text = '';
  for (const item of items) {
    if (isJsonObject(item) && typeof item['plain_text'] === 'string') text += item['plain_text'];
  }
  return text;
}

/** Text of title, rich_text, url, email, phone_number and string-formula values; `null` when empty. */
export function readText(value: JsonObject): string | null | undefined {
  const raw = rawOf(value);
  if (Array.isArray(raw)) return plainTextOf(raw);
  if (typeof raw === 'string') return raw;
  return raw === null || raw === undefined ? null : undefined;
}

/** Number of number, unique_id, number-formula and number-rollup values; `null` when empty. */
export function readNumber(value: JsonObject): number | null | undefined {
  const raw = rawOf(value);
  if (typeof raw === 'number') return raw;
  if (raw === null || raw === undefined) return null;
  if (isJsonObject(raw) && 'number' in raw) return typeof raw['number'] === 'number' ? raw['number'] : null;
  return undefined;
}

/** Boolean of checkbox and boolean-formula values (an empty formula reads as false). */
export function readCheckbox(value: JsonObject): boolean | undefined {
  const raw = rawOf(value);
  if (typeof raw === 'boolean') return raw;
  return raw === null ? false : undefined;
}

/** Option name of select and status values; `null` when empty. */
export function readOptionName(value: JsonObject): string | null | undefined {
  const raw = rawOf(value);
  if (raw === null || raw === undefined) return null;
  return isJsonObject(raw) && typeof raw['name'] === 'string' ? raw['name'] : undefined;
}

/** Option names of a multi_select value. */
export function readOptionNames(value: JsonObject): string[] | undefined {
  const raw = rawOf(value);
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) return undefined;
  return raw.flatMap((option) =>
    isJsonObject(option) && typeof option['name'] === 'string' ? [option['name']] : [],
  );
}

/** Normalized ids of people, created_by, last_edited_by and relation values. */
export function readIds(value: JsonObject): string[] | undefined {
  const raw = rawOf(value);
  if (raw === null || raw === undefined) return [];
  const items = Array.isArray(raw) ? raw : [raw];
  const ids: string[] = [];
  for (const item of items) {
    if (!isJsonObject(item) || typeof item['id'] !== 'string') return undefined;
    ids.push(normalizeNotionId(item['id']));
  }
  return ids;
}

/** Number of files in a files value. */
export function readFileCount(value: JsonObject): number | undefined {
  const raw = rawOf(value);
  if (raw === null || raw === undefined) return 0;
  return Array.isArray(raw) ? raw.length : undefined;
}

/** Verification state as a filter names it: `verified`, `expired` or `none` (unverified or empty). */
export function readVerificationState(value: JsonObject): string | undefined {
  const raw = rawOf(value);
  if (raw === null || raw === undefined) return 'none';
  if (!isJsonObject(raw)) return undefined;
  const state = raw['state'];
  return state === 'verified' || state === 'expired' ? state : 'none';
}

const MAX_CACHED_DATES = 100_000;
const dateCache = new Map<string, DateInterval | null>();

/** Parses an ISO date/datetime with a bounded memo (timestamps repeat: Notion rounds them to the minute). */
export function cachedDateInterval(text: string): DateInterval | null {
  let interval = dateCache.get(text);
  if (interval === undefined) {
    if (dateCache.size >= MAX_CACHED_DATES) dateCache.clear();
    interval = parseDateInterval(text) ?? null;
    dateCache.set(text, interval);
  }
  return interval;
}

/**
 * The interval a date-like value covers: a date value `{start, end}` spans from its start to its end
 * (date-only ends cover their whole day); `created_time` / `last_edited_time` values and page objects
 * are read through `timestampKey`. `null` when empty.
 */
export function readDateInterval(value: JsonObject, timestampKey?: string): DateInterval | null | undefined {
  const raw = timestampKey === undefined ? rawOf(value) : value[timestampKey];
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') return cachedDateInterval(raw) ?? undefined;
  if (!isJsonObject(raw) || typeof raw['start'] !== 'string') return undefined;
  const start = cachedDateInterval(raw['start']);
  if (start === null) return undefined;
  const endText = raw['end'];
  if (typeof endText !== 'string') return start;
  const end = cachedDateInterval(endText);
  return end === null ? start : { lo: start.lo, hi: Math.max(start.hi, end.hi) };
}
