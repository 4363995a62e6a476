/**
 * The rules of a sync cycle, as pure functions (no I/O, no clock): which state a step starts from, what to
 * persist after each batch, the status of a sync, how long to back off after a failed run, how same-key changes
 * of a batch fold, and when an upsert is stale. The push engine and the scheduler call these; they own the I/O.
 */
import { WorkerError } from '../errors.js';
import type { WorkerChange, WorkerUpsertChange } from './sync-driver.js';
import type { WorkerSyncMode } from './worker-manifest.js';

/** The persisted cursor of one sync (one row of `sync_state`). */
export interface SyncCursor {
  /** The state to hand to the next `execute`. */
  readonly state: unknown;
  /** True while a cycle is under way: the next `execute` continues it (also after a crash or restart). */
  readonly cycleInProgress: boolean;
}

/** The cursor of a sync that never ran (or was reset). */
export const INITIAL_SYNC_CURSOR: SyncCursor = Object.freeze({ state: undefined, cycleInProgress: false });

/**
 * The state the next `execute` gets. A cycle under way resumes where it stopped (its last committed batch). A new
 * cycle starts from `undefined` in `replace` mode, and from the persisted cursor in `incremental` mode.
 */
export function stateForNextStep(mode: WorkerSyncMode, cursor: SyncCursor): unknown {
  if (cursor.cycleInProgress) return cursor.state;
  return mode === 'replace' ? undefined : cursor.state;
}

/** What to persist after a batch was applied. */
export interface CursorAdvance {
  /** Persist this together with the batch's writes (DESIGN invariant 2). */
  readonly cursor: SyncCursor;
  /** True when this batch ended the cycle (`hasMore: false`). */
  readonly cycleComplete: boolean;
}

/**
 * The cursor after a batch was applied. `incremental`: the worker's `nextState` is kept after every batch,
 * including the last one, and is where the next cycle starts (`undefined` if the worker ended with none).
 * `replace`: `nextState` is kept while the cycle runs; the cycle's end forgets it.
 *
 * @throws WorkerError when the worker said `hasMore: true` without a `nextState`: calling again with the same
 *   input would repeat the same batch forever.
 */
export function advanceCursor(
  syncKey: string,
  mode: WorkerSyncMode,
  step: { readonly hasMore: boolean; readonly nextState: unknown },
): CursorAdvance {
  if (step.hasMore) {
    if (step.nextState === undefined) {
      throw new WorkerError(`Sync "${syncKey}" returned hasMore: true without a nextState`, {
        hint: 'Return the cursor of the next page as nextState whenever hasMore is true.',
      });
    }
    return { cursor: { state: step.nextState, cycleInProgress: true }, cycleComplete: false };
  }
  return {
    cursor: { state: mode === 'incremental' ? step.nextState : undefined, cycleInProgress: false },
    cycleComplete: true,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Status and backoff

/** The status of a sync (workers-runtime.md). */
export type SyncStatus = 'INITIALIZING' | 'HEALTHY' | 'WARNING' | 'ERROR' | 'DISABLED';

/** Consecutive failed runs from which a sync is in ERROR (below it, and above 0, WARNING). */
export const ERROR_AFTER_CONSECUTIVE_FAILURES = 3;

/** The facts the status is computed from. */
export interface SyncHealth {
  /** Paused by the user. */
  readonly disabled: boolean;
  /** Cycles completed since the sync was created or reset. */
  readonly completedCycles: number;
  /** Failed runs since the last successful one. */
  readonly consecutiveFailures: number;
}

/**
 * DISABLED when paused; else ERROR from 3 consecutive failed runs, WARNING for 1–2; else INITIALIZING until a
 * first cycle completes, then HEALTHY. Failures take precedence over INITIALIZING, so a sync that never got
 * through its first cycle shows why.
 */
export function syncStatus(health: SyncHealth): SyncStatus {
  if (health.disabled) return 'DISABLED';
  if (health.consecutiveFailures >= ERROR_AFTER_CONSECUTIVE_FAILURES) return 'ERROR';
  if (health.consecutiveFailures > 0) return 'WARNING';
  return health.completedCycles === 0 ? 'INITIALIZING' : 'HEALTHY';
}

/** Wait after a first failed run. */
export const DEFAULT_FAILURE_BACKOFF_BASE_MS = 60_000;
/** Longest wait after failed runs (a `retryAfter` from the worker may ask for more, and gets it). */
export const DEFAULT_FAILURE_BACKOFF_MAX_MS = 60 * 60_000;

export interface FailureBackoffOptions {
  /** @default DEFAULT_FAILURE_BACKOFF_BASE_MS (1 minute) */
  readonly baseMs?: number;
  /** @default DEFAULT_FAILURE_BACKOFF_MAX_MS (1 hour) */
  readonly maxMs?: number;
  /** The worker's `RateLimitError` retryAfter in ms: the wait is at least this. */
  readonly retryAfterMs?: number;
}

/**
 * How long to wait before retrying after `consecutiveFailures` failed runs (≥ 1): `base · 2^(n−1)`, capped at
 * `maxMs`, and never less than `retryAfterMs`. Returns 0 when there is no failure.
 */
export function failureBackoffMs(consecutiveFailures: number, options: FailureBackoffOptions = {}): number {
  if (consecutiveFailures <= 0) return 0;
  const base = options.baseMs ?? DEFAULT_FAILURE_BACKOFF_BASE_MS;
  const max = options.maxMs ?? DEFAULT_FAILURE_BACKOFF_MAX_MS;
  // 2^(n-1) overflows nothing here: the exponent is capped well before Number precision matters.
  const exponential = Math.min(max, base * 2 ** Math.min(consecutiveFailures - 1, 40));
  return Math.max(exponential, options.retryAfterMs ?? 0);
}

// ---------------------------------------------------------------------------------------------------------
// Batches

/**
 * Folds a batch so that each (target database, key) appears once, as its last change, at the position of that
 * last change; the rest keep their order. Applying the result equals applying the batch in order.
 */
export function foldChanges(changes: readonly WorkerChange[]): WorkerChange[] {
  const lastIndex = new Map<string, number>();
  changes.forEach((c, i) => lastIndex.set(changeIdentity(c), i));
  return changes.filter((c, i) => lastIndex.get(changeIdentity(c)) === i);
}

/** A string identifying the row a change targets: its database and key. */
export function changeIdentity(change: Pick<WorkerChange, 'targetDatabaseKey' | 'key'>): string {
  return JSON.stringify([change.targetDatabaseKey, change.key]);
}

/**
 * True when an upsert is stale: its `upstreamUpdatedAt` is strictly older than the last one written for the same
 * (database, key). Equal or missing on either side → apply.
 */
export function isStaleUpsert(
  change: Pick<WorkerUpsertChange, 'upstreamUpdatedAt'>,
  lastWrittenUpstreamUpdatedAt: string | undefined,
): boolean {
  if (change.upstreamUpdatedAt === undefined || lastWrittenUpstreamUpdatedAt === undefined) return false;
  const incoming = Date.parse(change.upstreamUpdatedAt);
  const last = Date.parse(lastWrittenUpstreamUpdatedAt);
  if (Number.isNaN(incoming) || Number.isNaN(last)) return false;
  return incoming < last;
}

/** The `upstreamUpdatedAt` to remember for a row after an upsert was applied (a missing one keeps the last). */
export function upstreamUpdatedAtAfter(
  change: Pick<WorkerUpsertChange, 'upstreamUpdatedAt'>,
  lastWrittenUpstreamUpdatedAt: string | undefined,
): string | undefined {
  return change.upstreamUpdatedAt ?? lastWrittenUpstreamUpdatedAt;
}
