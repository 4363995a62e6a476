import type { JobStatus, TriggerResult } from '../schedule/scheduler.js';

/** A job's health as the scheduler reports it: INITIALIZING, HEALTHY, WARNING, ERROR or DISABLED. */
export type { JobHealth } from '../schedule/scheduler.js';

/** A run's JSON-safe error (a NotionSyncError's `toJSON()`). */
export interface JobRunError {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

/**
 * The small part of the scheduler the HTTP API, the MCP server and the status page depend on: `trigger`,
 * `status` and `setDisabled` (the `Scheduler` of src/schedule fits it as is). The edges never run a job
 * themselves.
 */
export interface EngineControl {
  /** Starts a run of `jobId` now unless one is in progress; answers once the run has its id. */
  trigger(jobId: string, trigger?: string): Promise<TriggerResult>;
  /** Every job with its state, current, last and next run. */
  status(): readonly JobStatus[];
  /** Pauses (true) or resumes (false) a job, persisted in the store; false for an unknown job. */
  setDisabled(jobId: string, disabled: boolean): Promise<boolean>;
}
