/**
 * What the push engine keeps in the store besides the key map and pending writes: per-sync cursors and health,
 * database bindings, per-target cycle counters and per-module pacer states.
 *
 * The store has no dedicated tables for bindings, counters and pacers yet, so they live in `sync_state` rows under
 * reserved key prefixes (`push-database:`, `push-target:`, `push-pacers:`), which no sync key may use. Each row's
 * `state` column holds the JSON below. Every read and write goes through these functions, so moving them to their
 * own tables later touches only this file.
 */
import type { Store } from '../store/index.js';
import type { SyncCursor } from '../workers/cycle-planner.js';
import { INITIAL_SYNC_CURSOR } from '../workers/cycle-planner.js';
import type { PacerStates } from '../workers/sync-driver.js';

/** A relation link to rows that had no page yet when their row was written. */
export interface RelationBacklogEntry {
  /** Data source id of the row holding the relation. */
  readonly target: string;
  /** Primary key of the row holding the relation. */
  readonly key: string;
  readonly property: string;
  readonly relatedDatabaseKey: string;
  /** Every primary key of the relation, in order: the value to write once all of them resolve. */
  readonly primaryKeys: readonly string[];
}

/** The push engine's part of a sync's `sync_state.state`. */
export interface PushSyncState {
  readonly cursor: SyncCursor;
  /** Cycles completed since the sync was created or reset. */
  readonly completedCycles: number;
  /** Number of the cycle in progress in its target's counter (key map `last_cycle_seen`); null between cycles. */
  readonly targetCycle: number | null;
  /** Relation links still to complete. */
  readonly backlog: readonly RelationBacklogEntry[];
  /** `retryAfterMs` of the worker's last RateLimitError, if the last run ended with one. */
  readonly retryAfterMs?: number;
}

/** A worker database bound to its Notion database. */
export interface DatabaseBinding {
  readonly databaseKey: string;
  readonly databaseId: string;
  readonly dataSourceId: string;
  /** `managed` when we created it, `attached` when the user bound it. */
  readonly lifecycle: 'managed' | 'attached';
  /** The worker database declaration last applied (JSON of `WorkerDatabase`), to detect removed properties. */
  readonly appliedSchema?: unknown;
  /** The last check that found the data source fitting the declaration (see schema-check.ts). */
  readonly schemaCheck?: { readonly fingerprint: string; readonly checkedAt: string };
}

const DATABASE_PREFIX = 'push-database:';
const TARGET_PREFIX = 'push-target:';
const PACERS_PREFIX = 'push-pacers:';
/** Prefixes reserved for the push engine's own rows of `sync_state`. */
export const RESERVED_SYNC_KEY_PREFIXES = [DATABASE_PREFIX, TARGET_PREFIX, PACERS_PREFIX] as const;

/** The empty state of a sync that never ran (or was reset). */
export const INITIAL_PUSH_SYNC_STATE: PushSyncState = Object.freeze({
  cursor: INITIAL_SYNC_CURSOR,
  completedCycles: 0,
  targetCycle: null,
  backlog: [],
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a sync's push state from its `sync_state` row (the initial state when none). */
export function readPushSyncState(state: unknown): PushSyncState {
  if (!isObject(state) || !isObject(state.cursor)) return INITIAL_PUSH_SYNC_STATE;
  const cursor = state.cursor;
  return {
    cursor: { state: cursor.state ?? undefined, cycleInProgress: cursor.cycleInProgress === true },
    completedCycles: typeof state.completedCycles === 'number' ? state.completedCycles : 0,
    targetCycle: typeof state.targetCycle === 'number' ? state.targetCycle : null,
    backlog: Array.isArray(state.backlog) ? (state.backlog as RelationBacklogEntry[]) : [],
    ...(typeof state.retryAfterMs === 'number' ? { retryAfterMs: state.retryAfterMs } : {}),
  };
}

/** The JSON stored for a push state (`undefined` cursor state dropped, as JSON would). */
export function writePushSyncState(state: PushSyncState): unknown {
  return JSON.parse(JSON.stringify(state)) as unknown;
}

/** The binding of a worker database, or `undefined` when it was never created or attached. */
export async function getDatabaseBinding(
  store: Store,
  databaseKey: string,
): Promise<DatabaseBinding | undefined> {
  const row = await store.syncState.get(DATABASE_PREFIX + databaseKey);
  const state = row?.state;
  if (!isObject(state) || typeof state.dataSourceId !== 'string' || typeof state.databaseId !== 'string')
    return undefined;
  return state as unknown as DatabaseBinding;
}

/** Saves the binding of a worker database. */
export async function saveDatabaseBinding(store: Store, binding: DatabaseBinding): Promise<void> {
  await store.syncState.save(DATABASE_PREFIX + binding.databaseKey, {
    state: JSON.parse(JSON.stringify(binding)) as unknown,
  });
}

/**
 * Starts a cycle on a target: increments and returns the target's cycle counter. Every sync writing the target
 * shares the counter, so `last_cycle_seen` compares across a backfill and a delta on one database.
 */
export async function nextTargetCycle(store: Store, target: string): Promise<number> {
  return store.transaction(async (tx) => {
    const current = await tx.syncState.get(TARGET_PREFIX + target);
    const saved = await tx.syncState.save(TARGET_PREFIX + target, { cycle: (current?.cycle ?? 0) + 1 });
    return saved.cycle;
  });
}

/** The pacer states of a worker module (shared by all its syncs). */
export async function getPacerStates(store: Store, modulePath: string): Promise<PacerStates> {
  const row = await store.syncState.get(PACERS_PREFIX + modulePath);
  return isObject(row?.state) ? (row.state as unknown as PacerStates) : {};
}

/** Saves the pacer states of a worker module. */
export async function savePacerStates(store: Store, modulePath: string, states: PacerStates): Promise<void> {
  await store.syncState.save(PACERS_PREFIX + modulePath, { state: { ...states } });
}
