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
 *
 * A created_time shared by more rows than the cap (a bulk import lands thousands of rows in one minute)
 * cannot be split that way: that minute alone is then read in `last_edited_time` windows (rows of exactly
 * that created_time, sorted by last_edited_time, split on it the same way), and the created_time scan
 * goes on strictly after it. An edit during that pass moves its row to the end of the sort order, where
 * it is read; but it also shifts the rows behind the cursors, which may then pass one over. So a pass that
 * read a row edited since it began is run again (rows already yielded are skipped), up to
 * `MAX_CROWDED_RESTARTS` times, then it stops with `QueryCapError` rather than risk a missing row. More
 * rows than the cap sharing both times also raise `QueryCapError`.
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
  /** `windowStart` is exclusive (`created_time after`): its own rows were read by a crowded-minute pass. */
  readonly windowStartExclusive?: boolean;
  /** The crowded-minute pass in progress: the rows of `boundary.createdTime`, in last_edited_time windows. */
  readonly crowded?: CrowdedPass | null;
}

/** Where a pass over the rows of one crowded created_time stands (see `queryDataSourceAll`). */
export interface CrowdedPass {
  /** Lower bound (`last_edited_time on_or_after`) of its current query, or `null` for the first one. */
  readonly windowStart: string | null;
  readonly cursor: string | null;
  readonly windowCapped: boolean;
  /** The latest last_edited_time read so far in the pass. */
  readonly lastEdited: string | null;
  /** When the pass began (ISO 8601, this process's clock). */
  readonly startedAt: string;
  /**
   * A row read in this pass was edited since about when it began: rows moved in the sort order while
   * cursors stood in it, so a row may have been passed over, and the pass runs again.
   */
  readonly edited: boolean;
  /** How many times the pass ran again for that reason. */
  readonly restarts: number;
}

/** How far Notion's clock may be behind ours, for telling edits made during a pass. */
const CLOCK_SKEW_MS = 5_000;

/** A crowded-minute pass that runs again this many times at most while its rows keep being edited. */
export const MAX_CROWDED_RESTARTS = 3;

function newCrowdedPass(nowMs: number, restarts: number): CrowdedPass {
  return {
    windowStart: null,
    cursor: null,
    windowCapped: false,
    lastEdited: null,
    startedAt: new Date(nowMs).toISOString(),
    edited: false,
    restarts,
  };
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
  /** The current time in ms (tells edits made during a crowded-minute pass). @default Date.now */
  readonly now?: () => number;
}

/** Sends one query page. */
export type QueryFn = (args: QueryDataSourceParameters) => Promise<QueryDataSourceResponse>;

/**
 * Yields every row of `args.data_source_id` once, page by page, even past the query cap.
 *
 * @throws QueryCapError when more rows than the cap share one created_time and one last_edited_time (no
 *   window can advance): add a filter that splits them. Never returns a truncated result silently.
 */
export async function* queryDataSourceAll(
  query: QueryFn,
  args: QueryAllArgs,
  options: QueryAllOptions = {},
): AsyncGenerator<QueryAllPage, void, undefined> {
  const start = options.resumeFrom;
  let windowStart = start?.windowStart ?? null;
  let exclusive = start?.windowStartExclusive ?? false;
  let cursor = start?.cursor ?? null;
  let boundaryTime = start?.boundary?.createdTime ?? null;
  let boundaryIds = new Set(start?.boundary?.ids ?? []);
  let windowCapped = start?.windowCapped ?? false;
  // A resumed pass gets a fresh budget of restarts (the run before may have stopped for want of one).
  let crowded = start?.crowded == null ? null : { ...start.crowded, restarts: 0 };
  const now = options.now ?? Date.now;
  let windowIndex = 0;
  const snapshot = (done: boolean): QueryAllPage['checkpoint'] =>
    checkpoint(
      windowStart,
      exclusive,
      cursor,
      windowCapped,
      boundaryTime,
      boundaryIds,
      done ? null : crowded,
    );

  for (;;) {
    if (crowded !== null && boundaryTime !== null) {
      // The rows of one created_time (more than the cap), in last_edited_time windows.
      const minute = boundaryTime;
      for await (const page of crowdedPass(query, args, minute, crowded)) {
        crowded = page.pass;
        const fresh = page.results.filter((row) => !boundaryIds.has(row.id));
        for (const row of fresh) boundaryIds.add(row.id);
        if (page.passDone && crowded.edited) {
          // Rows moved while cursors stood in the pass: read the minute again; what was read is skipped.
          if (crowded.restarts >= MAX_CROWDED_RESTARTS) {
            throw new QueryCapError(
              `The rows created at ${minute} (more than Notion's per-query result cap) kept being edited while they were read, ${MAX_CROWDED_RESTARTS + 1} times over: a row may have been passed over, so the read stops.`,
              { dataSourceId: args.data_source_id, createdTime: minute },
              { hint: 'Run again when those rows are not being edited; it resumes where it stopped.' },
            );
          }
          crowded = newCrowdedPass(now(), crowded.restarts + 1);
        } else if (page.passDone) {
          // Go on strictly after that created_time: its ids are needed no more.
          windowStart = minute;
          exclusive = true;
          cursor = null;
          windowCapped = false;
          boundaryIds = new Set();
          crowded = null;
        }
        yield Object.freeze({ results: fresh, checkpoint: snapshot(false), windowIndex, done: false });
      }
      windowIndex++;
      continue;
    }
    const windowArgs: QueryDataSourceParameters = {
      ...args,
      sorts: [{ timestamp: 'created_time', direction: 'ascending' }],
      filter: withLowerBound(args.filter, windowStart, exclusive),
      start_cursor: cursor ?? undefined,
    };
    const pages = paginate(query, windowArgs, { allowIncomplete: true });
    let nextWindow = false;
    // The created_time of the window's first row, when this run read it (not when resumed mid-window).
    let windowFirst: string | undefined;
    let freshWindow = cursor === null;
    for await (const page of pages) {
      const fresh: DataSourceRow[] = [];
      for (const row of page.results) {
        const createdTime = 'created_time' in row ? row.created_time : undefined;
        if (createdTime === undefined) {
          // A partial object has no created_time: it cannot be placed in a window, only passed on.
          fresh.push(row);
          continue;
        }
        if (freshWindow) {
          windowFirst = createdTime;
          freshWindow = false;
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
      nextWindow = windowEnded && windowCapped;
      if (nextWindow) {
        if (boundaryTime === null) {
          throw new QueryCapError(
            "Notion's per-query result cap was reached by rows without a created_time.",
            { dataSourceId: args.data_source_id },
            { hint: 'Add a filter that splits these rows and read each part separately.' },
          );
        }
        // The window could not move past its start, or all its rows share one created_time: more rows than
        // the cap share that created_time.
        if ((boundaryTime === windowStart && !exclusive) || windowFirst === boundaryTime)
          crowded = newCrowdedPass(now(), 0);
        else windowStart = boundaryTime;
        exclusive = false;
        cursor = null;
        windowCapped = false;
      } else {
        cursor = page.nextCursor;
      }
      const done = windowEnded && !nextWindow;
      yield Object.freeze({ results: fresh, checkpoint: snapshot(done), windowIndex, done });
      if (nextWindow) break;
      if (done) return;
    }
    if (!nextWindow) return; // a window with no pages: nothing more to read
    windowIndex++;
  }
}

/**
 * Reads the rows created at `createdTime` sorted by last_edited_time, from `from`, in windows split on
 * last_edited_time when the cap cuts one. Rows at a window's boundary come again; the caller drops them
 * by id.
 */
async function* crowdedPass(
  query: QueryFn,
  args: QueryAllArgs,
  createdTime: string,
  from: CrowdedPass,
): AsyncGenerator<{ results: readonly DataSourceRow[]; pass: CrowdedPass; passDone: boolean }> {
  let { windowStart, cursor, windowCapped, lastEdited, edited } = from;
  // Edits from the minute of (start − CLOCK_SKEW_MS) on count as made during the pass: Notion floors its
  // times to the minute, and its clock may be a little behind ours.
  const editedSince = new Date(
    Math.floor((Date.parse(from.startedAt) - CLOCK_SKEW_MS) / 60_000) * 60_000,
  ).toISOString();
  for (;;) {
    const bounds: DataSourceFilter[] = [
      { timestamp: 'created_time', created_time: { on_or_after: createdTime } },
      { timestamp: 'created_time', created_time: { on_or_before: createdTime } },
    ];
    if (windowStart !== null)
      bounds.push({ timestamp: 'last_edited_time', last_edited_time: { on_or_after: windowStart } });
    const pages = paginate(
      query,
      {
        ...args,
        sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
        filter: withConditions(args.filter, bounds),
        start_cursor: cursor ?? undefined,
      },
      { allowIncomplete: true },
    );
    let nextWindow = false;
    for await (const page of pages) {
      for (const row of page.results) {
        const rowEdited = 'last_edited_time' in row ? row.last_edited_time : undefined;
        if (rowEdited === undefined) continue;
        if (lastEdited === null || rowEdited > lastEdited) lastEdited = rowEdited;
        if (rowEdited >= editedSince) edited = true;
      }
      if (page.requestStatus?.type === 'incomplete') windowCapped = true;
      const windowEnded = page.nextCursor === null;
      nextWindow = windowEnded && windowCapped;
      if (nextWindow) {
        if (lastEdited === null || lastEdited === windowStart) {
          throw new QueryCapError(
            `Notion's per-query result cap was reached by rows that all share created_time ${createdTime} and last_edited_time ${lastEdited ?? '(none)'}: the query cannot be split by time any further.`,
            { dataSourceId: args.data_source_id, createdTime },
            {
              hint: 'Add a filter that splits these rows (for example by a select or checkbox property) and read each part separately.',
            },
          );
        }
        windowStart = lastEdited;
        cursor = null;
        windowCapped = false;
      } else {
        cursor = page.nextCursor;
      }
      const passDone = windowEnded && !nextWindow;
      const pass = { ...from, windowStart, cursor, windowCapped, lastEdited, edited };
      yield { results: page.results, pass, passDone };
      if (nextWindow) break;
      if (passDone) return;
    }
    if (!nextWindow) return;
  }
}

function checkpoint(
  windowStart: string | null,
  exclusive: boolean,
  cursor: string | null,
  windowCapped: boolean,
  boundaryTime: string | null,
  boundaryIds: ReadonlySet<string>,
  crowded: CrowdedPass | null,
): QueryAllCheckpoint {
  return Object.freeze({
    windowStart,
    cursor,
    windowCapped,
    boundary:
      boundaryTime === null
        ? null
        : Object.freeze({ createdTime: boundaryTime, ids: Object.freeze([...boundaryIds]) }),
    ...(exclusive ? { windowStartExclusive: true } : {}),
    ...(crowded === null ? {} : { crowded: Object.freeze({ ...crowded }) }),
  });
}

/**
 * Adds `created_time on_or_after <windowStart>` (`after` when `exclusive`) to the caller's filter (see
 * `withConditions`).
 */
export function withLowerBound(
  filter: DataSourceFilter | undefined,
  windowStart: string | null,
  exclusive = false,
): DataSourceFilter | undefined {
  if (windowStart === null) return filter;
  const bound: DataSourceFilter = exclusive
    ? { timestamp: 'created_time', created_time: { after: windowStart } }
    : { timestamp: 'created_time', created_time: { on_or_after: windowStart } };
  return withConditions(filter, [bound]);
}

/**
 * The caller's filter and `conditions`, all required: appended to a top-level `and`, otherwise combined as
 * `{ and: [filter, ...conditions] }`. (A caller `or` that already nests groups then reaches three levels,
 * which Notion may reject; pass such filters as a top-level `and`.)
 */
function withConditions(
  filter: DataSourceFilter | undefined,
  conditions: readonly DataSourceFilter[],
): DataSourceFilter | undefined {
  if (filter === undefined)
    return conditions.length === 1 ? conditions[0] : ({ and: [...conditions] } as DataSourceFilter);
  if ('and' in filter) return { and: [...filter.and, ...conditions] } as DataSourceFilter;
  return { and: [filter, ...conditions] } as DataSourceFilter;
}
