/**
 * The sync state of a data source's mirror: the scan in progress (backfill or full), saved with every
 * committed page of results so that an interrupted scan resumes where it stopped.
 * @module
 */
import type { QueryAllCheckpoint } from '../notion/query-data-source-all.js';
import type { Store } from '../store/store.js';

/** The `sync_state` key of a data source's mirror. */
export function mirrorStateKey(dataSourceId: string): string {
  return `mirror:${dataSourceId}`;
}

/** A scan in progress, saved with every committed page of results. */
export interface ScanState {
  readonly kind: 'scan';
  readonly mode: 'backfill' | 'full';
  /** `runStart` of the run that began the scan: the watermark it earns is based on it. */
  readonly startedAtMs: number;
  readonly checkpoint: QueryAllCheckpoint | null;
  /** The store's `last_seen_at` of the scan's first committed row: rows seen by the scan are at or after it. */
  readonly seenMark: string | null;
  /** Rows that failed in earlier runs of this scan. */
  readonly failures: number;
  /**
   * The replica is wrong until this scan completes (a backfill, or rows stale after a schema change): a
   * scan with failed rows is then scheduled again rather than dropped.
   */
  readonly required: boolean;
}

/**
 * The checkpoint as saved with each page: without the ids of the rows read at its boundary created_time.
 * There may be thousands (a bulk import shares a minute), and writing them with every page of 100 rows
 * cost more than the rows themselves; the replica holds them (see {@link resumePoint}).
 */
export function compactCheckpoint(checkpoint: QueryAllCheckpoint): QueryAllCheckpoint {
  const boundary = checkpoint.boundary;
  return boundary === null || boundary.ids.length === 0
    ? checkpoint
    : { ...checkpoint, boundary: { createdTime: boundary.createdTime, ids: [] } };
}

/**
 * Where a saved scan resumes: its checkpoint with the boundary ids read back from the replica (the rows of
 * the boundary created_time this scan committed: seen since its `seenMark`). Each row's checkpoint commits
 * with it, so these are exactly the rows the scan yielded there, and none is yielded twice.
 */
export async function resumePoint(
  store: Store,
  dataSourceId: string,
  scan: ScanState,
): Promise<QueryAllCheckpoint | undefined> {
  const checkpoint = scan.checkpoint;
  if (checkpoint === null) return undefined;
  const boundary = checkpoint.boundary;
  if (boundary === null || scan.seenMark === null) return checkpoint;
  const committed = await store.replica.pageIdsSeenSince(dataSourceId, boundary.createdTime, scan.seenMark);
  // Checkpoints saved before they were compacted still list their ids.
  const ids = [...new Set([...boundary.ids, ...committed])];
  return { ...checkpoint, boundary: { createdTime: boundary.createdTime, ids } };
}

/** A scan that has read nothing yet, begun by the run that started at `runStartMs`. */
export function newScan(mode: 'backfill' | 'full', runStartMs: number, required: boolean): ScanState {
  return {
    kind: 'scan',
    mode,
    startedAtMs: runStartMs,
    checkpoint: null,
    seenMark: null,
    failures: 0,
    required,
  };
}

/** The saved scan, or `undefined` when `state` is none. */
export function asScanState(state: unknown): ScanState | undefined {
  if (state === null || typeof state !== 'object') return undefined;
  return (state as { kind?: unknown }).kind === 'scan' ? (state as ScanState) : undefined;
}

/**
 * Schedules a complete, required re-read of the rows (their stored values are stale after a schema
 * change), in `tx`: a scan already saved starts over, since the rows it read before are stale too.
 */
export async function scheduleRescan(tx: Store, dataSourceId: string, runStartMs: number): Promise<void> {
  const key = mirrorStateKey(dataSourceId);
  const saved = asScanState((await tx.syncState.get(key))?.state);
  await tx.syncState.save(key, { state: newScan(saved?.mode ?? 'full', runStartMs, true), status: 'idle' });
}
