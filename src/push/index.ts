/**
 * The push engine: changes from any source (a `@notionhq/workers` sync) into Notion databases — upsert by primary
 * key without duplicates, deletes, replace-mode sweeps, page bodies, relations, database creation and schema
 * migration.
 * @module
 */
export {
  runSyncCycle,
  DEFAULT_CREATE_SETTLE_MS,
  DEFAULT_PUSH_CONCURRENCY,
  PUSH_LEASE_TTL_MS,
} from './run-sync-cycle.js';
export type { RunSyncCycleOptions } from './run-sync-cycle.js';
export { previewSyncCycle, MAX_PREVIEW_STEPS } from './preview-sync-cycle.js';
export type { PushCounts, PreviewRow, SyncPreview, SyncRunOutcome } from './sync-run-outcome.js';
export { attachDatabase, ensureDatabases } from './ensure-databases.js';
export type { EnsureDatabasesOptions, EnsuredDatabases } from './ensure-databases.js';
export {
  getDatabaseBinding,
  readPushSyncState,
  RESERVED_SYNC_KEY_PREFIXES,
  INITIAL_PUSH_SYNC_STATE,
} from './push-records.js';
export type { DatabaseBinding, PushSyncState, RelationBacklogEntry } from './push-records.js';
export { findPagesByKey, CREATED_WINDOW_MARGIN_MS } from './find-pages-by-key.js';
export { getSyncStatus, resetSyncState } from './sync-status.js';
export type { SyncStatusReport } from './sync-status.js';
