import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { Job } from '../schedule/job.js';
import type { Store } from '../store/store.js';
import { systemClock } from '../system-clock.js';
import type { EngineControl, JobHealth, JobRunError, JobStatus, TriggerResult } from './engine-control.js';

/** How long `trigger` waits for the job to record its run, to answer with its id (ms). */
export const TRIGGER_RUN_ID_WAIT_MS = 2_000;
/** Poll interval while waiting for the run record (ms). */
const RUN_ID_POLL_MS = 5;

export interface TriggerOnlyEngineOptions {
  readonly store: Store;
  readonly jobs: readonly Job[];
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
}

/** An `EngineControl` that also starts and stops (the daemon's view of a scheduler). */
export interface StartableEngine extends EngineControl {
  start(): void;
  /** Aborts runs in flight and waits for them to settle. */
  stop(): Promise<void>;
}

/**
 * The stand-in scheduler `serve` uses until the schedule branch's `createScheduler` is wired in: it runs jobs
 * only when triggered (never on their schedule), one run per job at a time, and reports each job's health
 * from the runs the job recorded in the store. Health: a run in progress or a last run that succeeded is
 * HEALTHY, `partial` is WARNING, `failed` or `cancelled` is ERROR, no run yet is INITIALIZING.
 */
export function createTriggerOnlyEngine(options: TriggerOnlyEngineOptions): StartableEngine {
  const { store, jobs } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const inFlight = new Map<string, Promise<void>>();
  const controller = new AbortController();
  let started = false;

  async function latestRunId(job: Job): Promise<string | undefined> {
    const [run] = await store.runs.list({ target: job.name, kind: job.kind, limit: 1 });
    return run?.id;
  }

  async function waitForNewRun(job: Job, previous: string | undefined): Promise<string | undefined> {
    for (let waited = 0; waited < TRIGGER_RUN_ID_WAIT_MS; waited += RUN_ID_POLL_MS) {
      const id = await latestRunId(job);
      if (id !== undefined && id !== previous) return id;
      if (!inFlight.has(job.id)) return undefined;
      await clock.sleep(RUN_ID_POLL_MS);
    }
    return undefined;
  }

  async function statusOf(job: Job): Promise<JobStatus> {
    const recent = await store.runs.list({ target: job.name, kind: job.kind, limit: 20 });
    const finished = recent.filter((r) => r.status !== 'running');
    const last = finished[0];
    let consecutiveFailures = 0;
    for (const run of finished) {
      if (run.status !== 'failed') break;
      consecutiveFailures++;
    }
    const health: JobHealth =
      last === undefined
        ? 'INITIALIZING'
        : last.status === 'succeeded'
          ? 'HEALTHY'
          : last.status === 'partial'
            ? 'WARNING'
            : 'ERROR';
    return {
      id: job.id,
      kind: job.kind,
      name: job.name,
      schedule: job.schedule,
      health,
      running: inFlight.has(job.id),
      lastRun:
        last === undefined
          ? null
          : {
              id: last.id,
              status: last.status,
              finishedAt: last.finishedAt,
              error: (last.error ?? null) as JobRunError | null,
            },
      nextRunAt: null,
      consecutiveFailures,
    };
  }

  return {
    get started() {
      return started;
    },
    start() {
      started = true;
    },
    async stop() {
      started = false;
      controller.abort();
      await Promise.allSettled([...inFlight.values()]);
    },
    async trigger(jobId, trigger): Promise<TriggerResult> {
      const job = byId.get(jobId);
      if (job === undefined) return { started: false, reason: 'unknown_job' };
      if (inFlight.has(jobId)) return { started: false, reason: 'already_running' };
      // Claimed before the first await, so two triggers in the same tick cannot both start it.
      let release: () => void = () => {};
      inFlight.set(jobId, new Promise<void>((resolve) => (release = resolve)));
      const previous = await latestRunId(job);
      job
        .run({ trigger, signal: controller.signal })
        .then(
          (outcome) =>
            logger('info', 'job run finished', { jobId, runId: outcome.runId, status: outcome.status }),
          (error: unknown) => logger('error', 'job run threw', { jobId, error }),
        )
        .finally(() => {
          inFlight.delete(jobId);
          release();
        });
      const runId = await waitForNewRun(job, previous);
      return runId === undefined ? { started: true } : { started: true, runId };
    },
    async status() {
      return Promise.all(jobs.map((j) => statusOf(j)));
    },
  };
}
