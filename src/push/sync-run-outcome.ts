import type { SyncStatus } from '../workers/cycle-planner.js';
import type { RelationBacklogEntry } from './push-records.js';

/** What happened to the rows of a run. */
export interface PushCounts {
  created: number;
  updated: number;
  /** Upserts whose content (by hash) was already in Notion: no API call. */
  unchanged: number;
  /** Pages trashed by delete changes (the sweep counts apart, in `sweep`). */
  deleted: number;
  failed: number;
  /** Upserts skipped because their `upstreamUpdatedAt` was older than the one last written. */
  skippedStale: number;
}

/** One row of a preview. */
export interface PreviewRow {
  readonly databaseKey: string;
  readonly key: string;
  /** Properties a create would set or an update would change. */
  readonly properties?: readonly string[];
  /** The row against the page Notion holds now (rows of the sync's own database only). */
  readonly notion?: PreviewNotionState;
}

/** What a preview read from Notion for one row. */
export interface PreviewNotionState {
  /**
   * `live`: the page is in the database; `gone`: the key map names a page the database no longer lists
   * (trashed or deleted in Notion); `none`: no page (a create).
   */
  readonly page: 'live' | 'gone' | 'none';
  /** Properties of the change whose value in the live page differs from the change's, sorted. */
  readonly differs: readonly string[];
  /** A live page with this key that notion-sync has no record of: a create would add a second page. */
  readonly unmappedPageId?: string;
}

/** What a preview found: what a real run would do, computed without writing. */
export interface SyncPreview {
  readonly creates: readonly PreviewRow[];
  readonly updates: readonly PreviewRow[];
  readonly unchanged: readonly PreviewRow[];
  readonly deletes: readonly PreviewRow[];
  /** Keys the replace-mode sweep would trash at the end of the cycle. */
  readonly sweep: readonly string[];
  /** Databases that would be created first. */
  readonly databasesToCreate: readonly string[];
  /** The fresh read of the sync's database the rows were compared with (absent when it does not exist yet). */
  readonly notionRead?: { readonly livePages: number; readonly apiCalls: number };
}

/** The outcome of {@link runSyncCycle}: also what is recorded in `runs` and printed by `--json`. */
export interface SyncRunOutcome {
  /** The run's id in `runs` (empty for a preview, which records nothing). */
  readonly runId: string;
  readonly syncKey: string;
  /**
   * `succeeded`: the cycle's batches of this run all committed; `partial`: some committed, then one failed (the
   * next run resumes at the failed batch); `failed`: nothing committed; `cancelled`: stopped by the signal.
   */
  readonly status: 'succeeded' | 'partial' | 'failed' | 'cancelled';
  readonly counts: PushCounts;
  /** The replace-mode sweep (only after a complete cycle with no failed batch). */
  readonly sweep: { readonly trashed: number };
  /** Relation links still waiting for their target rows at the end of the run. */
  readonly unresolvedRelations: readonly RelationBacklogEntry[];
  /** Notion API calls made by this run (through the gateway). */
  readonly apiCalls: number;
  /** Worker steps (batches) run. */
  readonly batches: number;
  /** True when the worker reached `hasMore: false` in this run. */
  readonly cycleComplete: boolean;
  /** The sync's status after the run. */
  readonly syncStatus: SyncStatus;
  /** The worker's RateLimitError asked to wait at least this long (ms) before the next try. */
  readonly retryAfterMs?: number;
  /** When the next attempt should start after a failure (ISO), if backing off. */
  readonly nextRunAt?: string;
  /** The error that stopped the run (JSON-safe), for `failed`, `partial` and `cancelled`. */
  readonly error?: {
    readonly code: string;
    readonly name: string;
    readonly message: string;
    readonly hint?: string;
  };
  /** For `preview: true`: what a real run would do. */
  readonly preview?: SyncPreview;
}

/** Zero counts. */
export function zeroPushCounts(): PushCounts {
  return { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0, skippedStale: 0 };
}
