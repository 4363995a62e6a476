/**
 * When a job runs next, as pure functions of its schedule and its last run (no I/O, no clock): the scheduler
 * owns the clock and the store, these own the rules.
 */
import parser from 'cron-parser';
import { failureBackoffMs, type FailureBackoffOptions } from '../workers/cycle-planner.js';
import type { JobRunStatus } from './job.js';
import type { Schedule } from './parse-schedule.js';

/** Shortest time between the starts of two runs of a `continuous` job. */
export const DEFAULT_CONTINUOUS_FLOOR_MS = 5_000;

/** The first occurrence of the cron `expression` strictly after `afterMs` (local time zone). */
export function cronNextAfter(expression: string, afterMs: number): number {
  return parser
    .parseExpression(expression, { currentDate: new Date(afterMs) })
    .next()
    .getTime();
}

/**
 * When a job that has never run (or whose schedule changed) runs first: at once for `continuous` and
 * intervals, at the next occurrence for cron, never for `manual`.
 */
export function firstRunAt(schedule: Schedule, nowMs: number): number | undefined {
  switch (schedule.type) {
    case 'manual':
      return undefined;
    case 'continuous':
    case 'interval':
      return nowMs;
    case 'cron':
      return cronNextAfter(schedule.expression, nowMs);
  }
}

/** The facts of a finished run that decide the next one. */
export interface FinishedRun {
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly status: JobRunStatus;
  /** Failed runs in a row, this one included (0 after a run that did not fail). */
  readonly consecutiveFailures: number;
  /** The source asked to wait at least this long. */
  readonly retryAfterMs?: number | undefined;
}

export interface NextRunOptions {
  /** @default DEFAULT_CONTINUOUS_FLOOR_MS (5 s) */
  readonly continuousFloorMs?: number;
  /** Base and cap of the failure backoff (see `failureBackoffMs`). */
  readonly backoff?: Omit<FailureBackoffOptions, 'retryAfterMs'>;
}

/**
 * When the next run is due after `run`, or `undefined` for a `manual` job (it runs only when triggered).
 *
 * - The regular rhythm: an interval counts from the last start (a run longer than its interval is followed
 *   at once, once); `continuous` starts again when a run ends, but not sooner than the floor after its
 *   start; cron takes the next occurrence after the end.
 * - A failed run is retried after the exponential backoff (`failureBackoffMs`), which may come sooner than
 *   the rhythm (a daily job that failed is retried in a minute, then 2, 4, … up to an hour).
 * - A cancelled run (shutdown, lease lost) is due again at once: it did not complete.
 * - `retryAfterMs` is honoured in every case: the next run is never sooner.
 */
export function nextRunAfter(
  schedule: Schedule,
  run: FinishedRun,
  options: NextRunOptions = {},
): number | undefined {
  if (schedule.type === 'manual') return undefined;
  const retryAfterMs = run.retryAfterMs ?? 0;
  if (run.status === 'failed') {
    const backoff = failureBackoffMs(Math.max(1, run.consecutiveFailures), {
      ...options.backoff,
      retryAfterMs,
    });
    return run.endedAtMs + backoff;
  }
  const notBefore = run.endedAtMs + retryAfterMs;
  if (run.status === 'cancelled') return notBefore;
  return Math.max(notBefore, regularNextRunAt(schedule, run, options.continuousFloorMs));
}

function regularNextRunAt(
  schedule: Exclude<Schedule, { type: 'manual' }>,
  run: FinishedRun,
  continuousFloorMs = DEFAULT_CONTINUOUS_FLOOR_MS,
): number {
  switch (schedule.type) {
    case 'continuous':
      return run.startedAtMs + continuousFloorMs;
    case 'interval':
      return run.startedAtMs + schedule.intervalMs;
    case 'cron':
      return cronNextAfter(schedule.expression, run.endedAtMs);
  }
}

/** A stable text form of a schedule, persisted to notice when the config changed it. */
export function scheduleSignature(schedule: Schedule): string {
  switch (schedule.type) {
    case 'manual':
    case 'continuous':
      return schedule.type;
    case 'interval':
      return `interval:${schedule.intervalMs}`;
    case 'cron':
      return `cron:${schedule.expression}`;
  }
}
