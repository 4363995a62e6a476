import type { PageObjectResponse } from '@notionhq/client';
import {
  findProperty,
  isJsonObject,
  type DataSourceSchema,
  type JsonObject,
  type PropertySchema,
} from './data-source-schema.js';
import {
  readCheckbox,
  readDateInterval,
  readNumber,
  readOptionName,
  readOptionNames,
  readText,
  readVerificationState,
} from './property-value-readers.js';
import { QueryValidationError } from './query-validation-error.js';
import { validateSorts } from './validate-sorts.js';

/** One sort of a data source query, as the SDK types it. */
export type QuerySort =
  | { property: string; direction: 'ascending' | 'descending' }
  | { timestamp: 'created_time' | 'last_edited_time'; direction: 'ascending' | 'descending' };

/**
 * The order used after (and without) the caller's sorts: oldest first by `created_time`, then page id.
 * Notion guarantees no order without sorts; the emulator fixes this one so results and cursors are
 * deterministic, and ascending creation order keeps earlier pages of a paginated read stable while rows
 * are added.
 */
export const DEFAULT_SORTS: readonly QuerySort[] = Object.freeze([
  Object.freeze({ timestamp: 'created_time', direction: 'ascending' } as const),
]);

/** A comparable sort key; `null` is an empty value. Arrays compare element by element. */
type SortKey = number | string | readonly number[] | null;
type KeyReader = (page: PageObjectResponse) => SortKey;

/** A page comparator for `Array.prototype.sort`. */
export type PageComparator = (a: PageObjectResponse, b: PageObjectResponse) => number;

/**
 * Builds a comparator for a query's `sorts`; earlier entries take precedence, then `DEFAULT_SORTS`, then
 * page id, so the order is total. Keys are computed once per page and comparator. To sort a whole
 * result set, `sortPages` is faster (it reads each page's keys once, without a WeakMap per comparison).
 *
 * Per type: text (title, rich_text, url, email, phone_number, string formulas) by plain text, ignoring
 * case first and then exactly; numbers and unique_id numerically; dates by start (date-only = midnight
 * UTC); checkbox false < true; select and status by the option's position in the schema, multi_select by
 * its options' positions; people and created_by / last_edited_by by the first user's name, else id;
 * relation by the first related page id; files by the first file name; verification verified < expired <
 * none; rollups by their number or date. **Empty values sort last in both directions**, as in Notion's UI.
 *
 * @throws QueryValidationError when `validateSorts` rejects `sorts`.
 */
export function compareBySorts(sorts: unknown, schema: DataSourceSchema): PageComparator {
  const plan = sortPlan(sorts, schema);
  const keyCache = new WeakMap<PageObjectResponse, SortKey[]>();
  const keysOf = (page: PageObjectResponse): SortKey[] => {
    let keys = keyCache.get(page);
    if (keys === undefined) {
      keys = plan.keysOf(page);
      keyCache.set(page, keys);
    }
    return keys;
  };
  return (a, b) => plan.compare(keysOf(a), keysOf(b), a.id, b.id);
}

/**
 * Returns `pages` sorted as `compareBySorts(sorts, schema)` orders them (a new array; the input is not
 * changed), reading each page's sort keys once.
 *
 * @throws QueryValidationError when `validateSorts` rejects `sorts`.
 */
export function sortPages(
  pages: readonly PageObjectResponse[],
  sorts: unknown,
  schema: DataSourceSchema,
): PageObjectResponse[] {
  const plan = sortPlan(sorts, schema);
  const keys = pages.map((page) => plan.keysOf(page));
  const order = pages.map((_, index) => index);
  order.sort((i, j) =>
    plan.compare(
      keys[i] as SortKey[],
      keys[j] as SortKey[],
      (pages[i] as PageObjectResponse).id,
      (pages[j] as PageObjectResponse).id,
    ),
  );
  return order.map((index) => pages[index] as PageObjectResponse);
}

interface SortPlan {
  keysOf(page: PageObjectResponse): SortKey[];
  compare(keysA: readonly SortKey[], keysB: readonly SortKey[], idA: string, idB: string): number;
}

function sortPlan(sorts: unknown, schema: DataSourceSchema): SortPlan {
  const error = validateSorts(sorts, schema);
  if (error !== undefined) throw new QueryValidationError(error);
  const entries = [...((sorts as readonly QuerySort[] | undefined) ?? []), ...DEFAULT_SORTS];
  const readers = entries.map((sort) => keyReader(sort, schema));
  const signs = entries.map((sort) => (sort.direction === 'descending' ? -1 : 1));
  return {
    keysOf: (page) => readers.map((read) => read(page)),
    compare: (keysA, keysB, idA, idB) => {
      for (let i = 0; i < keysA.length; i++) {
        const ka = keysA[i] ?? null;
        const kb = keysB[i] ?? null;
        if (ka === null || kb === null) {
          if (ka !== kb) return ka === null ? 1 : -1; // empties last, whatever the direction
          continue;
        }
        const order = compareKeys(ka, kb);
        if (order !== 0) return order * (signs[i] ?? 1);
      }
      return compareStrings(idA, idB);
    },
  };
}

function compareKeys(a: Exclude<SortKey, null>, b: Exclude<SortKey, null>): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    const folded = compareStrings(a.toLowerCase(), b.toLowerCase());
    return folded !== 0 ? folded : compareStrings(a, b);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const order = (a[i] as number) - (b[i] as number);
      if (order !== 0) return order;
    }
    return a.length - b.length;
  }
  return compareStrings(typeof a, typeof b);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function keyReader(sort: QuerySort, schema: DataSourceSchema): KeyReader {
  if ('timestamp' in sort) {
    const key = sort.timestamp;
    return (page) => readDateInterval(page as unknown as JsonObject, key)?.lo ?? null;
  }
  const property = findProperty(schema, sort.property) as PropertySchema;
  const read = valueKeyReader(property);
  const name = property.name;
  return (page) => {
    const value = page.properties[name] as JsonObject | undefined;
    return value === undefined ? null : read(value);
  };
}

function emptyAsNull(text: string | null | undefined): string | null {
  return text === undefined || text === null || text === '' ? null : text;
}

function optionPositions(property: PropertySchema): Map<string, number> {
  const config = (property as unknown as JsonObject)[property.type];
  const options = isJsonObject(config) && Array.isArray(config['options']) ? config['options'] : [];
  const positions = new Map<string, number>();
  for (const [index, option] of options.entries()) {
    if (isJsonObject(option) && typeof option['name'] === 'string') positions.set(option['name'], index);
  }
  return positions;
}

const VERIFICATION_ORDER: Readonly<Record<string, number>> = { verified: 0, expired: 1 };

function firstItem(value: JsonObject): JsonObject | undefined {
  const raw = value[value['type'] as string];
  const first: unknown = Array.isArray(raw) ? raw[0] : raw;
  return isJsonObject(first) ? first : undefined;
}

function valueKeyReader(property: PropertySchema): (value: JsonObject) => SortKey {
  switch (property.type as string) {
    case 'title':
    case 'rich_text':
    case 'url':
    case 'email':
    case 'phone_number':
      return (value) => emptyAsNull(readText(value));
    case 'number':
    case 'unique_id':
      return (value) => readNumber(value) ?? null;
    case 'checkbox':
      return (value) => (readCheckbox(value) === true ? 1 : 0);
    case 'select':
    case 'status': {
      const positions = optionPositions(property);
      return (value) => {
        const name = readOptionName(value);
        return name === null || name === undefined ? null : (positions.get(name) ?? positions.size);
      };
    }
    case 'multi_select': {
      const positions = optionPositions(property);
      return (value) => {
        const names = readOptionNames(value) ?? [];
        return names.length === 0 ? null : names.map((name) => positions.get(name) ?? positions.size);
      };
    }
    case 'date':
      return (value) => readDateInterval(value)?.lo ?? null;
    case 'created_time':
    case 'last_edited_time':
      return (value) => readDateInterval(value, property.type as string)?.lo ?? null;
    case 'people':
    case 'created_by':
    case 'last_edited_by':
    case 'relation':
    case 'files':
      return (value) => {
        const first = firstItem(value);
        if (first === undefined) return null;
        const label = first['name'] ?? first['id'];
        return typeof label === 'string' ? label : null;
      };
    case 'verification':
      return (value) => VERIFICATION_ORDER[readVerificationState(value) ?? 'none'] ?? null;
    case 'formula':
      return (value) => formulaKey(value['formula']);
    case 'rollup':
      return (value) => formulaKey(value['rollup']);
    default:
      return () => null;
  }
}

/** Sort key of a formula result or rollup result (both `{type, <type>: value}`). */
function formulaKey(result: unknown): SortKey {
  if (!isJsonObject(result)) return null;
  switch (result['type']) {
    case 'string':
      return emptyAsNull(readText(result));
    case 'number':
      return readNumber(result) ?? null;
    case 'boolean':
      return readCheckbox(result) === true ? 1 : 0;
    case 'date':
      return readDateInterval(result)?.lo ?? null;
    default:
      return null;
  }
}
