import type { Schedule } from '../schedule/parse-schedule.js';

/** How a job is doing, worst first: ERROR, WARNING, INITIALIZING (never ran), HEALTHY, DISABLED. */
export type JobHealth = 'HEALTHY' | 'INITIALIZING' | 'WARNING' | 'ERROR' | 'DISABLED';

/** A run's JSON-safe error (a NotionSyncError's `toJSON()`). */
export interface JobRunError {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

/** The last finished run of a job, as the scheduler knows it. */
export interface JobLastRun {
  readonly id: string;
  readonly status: string;
  /** ISO 8601, or null while it runs. */
  readonly finishedAt: string | null;
  /** The run's JSON-safe error, when it failed. */
  readonly error?: JobRunError | null;
}

/** One job as the scheduler reports it. */
export interface JobStatus {
  /** `mirror:<name>` or `sync:<syncKey>`. */
  readonly id: string;
  readonly kind: 'mirror' | 'sync';
  /** The mirror name or sync key (the `target` of its runs). */
  readonly name: string;
  readonly schedule: Schedule;
  readonly health: JobHealth;
  /** True while a run of it is in progress. */
  readonly running: boolean;
  readonly lastRun: JobLastRun | null;
  /** ISO 8601; null for manual schedules and disabled jobs. */
  readonly nextRunAt: string | null;
  readonly consecutiveFailures: number;
}

/** Why a trigger did not start a run. */
export type TriggerRefusal = 'already_running' | 'unknown_job' | 'disabled';

/** What `trigger` answers. `runId` is given when the run was recorded before the call returned. */
export type TriggerResult =
  | { readonly started: true; readonly runId?: string }
  | { readonly started: false; readonly reason: TriggerRefusal };

/**
 * The small part of the scheduler the HTTP API, the MCP server and the status page depend on (the schedule
 * branch's `Scheduler` fits it). The edges never run a job themselves: they ask the engine.
 */
export interface EngineControl {
  /** Starts a run of `jobId` now, unless one is in progress. `trigger`: `api`, `mcp`, `manual`, … */
  trigger(jobId: string, trigger: string): TriggerResult | Promise<TriggerResult>;
  /** Every job with its health, last and next run. */
  status(): readonly JobStatus[] | Promise<readonly JobStatus[]>;
  /** True once `start()` was called and until `stop()` (readiness). @default true when absent */
  readonly started?: boolean;
}
