import type { PageObjectResponse } from '@notionhq/client';
import {
  findProperty,
  isJsonObject,
  normalizeNotionId,
  type DataSourceSchema,
  type JsonObject,
  type QueryContext,
} from './data-source-schema.js';
import {
  isRelativeDateValue,
  parseDateInterval,
  resolveDateWindow,
  resolveRelativeDate,
  type DateInterval,
  type DateWindowCondition,
} from './date-interval.js';
import { FORMULA_SUBFILTERS, LEAF_CONDITIONS } from './filter-conditions.js';
import {
  readCheckbox,
  readDateInterval,
  readFileCount,
  readIds,
  readNumber,
  readOptionName,
  readOptionNames,
  readText,
  readVerificationState,
} from './property-value-readers.js';
import { QueryValidationError } from './query-validation-error.js';
import { validateFilter } from './validate-filter.js';

/** A compiled filter: true when `page` matches, with relative dates resolved against `now` (ms). */
export type FilterPredicate = (page: PageObjectResponse, now: number) => boolean;

/** A compiled condition on one property value (`{type, <type>: …}`). */
type ValuePredicate = (value: JsonObject, now: number) => boolean;

const MATCH_ALL: FilterPredicate = () => true;
const NEVER: ValuePredicate = () => false;

/** Formula sub-filter key → the `type` of formula result it applies to. */
const FORMULA_RESULT_TYPES: Readonly<Record<string, string>> = {
  string: 'string',
  checkbox: 'boolean',
  number: 'number',
  date: 'date',
};

/**
 * Compiles a query filter once into a predicate, so a query over many rows pays for parsing only once.
 *
 * Semantics (Notion's, where documented; our documented choice otherwise):
 * - Text (title, rich_text, url, email, phone_number, string formulas) compares the concatenated
 *   `plain_text` (a title takes the `title` or the `rich_text` key). `contains`, `does_not_contain`, `starts_with` and `ends_with` ignore case, as Notion's
 *   filters do; `equals` / `does_not_equal` are exact. An empty value is `""`.
 * - Negative conditions (`does_not_equal`, `does_not_contain`) match empty values.
 * - Dates are intervals: a date-only value covers its whole UTC day, a datetime one millisecond (no
 *   offset = UTC), a range from its start to its end. A row matches when any instant of it does:
 *   `equals` = overlaps, `before` = starts before, `after` = ends after, `on_or_*` inclusive. Relative
 *   values and `past_*` / `next_*` / `this_week` windows are whole UTC days around `now`. Timestamps are
 *   compared as stored (Notion rounds `created_time` / `last_edited_time` down to the minute).
 * - People: `"me"` matches nothing (an internal integration is no person), so `does_not_contain: "me"`
 *   matches every row. Ids compare with or without dashes.
 * - Rollup `every` is true for an empty array; a rollup or formula filter on a result of another type
 *   matches nothing.
 *
 * @throws QueryValidationError when `validateFilter` rejects the filter.
 */
export function compileFilter(filter: unknown, schema: DataSourceSchema): FilterPredicate {
  const error = validateFilter(filter, schema);
  if (error !== undefined) throw new QueryValidationError(error);
  return filter === undefined ? MATCH_ALL : compileNode(filter as JsonObject, schema);
}

const compiledFilters = new WeakMap<object, WeakMap<DataSourceSchema, FilterPredicate>>();

/**
 * True when `page` (a full page object) matches `filter`. Compiles on first use and caches the predicate
 * by the identity of the filter object and schema, so reuse the same filter object across a query's rows.
 *
 * @throws QueryValidationError when `validateFilter` rejects the filter.
 */
export function matchesFilter(filter: unknown, page: PageObjectResponse, ctx: QueryContext): boolean {
  if (!isJsonObject(filter)) return compileFilter(filter, ctx.schema)(page, ctx.now);
  let bySchema = compiledFilters.get(filter);
  if (bySchema === undefined) {
    bySchema = new WeakMap();
    compiledFilters.set(filter, bySchema);
  }
  let predicate = bySchema.get(ctx.schema);
  if (predicate === undefined) {
    predicate = compileFilter(filter, ctx.schema);
    bySchema.set(ctx.schema, predicate);
  }
  return predicate(page, ctx.now);
}

function compileNode(node: JsonObject, schema: DataSourceSchema): FilterPredicate {
  const and = node['and'];
  if (Array.isArray(and)) {
    const parts = and.map((child) => compileNode(child as JsonObject, schema));
    return (page, now) => {
      for (const part of parts) if (!part(page, now)) return false;
      return true;
    };
  }
  const or = node['or'];
  if (Array.isArray(or)) {
    const parts = or.map((child) => compileNode(child as JsonObject, schema));
    return (page, now) => {
      for (const part of parts) if (part(page, now)) return true;
      return false;
    };
  }
  const timestamp = node['timestamp'];
  if (typeof timestamp === 'string') {
    // Page objects carry `created_time` / `last_edited_time` at the top level, in the same field a
    // timestamp property value uses, so the page itself is the value.
    const test = compileCondition(timestamp, node[timestamp]);
    return (page, now) => test(page as unknown as JsonObject, now);
  }
  const property = findProperty(schema, node['property'] as string);
  if (property === undefined)
    throw new QueryValidationError(`Could not find property: ${String(node['property'])}`);
  const name = property.name;
  const empty: JsonObject = { type: property.type, [property.type]: null };
  const key = Object.keys(node).find((k) => k !== 'property' && k !== 'type') ?? property.type;
  const test = compileCondition(key, node[key]);
  return (page, now) => test((page.properties[name] as JsonObject | undefined) ?? empty, now);
}

function compileCondition(filterKey: string, condition: unknown): ValuePredicate {
  const [conditionName, operand] = Object.entries(condition as JsonObject)[0] ?? [];
  if (conditionName === undefined) return NEVER;
  if (filterKey === 'formula') return compileFormula(conditionName, operand);
  if (filterKey === 'rollup') return compileRollup(conditionName, operand);
  switch (LEAF_CONDITIONS[filterKey]?.family) {
    case 'text':
      return compileText(conditionName, operand as string);
    case 'number':
      return compileNumber(conditionName, operand as number);
    case 'checkbox':
      return compileCheckbox(conditionName, operand as boolean);
    case 'select':
      return compileSelect(conditionName, operand as string | string[]);
    case 'multi_select':
      return compileMultiSelect(conditionName, operand as string | string[]);
    case 'date':
      return compileDate(filterKey, conditionName, operand);
    case 'people':
    case 'relation':
      return compileIds(conditionName, operand as string);
    case 'files':
      return compileFiles(conditionName);
    case 'verification':
      return compileVerification(conditionName, operand as string);
    case undefined:
      return NEVER;
  }
}

function compileFormula(subKey: string, condition: unknown): ValuePredicate {
  const resultType = FORMULA_RESULT_TYPES[subKey];
  const test = compileCondition(FORMULA_SUBFILTERS[subKey] ?? subKey, condition);
  return (value, now) => {
    const result = value['formula'];
    return isJsonObject(result) && result['type'] === resultType && test(result, now);
  };
}

function compileRollup(key: string, condition: unknown): ValuePredicate {
  if (key === 'number' || key === 'date') {
    const test = compileCondition(key, condition);
    return (value, now) => {
      const result = value['rollup'];
      return isJsonObject(result) && result['type'] === key && test(result, now);
    };
  }
  const [elementKey] = Object.keys(condition as JsonObject);
  const test = compileCondition(elementKey ?? '', (condition as JsonObject)[elementKey ?? '']);
  return (value, now) => {
    const result = value['rollup'];
    if (!isJsonObject(result) || result['type'] !== 'array' || !Array.isArray(result['array'])) return false;
    const elements = result['array'] as unknown[];
    const matches = (element: unknown): boolean => isJsonObject(element) && test(element, now);
    if (key === 'any') return elements.some(matches);
    if (key === 'every') return elements.every(matches);
    return !elements.some(matches);
  };
}

function compileText(condition: string, operand: string): ValuePredicate {
  const needle = typeof operand === 'string' ? operand.toLowerCase() : '';
  const test = ((): ((text: string) => boolean) => {
    switch (condition) {
      case 'equals':
        return (text) => text === operand;
      case 'does_not_equal':
        return (text) => text !== operand;
      case 'contains':
        return (text) => text.toLowerCase().includes(needle);
      case 'does_not_contain':
        return (text) => !text.toLowerCase().includes(needle);
      case 'starts_with':
        return (text) => text.toLowerCase().startsWith(needle);
      case 'ends_with':
        return (text) => text.toLowerCase().endsWith(needle);
      case 'is_empty':
        return (text) => text === '';
      default:
        return (text) => text !== '';
    }
  })();
  return (value) => {
    const text = readText(value);
    return text !== undefined && test(text ?? '');
  };
}

function compileNumber(condition: string, operand: number): ValuePredicate {
  const test = ((): ((n: number | null) => boolean) => {
    switch (condition) {
      case 'equals':
        return (n) => n === operand;
      case 'does_not_equal':
        return (n) => n !== operand;
      case 'greater_than':
        return (n) => n !== null && n > operand;
      case 'less_than':
        return (n) => n !== null && n < operand;
      case 'greater_than_or_equal_to':
        return (n) => n !== null && n >= operand;
      case 'less_than_or_equal_to':
        return (n) => n !== null && n <= operand;
      case 'is_empty':
        return (n) => n === null;
      default:
        return (n) => n !== null;
    }
  })();
  return (value) => {
    const n = readNumber(value);
    return n !== undefined && test(n);
  };
}

function compileCheckbox(condition: string, operand: boolean): ValuePredicate {
  const wanted = condition === 'equals' ? operand : !operand;
  return (value) => readCheckbox(value) === wanted;
}

function asList(operand: string | string[]): readonly string[] {
  return typeof operand === 'string' ? [operand] : operand;
}

function compileSelect(condition: string, operand: string | string[]): ValuePredicate {
  const options = condition === 'is_empty' || condition === 'is_not_empty' ? [] : asList(operand);
  return (value) => {
    const name = readOptionName(value);
    if (name === undefined) return false;
    switch (condition) {
      case 'equals':
        return name !== null && options.includes(name);
      case 'does_not_equal':
        return name === null || !options.includes(name);
      case 'is_empty':
        return name === null;
      default:
        return name !== null;
    }
  };
}

function compileMultiSelect(condition: string, operand: string | string[]): ValuePredicate {
  const options = condition === 'is_empty' || condition === 'is_not_empty' ? [] : asList(operand);
  return (value) => {
    const names = readOptionNames(value);
    if (names === undefined) return false;
    switch (condition) {
      case 'contains':
        return options.some((option) => names.includes(option));
      case 'does_not_contain':
        return !options.some((option) => names.includes(option));
      case 'is_empty':
        return names.length === 0;
      default:
        return names.length > 0;
    }
  };
}

function dateOperand(operand: unknown): (now: number) => DateInterval {
  if (typeof operand === 'string' && isRelativeDateValue(operand))
    return (now) => resolveRelativeDate(operand, now);
  const fixed = parseDateInterval(operand as string) ?? { lo: Number.NaN, hi: Number.NaN };
  return () => fixed;
}

function compileDate(filterKey: string, condition: string, operand: unknown): ValuePredicate {
  const timestampKey =
    filterKey === 'created_time' || filterKey === 'last_edited_time' ? filterKey : undefined;
  const read = (value: JsonObject): DateInterval | null | undefined => readDateInterval(value, timestampKey);
  if (condition === 'is_empty') return (value) => read(value) === null;
  if (condition === 'is_not_empty') {
    return (value) => {
      const row = read(value);
      return row !== null && row !== undefined;
    };
  }
  const target: (now: number) => DateInterval =
    typeof operand === 'string'
      ? dateOperand(operand)
      : (now) => resolveDateWindow(condition as DateWindowCondition, now);
  const test = ((): ((row: DateInterval, f: DateInterval) => boolean) => {
    switch (condition) {
      case 'before':
        return (row, f) => row.lo < f.lo;
      case 'after':
        return (row, f) => row.hi > f.hi;
      case 'on_or_before':
        return (row, f) => row.lo < f.hi;
      case 'on_or_after':
        return (row, f) => row.hi > f.lo;
      default: // equals and the past_* / next_* / this_week windows: any overlap
        return (row, f) => row.lo < f.hi && f.lo < row.hi;
    }
  })();
  return (value, now) => {
    const row = read(value);
    return row !== null && row !== undefined && test(row, target(now));
  };
}

function compileIds(condition: string, operand: string): ValuePredicate {
  // "me" is the bot for an internal integration; bots are never in people values, so it matches nothing.
  const id = operand === 'me' || typeof operand !== 'string' ? undefined : normalizeNotionId(operand);
  return (value) => {
    const ids = readIds(value);
    if (ids === undefined) return false;
    switch (condition) {
      case 'contains':
        return id !== undefined && ids.includes(id);
      case 'does_not_contain':
        return id === undefined || !ids.includes(id);
      case 'is_empty':
        return ids.length === 0;
      default:
        return ids.length > 0;
    }
  };
}

function compileFiles(condition: string): ValuePredicate {
  const wantEmpty = condition === 'is_empty';
  return (value) => {
    const count = readFileCount(value);
    return count !== undefined && (count === 0) === wantEmpty;
  };
}

function compileVerification(condition: string, operand: string): ValuePredicate {
  const wanted = condition === 'status';
  return (value) => {
    const state = readVerificationState(value);
    return state !== undefined && (state === operand) === wanted;
  };
}
