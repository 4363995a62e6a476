import type { PageObjectResponse } from '@notionhq/client';
import type { JsonObject } from './json.js';
import {
  compareBySorts,
  compileFilter,
  sortPages,
  startOfUtcDay,
  type DataSourceSchema,
  type FilterPredicate,
  type PageComparator,
} from './query-engine.js';
import type { DataSourceRecord } from './records.js';
import type { Workspace } from './workspace.js';

/** One query's matching rows in result order, as of a data source revision. */
export interface ResultSnapshot {
  /** The data source revision it reflects. */
  readonly revision: number;
  /** Start of the UTC day relative dates (`today`, `past_week`, …) were resolved against. */
  readonly day: number;
  /** Every matching row id in result order; the result cap applies when serving pages. */
  readonly ids: readonly string[];
  /**
   * False when made for one request only (a lagging index, or rollups, whose values follow other data
   * sources): its rows must be serialized afresh as well.
   */
  readonly reusable: boolean;
}

/** What identifies a query's result set (not its page size, cursor or `filter_properties`). */
export interface ResultQuery {
  /** Stable digest of data source, filter, sorts and trash flag: the cache key (and the cursors' check). */
  readonly fingerprint: string;
  readonly filter: unknown;
  readonly sorts: unknown;
  readonly includeTrash: boolean;
}

/** How many result snapshots are kept (least recently used ones are dropped). */
const SNAPSHOTS_KEPT = 32;
/** Beyond this many changed rows a snapshot is recomputed: each patched row costs two array moves. */
const PATCHED_ROWS_MAX = 64;

/** A snapshot as this module keeps it: patched in place (callers only see it read-only). */
interface StoredSnapshot extends ResultSnapshot {
  revision: number;
  readonly ids: string[];
}

/**
 * The matching, sorted row ids of recent queries, kept current cheaply: when rows of the data source
 * changed since a snapshot was made (per `Workspace.changes`), only those rows are taken out, tested
 * against the filter again and put back in place by binary search (in place: an `indexOf` and two
 * `splice`s per changed row, plus O(log rows) comparisons) instead of a full filter and sort. The result
 * is the same as a full evaluation's, because the order is total (sorts, then `created_time`, then id) and
 * unchanged rows keep their sort keys. Snapshots are recomputed from scratch when the data source itself
 * changed (schema, trash), more than `PATCHED_ROWS_MAX` rows changed, the change log no longer reaches
 * back, or the UTC day changed (relative dates); and never kept with a lagging index or rollup properties
 * (whose values follow other data sources).
 */
export class ResultSnapshots {
  readonly #cache = new Map<string, StoredSnapshot>();

  constructor(readonly ws: Workspace) {}

  /** Forgets every snapshot (after a reset or restore). */
  clear(): void {
    this.#cache.clear();
  }

  /** The current result of `query` over `ds`, reused or patched when possible. */
  get(ds: DataSourceRecord, query: ResultQuery): ResultSnapshot {
    const now = this.ws.now();
    const day = startOfUtcDay(now);
    if (this.ws.lagMs > 0 || hasRollups(ds)) return this.#compute(ds, query, now, day, false);
    let snap = this.#cache.get(query.fingerprint);
    if (snap && snap.day === day && snap.revision !== ds.revision) {
      const changed = this.ws.changes.rowsChangedSince(ds, snap.revision);
      if (changed && changed.size <= PATCHED_ROWS_MAX) this.#patch(ds, query, snap, changed, now);
    }
    if (!snap || snap.revision !== ds.revision || snap.day !== day)
      snap = this.#compute(ds, query, now, day, true);
    this.#cache.delete(query.fingerprint);
    this.#cache.set(query.fingerprint, snap);
    if (this.#cache.size > SNAPSHOTS_KEPT) this.#cache.delete(this.#cache.keys().next().value as string);
    return snap;
  }

  /** Filters and sorts every row of `ds` (as the lagging index sees them, with a lag). */
  #compute(
    ds: DataSourceRecord,
    query: ResultQuery,
    now: number,
    day: number,
    reusable: boolean,
  ): StoredSnapshot {
    const matches = predicate(ds, query);
    const rows: PageObjectResponse[] = [];
    for (const id of ds.rows) {
      const page = this.#listed(ds, query, matches, id, now);
      if (page) rows.push(page);
    }
    const ids = sortPages(rows, query.sorts, schemaOf(ds)).map((p) => p.id);
    return { revision: ds.revision, day, ids, reusable };
  }

  /** Brings `snap` to the current revision: the rows in `changed` are taken out and, where they match now, put back in order. */
  #patch(
    ds: DataSourceRecord,
    query: ResultQuery,
    snap: StoredSnapshot,
    changed: ReadonlySet<string>,
    now: number,
  ): void {
    const matches = predicate(ds, query);
    // A new comparator each time: its key cache is by page object, and pages are edited in place.
    const compare = compareBySorts(query.sorts, schemaOf(ds));
    const added: PageObjectResponse[] = [];
    for (const id of changed) {
      const page = this.#listed(ds, query, matches, id, now);
      if (page) added.push(page);
    }
    const ids = snap.ids;
    for (const id of changed) {
      const at = ids.indexOf(id);
      if (at >= 0) ids.splice(at, 1);
    }
    for (const page of added) ids.splice(this.#insertionPoint(ids, page, compare), 0, page.id);
    snap.revision = ds.revision;
  }

  /** The first index in `ids` whose row sorts after `page` (the order is total: there are no ties). */
  #insertionPoint(ids: readonly string[], page: PageObjectResponse, compare: PageComparator): number {
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const row = this.ws.materialize(this.ws.pages.get(ids[mid] as string)!.page);
      if (compare(row as unknown as PageObjectResponse, page) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Row `id` of `ds` with its computed values, as the query index sees it at `now` (minus the lag), when
   * it is in the query's result: shared, still in `ds`, not trashed (unless asked for), matching the filter.
   */
  #listed(
    ds: DataSourceRecord,
    query: ResultQuery,
    matches: FilterPredicate | undefined,
    id: string,
    now: number,
  ): PageObjectResponse | undefined {
    const rec = this.ws.pages.get(id);
    if (!rec || rec.unshared) return undefined;
    const stored = this.ws.lagMs > 0 ? this.ws.indexedPage(rec, now - this.ws.lagMs) : rec.page;
    if (!stored) return undefined;
    if ((stored.parent as JsonObject).data_source_id !== ds.ds.id) return undefined;
    if (stored.in_trash && !query.includeTrash) return undefined;
    const page = this.ws.materialize(stored) as unknown as PageObjectResponse;
    return !matches || matches(page, now) ? page : undefined;
  }
}

/** True when `ds` has rollups, whose values follow edits in other data sources (no revision of this one). */
export function hasRollups(ds: DataSourceRecord): boolean {
  for (const p of Object.values(ds.ds.properties as Record<string, JsonObject>))
    if (p.type === 'rollup') return true;
  return false;
}

function schemaOf(ds: DataSourceRecord): DataSourceSchema {
  return ds.ds.properties as unknown as DataSourceSchema;
}

function predicate(ds: DataSourceRecord, query: ResultQuery): FilterPredicate | undefined {
  return query.filter === undefined || query.filter === null
    ? undefined
    : compileFilter(query.filter, schemaOf(ds));
}
