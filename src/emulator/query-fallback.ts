/**
 * A minimal stand-in for the query engine in `./query/` (filters and sorts of `dataSources.query`), with
 * the same exports, used until that engine lands on this branch. It supports only `timestamp` filters on
 * `created_time`/`last_edited_time` (`equals`, `before`, `after`, `on_or_before`, `on_or_after`), `and`
 * groups of them, and timestamp sorts. Anything else is a 400 `validation_error`, never silently ignored.
 */
import type { DataSourceObjectResponse, PageObjectResponse } from '@notionhq/client';
import { isObject } from './json.js';

/** A data source's schema: property name → `{id, name, type, <type>: config}`. */
export type DataSourceSchema = DataSourceObjectResponse['properties'];

/** The order used when a query has no sorts: oldest first by `created_time`, then by id. */
export const DEFAULT_SORTS: readonly {
  timestamp: 'created_time' | 'last_edited_time';
  direction: 'ascending' | 'descending';
}[] = [{ timestamp: 'created_time', direction: 'ascending' }];

const CONDITIONS = ['equals', 'before', 'after', 'on_or_before', 'on_or_after'] as const;

function leafError(filter: Record<string, unknown>, path: string): string | undefined {
  const ts = filter.timestamp;
  if (ts !== 'created_time' && ts !== 'last_edited_time') {
    return `body failed validation: ${path} is not supported by the emulator's fallback query engine (only timestamp filters and \`and\`).`;
  }
  const cond = filter[ts];
  if (!isObject(cond))
    return `body failed validation: ${path}.${ts} should be an object, instead was \`${JSON.stringify(cond)}\`.`;
  const keys = Object.keys(cond);
  if (keys.length !== 1 || !CONDITIONS.includes(keys[0] as (typeof CONDITIONS)[number])) {
    return `body failed validation: ${path}.${ts} should have one of ${CONDITIONS.map((c) => `\`${c}\``).join(', ')}.`;
  }
  const value = cond[keys[0] as string];
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    return `body failed validation: ${path}.${ts}.${keys[0] as string} should be an ISO 8601 date string, instead was \`${JSON.stringify(value)}\`.`;
  }
  return undefined;
}

/** Undefined when `filter` is valid for `schema`, else a Notion-style validation message. */
export function validateFilter(filter: unknown, _schema: DataSourceSchema): string | undefined {
  if (filter === undefined || filter === null) return undefined;
  if (!isObject(filter))
    return `body failed validation: body.filter should be an object, instead was \`${JSON.stringify(filter)}\`.`;
  if (Array.isArray(filter.and)) {
    for (let i = 0; i < filter.and.length; i++) {
      const f: unknown = filter.and[i];
      if (!isObject(f)) return `body failed validation: body.filter.and[${i}] should be an object.`;
      const e = leafError(f, `body.filter.and[${i}]`);
      if (e) return e;
    }
    return undefined;
  }
  return leafError(filter, 'body.filter');
}

function minuteMs(iso: string): number {
  return Date.parse(iso);
}

function matchesLeaf(filter: Record<string, unknown>, page: PageObjectResponse): boolean {
  const ts = filter.timestamp as 'created_time' | 'last_edited_time';
  const cond = filter[ts] as Record<string, string>;
  const [op, value] = Object.entries(cond)[0] as [string, string];
  const t = minuteMs(page[ts]);
  const v = Date.parse(value);
  switch (op) {
    case 'equals':
      return t === v;
    case 'before':
      return t < v;
    case 'after':
      return t > v;
    case 'on_or_before':
      return t <= v;
    default:
      return t >= v;
  }
}

/** True when `page` (the full, untruncated page object) matches a filter `validateFilter` accepted. */
export function matchesFilter(
  filter: unknown,
  page: PageObjectResponse,
  _ctx: { schema: DataSourceSchema; now: number },
): boolean {
  if (!isObject(filter)) return true;
  if (Array.isArray(filter.and))
    return filter.and.every((f: Record<string, unknown>) => matchesLeaf(f, page));
  return matchesLeaf(filter, page);
}

/** Undefined when `sorts` is valid, else a Notion-style validation message. */
export function validateSorts(sorts: unknown, _schema: DataSourceSchema): string | undefined {
  if (sorts === undefined) return undefined;
  if (!Array.isArray(sorts))
    return `body failed validation: body.sorts should be an array, instead was \`${JSON.stringify(sorts)}\`.`;
  for (let i = 0; i < sorts.length; i++) {
    const s: unknown = sorts[i];
    if (!isObject(s) || (s.timestamp !== 'created_time' && s.timestamp !== 'last_edited_time')) {
      return `body failed validation: body.sorts[${i}] is not supported by the emulator's fallback query engine (only timestamp sorts).`;
    }
    if (s.direction !== 'ascending' && s.direction !== 'descending') {
      return `body failed validation: body.sorts[${i}].direction should be \`"ascending"\` or \`"descending"\`, instead was \`${JSON.stringify(s.direction)}\`.`;
    }
  }
  return undefined;
}

/** A comparator for `sorts` (or `DEFAULT_SORTS` when empty), ties broken by id. */
export function compareBySorts(
  sorts: unknown,
  _schema: DataSourceSchema,
): (a: PageObjectResponse, b: PageObjectResponse) => number {
  const list = (Array.isArray(sorts) && sorts.length ? sorts : DEFAULT_SORTS) as {
    timestamp: 'created_time' | 'last_edited_time';
    direction: string;
  }[];
  return (a, b) => {
    for (const s of list) {
      // Notion's timestamps share one ISO format, so they order as strings.
      const x = a[s.timestamp];
      const y = b[s.timestamp];
      if (x !== y) return (x < y ? -1 : 1) * (s.direction === 'descending' ? -1 : 1);
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}
