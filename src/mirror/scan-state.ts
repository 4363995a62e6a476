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
