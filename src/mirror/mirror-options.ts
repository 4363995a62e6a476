/**
 * The options and the outcome of `runMirror`: what the CLI, daemon, HTTP API and MCP server pass in and get
 * back (STYLE rule 8: multi-step work returns an outcome instead of throwing).
 * @module
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { NotionGateway } from '../notion/gateway.js';
import type { RunCounts } from '../store/runs-repository.js';
import type { Store } from '../store/store.js';

/** Default of `consistencyBufferMs`: how far behind "now" the delta watermark stays. */
export const DEFAULT_CONSISTENCY_BUFFER_MS = 15_000;
/** Default of `overlapMs`: how much before the watermark a delta re-reads (`last_edited_time` is minute-granular). */
export const DEFAULT_OVERLAP_MS = 2 * 60_000;
/** Default of `rediscoverAfterMs`: how long a delta trusts the data sources and schemas the replica recorded. */
export const DEFAULT_REDISCOVER_AFTER_MS = 60 * 60_000;
/** Default of `bodyConcurrency`: pages whose bodies (or truncated values, or delete checks) are read at once. */
export const DEFAULT_BODY_CONCURRENCY = 4;
/** Children reads in flight at once within one page body. */
export const DEFAULT_BLOCK_CONCURRENCY = 2;

/** How a run reads a data source. */
export type MirrorMode = 'backfill' | 'delta' | 'full';

/** Options of `runMirror`. */
export interface MirrorOptions {
  /** Where the replica, the runs and the sync state live. */
  store: Store;
  /** The one way to Notion (DESIGN invariant 1). Its pacer sets the request rate. */
  gateway: NotionGateway;
  /** Each a database id, a data source id, or a notion.so / notion.site URL of either. */
  sources: readonly string[];
  /** Also mirror page bodies (markdown, block JSON, body hash). @default true */
  bodies?: boolean;
  /**
   * `auto`: backfill a data source never mirrored (or resume an interrupted scan), otherwise a delta by
   * `last_edited_time`. `full`: a complete scan of every row with delete detection. @default 'auto'
   */
  mode?: 'auto' | 'full';
  /** The delta watermark never moves past `runStart − consistencyBufferMs`. @default 15_000 ms */
  consistencyBufferMs?: number;
  /** A delta re-reads this long before the watermark. @default 120_000 ms */
  overlapMs?: number;
  /**
   * A delta reuses the data sources and schemas the replica recorded (no discovery call) while they are
   * younger than this; query results that disagree with a stored schema make it read at once, and a full
   * run always reads them. @default 3_600_000 ms (an hour)
   */
  rediscoverAfterMs?: number;
  /** Pages processed at once (bodies, truncated-value completion, delete checks). @default 4 */
  bodyConcurrency?: number;
  /** Children reads in flight at once within one body. @default 2 */
  blockConcurrency?: number;
  /** @default systemClock */
  clock?: Clock;
  /** @default silentLogger */
  logger?: Logger;
  /** Called after every committed page of results and after each phase. */
  onProgress?: (progress: MirrorProgress) => void;
  /** Stops the run after the batch in flight; the run ends `cancelled` and resumes where it stopped. */
  signal?: AbortSignal;
  /** Called with the run id as soon as the run is recorded (before any Notion call). */
  onRunStarted?: (runId: string) => void;
  /** What started the run (`manual`, `schedule`, `api`, `mcp`, …), recorded in `runs`. @default 'manual' */
  trigger?: string;
}

/** Where a run stands, for progress bars and logs. */
export interface MirrorProgress {
  readonly runId: string;
  readonly dataSourceId: string;
  readonly title: string;
  readonly mode: MirrorMode;
  readonly phase: 'scan' | 'deletes' | 'done';
  /** Rows read by this run in this data source so far. */
  readonly pagesDone: number;
  /** An estimate of the rows this pass will read (the replica's live page count), when known. */
  readonly pagesEstimate: number | undefined;
  /** Counts of the whole run so far. */
  readonly counts: Readonly<RunCounts>;
}

/** What happened to one data source. */
export interface MirrorDataSourceOutcome {
  readonly id: string;
  readonly databaseId: string | null;
  readonly title: string;
  /** The typed SQL view of its rows (`SELECT * FROM <view>`). */
  readonly view: string | null;
  readonly mode: MirrorMode;
  readonly status: 'succeeded' | 'partial' | 'failed' | 'cancelled';
  readonly counts: Readonly<RunCounts>;
  /** The JSON form of the error that stopped it (`NotionSyncError.toJSON()`), when it failed. */
  readonly error?: unknown;
}

/** What `runMirror` resolves to; the same object is written to `runs`. */
export interface MirrorRunOutcome {
  readonly runId: string;
  readonly status: 'succeeded' | 'partial' | 'failed' | 'cancelled';
  readonly dataSources: readonly MirrorDataSourceOutcome[];
  readonly counts: Readonly<RunCounts>;
  /** Notion API calls made by the gateway during the run. */
  readonly apiCalls: number;
  readonly durationMs: number;
  /** The first error (JSON form), when the run was not a success. */
  readonly error?: unknown;
}
