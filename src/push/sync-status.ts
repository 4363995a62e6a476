import type { RunRecord, Store } from '../store/index.js';
import { syncStatus, type SyncStatus } from '../workers/cycle-planner.js';
import { readPushSyncState } from './push-records.js';

/** Where one sync stands (`sync status`). */
export interface SyncStatusReport {
  readonly syncKey: string;
  readonly status: SyncStatus;
  readonly completedCycles: number;
  readonly consecutiveFailures: number;
  /** True while a cycle is under way (the next run resumes it). */
  readonly cycleInProgress: boolean;
  readonly cycleStartedAt: string | null;
  /** When the next attempt is due after a failure (ISO), if any. */
  readonly nextRunAt: string | null;
  /** Relation links waiting for their target rows. */
  readonly unresolvedRelations: number;
  /** The latest run of the sync, if any. */
  readonly lastRun: Pick<
    RunRecord,
    'id' | 'status' | 'startedAt' | 'finishedAt' | 'counts' | 'apiCalls'
  > | null;
}

/**
 * The status of each sync in `syncKeys` (a sync that never ran is INITIALIZING), from `sync_state` and the
 * latest run. Reads only.
 */
export async function getSyncStatus(store: Store, syncKeys: readonly string[]): Promise<SyncStatusReport[]> {
  const reports: SyncStatusReport[] = [];
  for (const syncKey of syncKeys) {
    const record = await store.syncState.get(syncKey);
    const push = readPushSyncState(record?.state);
    const [last] = await store.runs.list({ target: syncKey, kind: 'push', limit: 1 });
    const consecutiveFailures = record?.consecutiveFailures ?? 0;
    reports.push({
      syncKey,
      status: syncStatus({
        disabled: record?.status === 'paused',
        completedCycles: push.completedCycles,
        consecutiveFailures,
      }),
      completedCycles: push.completedCycles,
      consecutiveFailures,
      cycleInProgress: push.cursor.cycleInProgress,
      cycleStartedAt: record?.cycleStartedAt ?? null,
      nextRunAt: record?.nextRunAt ?? null,
      unresolvedRelations: push.backlog.length,
      lastRun:
        last === undefined
          ? null
          : {
              id: last.id,
              status: last.status,
              startedAt: last.startedAt,
              finishedAt: last.finishedAt,
              counts: last.counts,
              apiCalls: last.apiCalls,
            },
    });
  }
  return reports;
}

/**
 * `sync state reset`: forgets a sync's cursor, cycle and failure stats, so its next run starts a fresh cycle from
 * `undefined`. The key map is kept: rows already in Notion are updated, never created again. Returns whether there
 * was a state to forget.
 */
export async function resetSyncState(store: Store, syncKey: string): Promise<boolean> {
  return store.syncState.delete(syncKey);
}
