import type { DataSourceRecord } from './records.js';

/** How many row changes are kept per data source; older snapshots are recomputed instead of patched. */
const ROW_CHANGES_KEPT = 1_024;

/** The changes of one data source since `base`: `ids[k]` changed at revision `base + k + 1`. */
interface DataSourceChanges {
  base: number;
  ids: string[];
  /** Stamp of the last change to the data source itself (schema, trash), which affects every row. */
  changedAt: number;
}

/**
 * Every bump of a data source's `revision` goes through here, with what changed: one row (a write to the
 * row, a row created, trashed, moved in or out, unshared) or the data source itself (its schema, trash
 * flag or title). Cached query results use it to patch the few rows that changed since they were computed
 * instead of re-filtering and re-sorting every row, and cached row JSON to tell whether it is still current.
 *
 * Not persisted: after a restore the log is empty and the first query of each data source is recomputed.
 */
export class ChangeLog {
  readonly #byDataSource = new Map<string, DataSourceChanges>();
  /** Page id → stamp of its last change. */
  readonly #rowChangedAt = new Map<string, number>();
  /** Increases with every recorded change; never reset, so stamps from before a `clear()` stay older. */
  #stamp = 0;

  /** Records a change to row `pageId` of `ds` and bumps `ds.revision`. */
  rowChanged(ds: DataSourceRecord, pageId: string): void {
    const log = this.#log(ds);
    ds.revision++;
    log.ids.push(pageId);
    if (log.ids.length > ROW_CHANGES_KEPT) {
      const dropped = log.ids.length - ROW_CHANGES_KEPT / 2;
      log.ids.splice(0, dropped);
      log.base += dropped;
    }
    this.#rowChangedAt.set(pageId, ++this.#stamp);
  }

  /** Records a change to `ds` itself (every row may read differently) and bumps `ds.revision`. */
  dataSourceChanged(ds: DataSourceRecord): void {
    const log = this.#log(ds);
    ds.revision++;
    log.base = ds.revision;
    log.ids.length = 0;
    log.changedAt = ++this.#stamp;
  }

  /**
   * The ids of the rows of `ds` that changed after revision `revision` (empty when it is current), or
   * `undefined` when that is not known: the data source itself changed since, the log no longer reaches
   * back that far, or the revision was bumped without this log.
   */
  rowsChangedSince(ds: DataSourceRecord, revision: number): ReadonlySet<string> | undefined {
    if (revision === ds.revision) return new Set();
    const log = this.#byDataSource.get(ds.ds.id as string);
    if (!log || revision < log.base || revision > ds.revision || log.base + log.ids.length !== ds.revision)
      return undefined;
    return new Set(log.ids.slice(revision - log.base));
  }

  /** The stamp the next change will exceed: something computed now is current while `changedAt` ≤ it. */
  now(): number {
    return this.#stamp;
  }

  /** Stamp of the last change that affects row `pageId` of `ds` (0 when none was recorded). */
  changedAt(ds: DataSourceRecord, pageId: string): number {
    const own = this.#rowChangedAt.get(pageId) ?? 0;
    const source = this.#byDataSource.get(ds.ds.id as string)?.changedAt ?? 0;
    return Math.max(own, source);
  }

  /** Forgets everything (after the workspace is cleared or restored); stamps keep increasing. */
  clear(): void {
    this.#byDataSource.clear();
    this.#rowChangedAt.clear();
  }

  #log(ds: DataSourceRecord): DataSourceChanges {
    const id = ds.ds.id as string;
    let log = this.#byDataSource.get(id);
    if (!log) this.#byDataSource.set(id, (log = { base: ds.revision, ids: [], changedAt: 0 }));
    return log;
  }
}
