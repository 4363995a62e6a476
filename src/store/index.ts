/**
 * The store: notion-sync's one database layer (SQLite or PostgreSQL through Kysely).
 *
 * @module
 */
export type { Store } from './store.js';
export type { StoreDialect, StoreDialectOptions } from './store-dialect.js';
export { openStore, resolveStoreUrl, DEFAULT_STORE_URL } from './open-store.js';
export type { OpenStoreOptions } from './open-store.js';
export { sqliteDialect, SQLITE_BUSY_TIMEOUT_MS } from './dialects/sqlite.js';
export { postgresDialect, POSTGRES_POOL_SIZE } from './dialects/postgres.js';
export { RunsRepository, ZERO_COUNTS } from './runs-repository.js';
export type { RunCounts, RunEvent, RunKind, RunRecord, RunStatus, RunTotals } from './runs-repository.js';
export { SyncStateRepository } from './sync-state-repository.js';
export type { SyncStatePatch, SyncStateRecord, SyncStatus } from './sync-state-repository.js';
export { LeasesRepository } from './leases-repository.js';
export type { Lease, LeaseAcquisition } from './leases-repository.js';
export { KeyMapRepository } from './key-map-repository.js';
export type { KeyMapEntry } from './key-map-repository.js';
export { PendingWritesRepository } from './pending-writes-repository.js';
export type { PendingWrite } from './pending-writes-repository.js';
export { ReplicaRepository, changedPropertyNames } from './replica-repository.js';
export type {
  DataSourceRecord,
  PageBody,
  PageChangeKind,
  PageInput,
  PageRecord,
  PageUpsertResult,
  PageVersion,
  PlainProperties,
  ReplicaWriteOptions,
  SearchHit,
} from './replica-repository.js';
export {
  ReplicaViewRepository,
  DEFAULT_VIEW_QUERY_LIMIT,
  MAX_VIEW_QUERY_LIMIT,
} from './replica-view-repository.js';
export type {
  ReplicaView,
  ReplicaViewInfo,
  ViewFilter,
  ViewFilterOp,
  ViewQuery,
} from './replica-view-repository.js';
export { planViewColumns, toSqlName, viewColumnKind, VIEW_METADATA_COLUMNS } from './view-columns.js';
export type { ViewColumn, ViewColumnKind, ViewPropertySchema } from './view-columns.js';
export { storeMigrations } from './migrations/index.js';
export type { Database } from './schema.js';
