/**
 * Reads every row of a data source, past Notion's per-query result cap (`QUERY_RESULT_CAP`, 10,000 rows),
 * page by page, with a checkpoint after each page so a backfill can stop and resume.
 *
 * How: rows are sorted by `created_time` ascending. When Notion marks a page `request_status: incomplete`
 * (the cap was reached), a new query starts with the extra filter
 * `created_time on_or_after <the last row's created_time>`, which gets a fresh budget. Rows of that
 * boundary value come back again and are skipped by id. Only ids of the *latest* created_time are kept:
 * rows before it cannot reappear, because every later query starts at or after it. So memory is bounded by
 * the rows created within one timestamp (≤ the cap), not by the size of the data source.
 *
 * `created_time` is used because it never changes; `last_edited_time` would move rows between windows.
 */
import type { QueryDataSourceParameters, QueryDataSourceResponse } from '@notionhq/client';
import { QueryCapError } from './gateway-errors.js';
import { paginate } from './paginate.js';

/** One row of a data source query. */
export type DataSourceRow = QueryDataSourceResponse['results'][number];

/** The filter of a data source query. */
export type DataSourceFilter = NonNullable<QueryDataSourceParameters['filter']>;

/** Arguments of `queryDataSourceAll`: a query whose sort and cursor are managed for you. */
export type QueryAllArgs = Omit<QueryDataSourceParameters, 'sorts' | 'start_cursor'>;

/**
 * Where a full scan stands: enough to resume it exactly, with no row repeated or skipped. Plain and
 * serialisable (store it as JSON). Its size is bounded by the rows sharing one created_time.
 */
export interface QueryAllCheckpoint {
  /** Lower bound (`created_time on_or_after`) of the current query, or `null` for the first one. */
  readonly windowStart: string | null;
  /** Cursor of the next page of the current query, or `null` to start the query from its beginning. */
  readonly cursor: string | null;
  /** Whether a page already read of the current query said `request_status: incomplete`. */
  readonly windowCapped: boolean;
  /** The latest created_time yielded so far, and the ids of the rows yielded with it. */
  readonly boundary: { readonly createdTime: string; readonly ids: readonly string[] } | null;
}

/** One page of a full scan. */
export interface QueryAllPage {
  /** Rows not yielded before, in created_time order. */
  readonly results: readonly DataSourceRow[];
  /** Resume after this page by passing it as `resumeFrom`. */
  readonly checkpoint: QueryAllCheckpoint;
  /** 0 for the first query, +1 each time the cap forced a new one. */
  readonly windowIndex: number;
  /** True on the scan's last page (the data source was read completely). */
  readonly done: boolean;
}

export interface QueryAllOptions {
  /** A checkpoint from an earlier page: continue right after it. */
  readonly resumeFrom?: QueryAllCheckpoint;
}

/** Sends one query page. */
export type QueryFn = (args: QueryDataSourceParameters) => Promise<QueryDataSourceResponse>;

/**
 * Yields every row of `args.data_source_id` once, page by page, even past the query cap.
 *
 * @throws QueryCapError when more rows than the cap share one created_time (the window cannot advance):
 *   add a filter that splits them. Never returns a truncated result silently.
 */
export async function* queryDataSourceAll(
  query: QueryFn,
  args: QueryAllArgs,
  options: QueryAllOptions = {},
): AsyncGenerator<QueryAllPage, void, undefined> {
  const start = options.resumeFrom;
  let windowStart = start?.windowStart ?? null;
  let cursor = start?.cursor ?? null;
  let boundaryTime = start?.boundary?.createdTime ?? null;
  let boundaryIds = new Set(start?.boundary?.ids ?? []);
  let windowCapped = start?.windowCapped ?? false;
  let windowIndex = 0;

  for (;;) {
    const windowArgs: QueryDataSourceParameters = {
      ...args,
      sorts: [{ timestamp: 'created_time', direction: 'ascending' }],
      filter: withLowerBound(args.filter, windowStart),
      start_cursor: cursor ?? undefined,
    };
    const pages = paginate(query, windowArgs, { allowIncomplete: true });
    for await (const page of pages) {
      const fresh: DataSourceRow[] = [];
      for (const row of page.results) {
        const createdTime = 'created_time' in row ? row.created_time : undefined;
        if (createdTime === undefined) {
          // A partial object has no created_time: it cannot be placed in a window, only passed on.
          fresh.push(row);
          continue;
        }
        if (boundaryTime === null || createdTime > boundaryTime) {
          boundaryTime = createdTime;
          boundaryIds = new Set([row.id]);
          fresh.push(row);
        } else if (createdTime === boundaryTime) {
          if (boundaryIds.has(row.id)) continue; // seen in the previous window
          boundaryIds.add(row.id);
          fresh.push(row);
        } else {
          // Earlier than the boundary: only possible within the first window's order; never a repeat.
          fresh.push(row);
        }
      }
      // Notion may flag every page of a capped query, or only its last one: the window counts as capped
      // if any page was, and it is read to its end (like the SDK's helper) before the next one starts.
      if (page.requestStatus?.type === 'incomplete') windowCapped = true;
      const windowEnded = page.nextCursor === null;
      const nextWindow = windowEnded && windowCapped;
      if (nextWindow) {
        if (boundaryTime === null || boundaryTime === windowStart) {
          throw new QueryCapError(
            `Notion's per-query result cap was reached by rows that all share created_time ${boundaryTime ?? '(none)'}: the query cannot be split by time any further.`,
            { dataSourceId: args.data_source_id, createdTime: boundaryTime ?? undefined },
            {
              hint: 'Add a filter that splits these rows (for example by a select or checkbox property) and read each part separately.',
            },
          );
        }
        windowStart = boundaryTime;
        cursor = null;
        windowCapped = false;
      } else {
        cursor = page.nextCursor;
      }
      const done = windowEnded && !nextWindow;
      yield Object.freeze({
        results: fresh,
        checkpoint: checkpoint(windowStart, cursor, windowCapped, boundaryTime, boundaryIds),
        windowIndex,
        done,
      });
      if (nextWindow) break;
      if (done) return;
    }
    windowIndex++;
  }
}

function checkpoint(
  windowStart: string | null,
  cursor: string | null,
  windowCapped: boolean,
  boundaryTime: string | null,
  boundaryIds: ReadonlySet<string>,
): QueryAllCheckpoint {
  return Object.freeze({
    windowStart,
    cursor,
    windowCapped,
    boundary:
      boundaryTime === null
        ? null
        : Object.freeze({ createdTime: boundaryTime, ids: Object.freeze([...boundaryIds]) }),
  });
}

/**
 * Adds `created_time on_or_after <windowStart>` to the caller's filter: appended to a top-level `and`,
 * otherwise combined as `{ and: [filter, bound] }`. (A caller `or` that already nests groups then reaches
 * three levels, which Notion may reject; pass such filters as a top-level `and`.)
 */
export function withLowerBound(
  filter: DataSourceFilter | undefined,
  windowStart: string | null,
): DataSourceFilter | undefined {
  if (windowStart === null) return filter;
  const bound = { timestamp: 'created_time' as const, created_time: { on_or_after: windowStart } };
  if (filter === undefined) return bound;
  if ('and' in filter) return { and: [...filter.and, bound] };
  return { and: [filter, bound] } as DataSourceFilter;
}
