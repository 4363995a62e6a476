/**
 * The Kysely `Database` type of the store: one interface per table.
 *
 * Conventions, identical on SQLite and PostgreSQL so that one code path serves both:
 * - timestamps are ISO-8601 UTC strings (`2026-01-31T12:00:00.000Z`), which sort and compare as text;
 * - booleans are integers 0/1 (better-sqlite3 cannot bind booleans);
 * - JSON columns are written as JSON text (`jsonb` on PostgreSQL, `text` on SQLite) and read back through
 *   `readJson` (see `json-column.ts`), because `pg` parses `jsonb` and better-sqlite3 does not.
 *
 * @module
 */
import type { ColumnType, Generated } from 'kysely';

/** A JSON column: selected as `unknown` (parse with `readJson`), written as JSON text. */
export type JsonColumn = ColumnType<unknown, string, string>;
/** A nullable JSON column. */
export type NullableJsonColumn = ColumnType<unknown, string | null, string | null>;

/** `runs`: one row per sync, mirror or push run. The audit trail. */
export interface RunsTable {
  id: string;
  kind: string;
  target: string;
  trigger: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  created: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  deleted: Generated<number>;
  restored: Generated<number>;
  failed: Generated<number>;
  api_calls: Generated<number>;
  error: NullableJsonColumn;
}

/** `run_events`: the ordered log of one run. */
export interface RunEventsTable {
  run_id: string;
  seq: number;
  at: string;
  level: string;
  message: string;
  fields: NullableJsonColumn;
}

/** `sync_state`: the cursor/state and the current cycle of each sync. */
export interface SyncStateTable {
  sync_key: string;
  state: NullableJsonColumn;
  cycle: number;
  cycle_started_at: string | null;
  status: string;
  consecutive_failures: number;
  next_run_at: string | null;
  updated_at: string;
}

/** `leases`: who runs what until when. */
export interface LeasesTable {
  name: string;
  holder: string;
  acquired_at: string;
  expires_at: string;
  fence: number;
}

/** `key_map`: (target, primary key) → Notion page. Unique on (target, key) and on (target, page_id). */
export interface KeyMapTable {
  target: string;
  key: string;
  page_id: string;
  content_hash: string | null;
  body_hash: string | null;
  upstream_updated_at: string | null;
  last_cycle_seen: number | null;
  deleted: number;
  last_written_at: string | null;
}

/** `pending_writes`: the write-ahead record of each create whose outcome is not yet known. */
export interface PendingWritesTable {
  target: string;
  key: string;
  intent: JsonColumn;
  created_at: string;
}

/** `data_sources`: the schema of each mirrored data source and the state of its typed view. */
export interface DataSourcesTable {
  id: string;
  database_id: string | null;
  title: string;
  schema: JsonColumn;
  column_map: NullableJsonColumn;
  view_name: string | null;
  last_synced_at: string | null;
  watermark: string | null;
  discovered_at: string | null;
}

/** `pages`: the replica of each page (properties as plain-value JSON keyed by property name). */
export interface PagesTable {
  id: string;
  data_source_id: string;
  properties: JsonColumn;
  title: string;
  created_time: string;
  last_edited_time: string;
  in_trash: number;
  content_hash: string;
  body_markdown: string | null;
  body_json: NullableJsonColumn;
  body_hash: string | null;
  version: number;
  deleted_at: string | null;
  deleted_reason: string | null;
  first_seen_at: string;
  last_seen_at: string;
}

/** `page_versions`: append-only history (a trigger rejects UPDATE and DELETE). */
export interface PageVersionsTable {
  page_id: string;
  version: number;
  observed_at: string;
  change_kind: string;
  properties: JsonColumn;
  body_hash: string | null;
  changed_properties: JsonColumn;
  run_id: string | null;
}

/** Every table of the store. */
export interface Database {
  runs: RunsTable;
  run_events: RunEventsTable;
  sync_state: SyncStateTable;
  leases: LeasesTable;
  key_map: KeyMapTable;
  pending_writes: PendingWritesTable;
  data_sources: DataSourcesTable;
  pages: PagesTable;
  page_versions: PageVersionsTable;
}

/** Names of the store's own tables: a typed view may never take one of these names. */
export const STORE_TABLE_NAMES: readonly string[] = [
  'runs',
  'run_events',
  'sync_state',
  'leases',
  'key_map',
  'pending_writes',
  'data_sources',
  'pages',
  'page_versions',
  'pages_fts',
  'kysely_migration',
  'kysely_migration_lock',
];
