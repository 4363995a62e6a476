import type { JsonObject } from './json.js';

/** A page as the workspace stores it: the canonical 2025-09-03 page object with untruncated properties. */
export interface PageRecord {
  /** The page object (`object:"page"`), properties keyed by name, relations and people complete. */
  page: JsonObject;
  /** Exact time of the last edit, in ms (the object's own timestamps are minute-rounded). */
  editedMs: number;
  /** Not shared with the integration: every endpoint answers 404 as for a missing page. */
  unshared: boolean;
  /**
   * Earlier states for the lagging query index (`consistencyLagMs`): `page` is `null` before creation.
   * Only kept when a lag is configured; pruned to what the lag window needs.
   */
  history?: { at: number; page: JsonObject | null }[];
}

/** A block other than a page or database (those are rendered as `child_page` / `child_database`). */
export interface BlockRecord {
  block: JsonObject;
  /** The page that contains this block (directly or through parent blocks). */
  pageId: string;
}

/** A database container: its own fields plus the ids of its data sources, in creation order. */
export interface DatabaseRecord {
  /** The database object without `data_sources` (2025-09-03 form). */
  db: JsonObject;
  dataSourceIds: string[];
}

/** A data source: its object (schema in `properties`, keyed by name) and its rows. */
export interface DataSourceRecord {
  ds: JsonObject;
  /** Page ids of its rows (trashed ones included) in creation order. */
  rows: string[];
  /** The next `unique_id` number. */
  nextUniqueId: number;
  /** Bumped on every change to a row or the schema, only through `Workspace.changes` (`ChangeLog`). */
  revision: number;
}

/** Everything the workspace holds, in the JSON form persistence writes. */
export interface WorkspaceSnapshot {
  botId: string;
  rootPageId: string | undefined;
  users: JsonObject[];
  pages: PageRecord[];
  blocks: BlockRecord[];
  databases: DatabaseRecord[];
  dataSources: DataSourceRecord[];
  children: [string, string[]][];
}
