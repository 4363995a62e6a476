import type { Schedule } from './parse-schedule.js';

/** What a run of a job ended as (the same words as the `runs` table). */
export type JobRunStatus = 'succeeded' | 'partial' | 'failed' | 'cancelled';

/** The outcome of one run of a job, as the scheduler needs it. */
export interface JobOutcome {
  readonly runId: string;
  readonly status: JobRunStatus;
  /** A JSON-safe error (a NotionSyncError's `toJSON()`), when the run failed. */
  readonly error?: { readonly code: string; readonly message: string; readonly hint?: string };
  /** The source asked us to wait at least this long before the next try (a worker's RateLimitError). */
  readonly retryAfterMs?: number;
}

export interface JobRunContext {
  /** Why it runs: 'schedule', 'manual', 'api', 'mcp', 'cli'. */
  readonly trigger: string;
  /**
   * Aborted on shutdown, and when the job's lease is lost: finish the batch in flight, commit it, then stop
   * with status 'cancelled'. The reason is a `CancelledError` (shutdown) or a `LeaseLostError`.
   */
  readonly signal: AbortSignal;
  /**
   * Call it as soon as the run has its id (right after `store.runs.start`): `Scheduler.trigger` answers
   * with that id without waiting for the run to end. Absent when nobody waits for it.
   */
  readonly onRunStarted?: (runId: string) => void;
  /**
   * The fencing token of the lease this run holds (grows each time the lease changes hands), for writes
   * that want to detect a stale holder.
   */
  readonly leaseFence?: number;
}

/**
 * One schedulable unit of work: a mirror of one configured source, or one sync of a worker module.
 * The daemon, the HTTP API and the MCP server all drive jobs through the scheduler, never directly.
 */
export interface Job {
  /** Stable id: `mirror:<name>` or `sync:<syncKey>`. Also the lease name. */
  readonly id: string;
  readonly kind: 'mirror' | 'sync';
  /** Human-readable name (mirror name or sync key). */
  readonly name: string;
  readonly schedule: Schedule;
  /**
   * The `target` its runs are recorded under in `runs`, so that runs a crashed holder left `running` can be
   * failed when the lease is taken over. @default the job's `id`
   */
  readonly runTarget?: string;
  /**
   * Jobs with the same group never run at the same time in one process: the syncs of one worker module
   * (the Workers SDK keeps pacer state in a module global). Across processes each job's own lease applies.
   */
  readonly exclusiveGroup?: string;
  /** Runs once; resolves with the outcome (it records its own run in the store). */
  run(context: JobRunContext): Promise<JobOutcome>;
}
