import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { CancelledError, isNotionSyncError, redactSecrets } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import type { Lease } from '../store/leases-repository.js';
import type { Store } from '../store/store.js';
import type { SyncStateRecord, SyncStatus as StoredStatus } from '../store/sync-state-repository.js';
import { systemClock } from '../system-clock.js';
import { syncStatus, type FailureBackoffOptions, type SyncStatus } from '../workers/cycle-planner.js';
import type { Job, JobOutcome, JobRunStatus } from './job.js';
import { blockingLeases, readActiveLeases } from './job-leases.js';
import { processLeaseHolder } from './lease-holder.js';
import { LeaseLostError } from './lease-lost-error.js';
import { DEFAULT_CONTINUOUS_FLOOR_MS, firstRunAt, nextRunAfter, scheduleSignature } from './next-run-at.js';
import type { Schedule } from './parse-schedule.js';

/** How long a job's lease lasts; it is renewed every third of it while the job runs. */
export const DEFAULT_LEASE_TTL_MS = 60_000;
/** How often a job kept from starting by a lease held elsewhere looks again (at most). */
export const ELSEWHERE_RECHECK_MS = 30_000;
/** Jobs the scheduler starts at once on its own (triggers are not counted against it). */
export const DEFAULT_MAX_CONCURRENT_JOBS = 2;
/** How long `stop` waits for runs to finish their batch in flight. */
export const DEFAULT_STOP_GRACE_MS = 30_000;
/** How often an idle scheduler re-reads the persisted job states (changes made by other processes). */
export const DEFAULT_POLL_INTERVAL_MS = 60_000;
/** Prefix of the scheduler's own `sync_state` rows: `schedule:<job id>`. */
export const SCHEDULE_STATE_PREFIX = 'schedule:';

/** Health of a job: the same words as a sync's status (workers-runtime.md). */
export type JobHealth = SyncStatus;

/** The last finished run of a job. */
export interface JobLastRun {
  /** Absent when the job threw before it recorded a run. */
  readonly id: string | undefined;
  readonly status: JobRunStatus;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly error?: JobOutcome['error'];
}

/** Where a job is running, if it is. */
export type JobRunning =
  | { readonly where: 'here'; readonly since: string; readonly trigger: string; readonly runId?: string }
  /** Another process holds the job's lease (seen when this one last tried to run it). */
  | { readonly where: 'elsewhere'; readonly holder: string; readonly since: string; readonly until: string };

/** What `Scheduler.status` reports per job. */
export interface JobStatus {
  readonly id: string;
  readonly kind: Job['kind'];
  readonly name: string;
  /** The `target` its runs are recorded under in the `runs` table (`job.runTarget`, else the job id). */
  readonly runTarget: string;
  readonly schedule: Schedule;
  readonly health: JobHealth;
  readonly disabled: boolean;
  readonly running: JobRunning | null;
  readonly lastRun: JobLastRun | null;
  /** ISO time; `null` for a manual job, and while the job runs continuously without a pending run. */
  readonly nextRunAt: string | null;
  readonly consecutiveFailures: number;
}

/** A finished run as `trigger` callers get it (`runId` absent when the job threw before recording one). */
export type RunResult = Omit<JobOutcome, 'runId'> & { readonly runId: string | undefined };

/** The answer to `Scheduler.trigger`, given as soon as the run has its id (not when it ends). */
export type TriggerResult =
  | {
      readonly started: true;
      /** The run's id, once the job reported it (`JobRunContext.onRunStarted`). */
      readonly runId: string | undefined;
      /** Settles when the run ends (never rejects). */
      readonly outcome: Promise<RunResult>;
    }
  | {
      readonly started: false;
      /** `busy`: another job of its `exclusiveGroup` runs here now. */
      readonly reason: 'already_running' | 'unknown_job' | 'disabled' | 'busy' | 'stopping';
    };

export interface SchedulerOptions {
  readonly store: Store;
  readonly jobs: readonly Job[];
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** Name of this process in the `leases` table. @default `<hostname>:<pid>:<random>` */
  readonly holder?: string;
  /** @default DEFAULT_LEASE_TTL_MS (60 s), renewed every ttl/3 while a job runs */
  readonly leaseTtlMs?: number;
  /** @default DEFAULT_CONTINUOUS_FLOOR_MS (5 s) */
  readonly continuousFloorMs?: number;
  /** @default DEFAULT_MAX_CONCURRENT_JOBS (2) */
  readonly maxConcurrentJobs?: number;
  /** @default DEFAULT_POLL_INTERVAL_MS (60 s) */
  readonly pollIntervalMs?: number;
  /** Base and cap of the backoff after failed runs. @default 1 minute doubling up to 1 hour */
  readonly backoff?: Omit<FailureBackoffOptions, 'retryAfterMs'>;
}

/**
 * Runs jobs on their schedules, one run of a job at a time across processes (a lease per job), with
 * backoff after failures and a graceful stop. The daemon, the HTTP API and the MCP server drive jobs only
 * through it.
 */
export interface Scheduler {
  /** Loads the persisted job states and starts the loop. Calling it twice does nothing. */
  start(): void;
  /**
   * Stops the loop, aborts every running job's signal (each finishes and commits its batch in flight), waits
   * for them up to `graceMs` (default DEFAULT_STOP_GRACE_MS, 30 s) and releases their leases.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Starts a run of `jobId` now; answers as soon as the run has its id. `trigger` defaults to 'manual'. */
  trigger(jobId: string, trigger?: string): Promise<TriggerResult>;
  /** Every job's schedule, health, current and last run. */
  status(): JobStatus[];
  /** Pauses (or resumes) a job; persisted. A run in progress finishes. Returns false for an unknown job. */
  setDisabled(jobId: string, disabled: boolean): Promise<boolean>;
  /** Resolves when no job runs here and nothing is due now (for tests). */
  waitForIdle(): Promise<void>;
}

/** Builds a scheduler. Call `start()` to run it. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  return new JobScheduler(options);
}

/** What the scheduler persists per job, in the `state` column of its `sync_state` row. */
interface PersistedJobState {
  readonly schedule: string;
  readonly completedRuns: number;
  readonly lastStartedAt: string | null;
  readonly lastRun: JobLastRun | null;
}

interface CurrentRun {
  readonly since: number;
  readonly trigger: string;
  readonly controller: AbortController;
  runId: string | undefined;
  lease: Lease | undefined;
  leaseLost: boolean;
  /** Stops the lease renewal. */
  readonly renewal: AbortController;
  /** Resolves when the launch is over (the run ended, or it never started). */
  readonly finished: Promise<void>;
}

interface JobEntry {
  readonly job: Job;
  readonly stateKey: string;
  /** The persisted state was read (a failed read is retried at the next poll). */
  loaded: boolean;
  disabled: boolean;
  nextRunAt: number | undefined;
  /** When the lease was held elsewhere: not before this time. */
  retryAt: number | undefined;
  consecutiveFailures: number;
  completedRuns: number;
  lastStartedAt: number | undefined;
  lastRun: JobLastRun | undefined;
  current: CurrentRun | undefined;
  elsewhere: { holder: string; since: string; until: string } | undefined;
}

class JobScheduler implements Scheduler {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #holder: string;
  readonly #leaseTtlMs: number;
  readonly #continuousFloorMs: number;
  readonly #maxConcurrent: number;
  readonly #pollIntervalMs: number;
  readonly #backoff: Omit<FailureBackoffOptions, 'retryAfterMs'> | undefined;
  readonly #entries = new Map<string, JobEntry>();

  #loop: Promise<void> | undefined;
  #ready: Promise<void> | undefined;
  #stopping = false;
  #stopped: Promise<void> | undefined;
  #wake = new AbortController();
  #sleeping = false;
  #lastRefreshAt = Number.NEGATIVE_INFINITY;
  #idleWaiters: (() => void)[] = [];

  constructor(options: SchedulerOptions) {
    this.#store = options.store;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? silentLogger;
    this.#holder = options.holder ?? processLeaseHolder(randomUUID().slice(0, 8));
    this.#leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    this.#continuousFloorMs = options.continuousFloorMs ?? DEFAULT_CONTINUOUS_FLOOR_MS;
    this.#maxConcurrent = Math.max(1, options.maxConcurrentJobs ?? DEFAULT_MAX_CONCURRENT_JOBS);
    this.#pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.#backoff = options.backoff;
    for (const job of options.jobs) {
      if (this.#entries.has(job.id)) throw new Error(`duplicate job id "${job.id}"`);
      this.#entries.set(job.id, {
        job,
        stateKey: SCHEDULE_STATE_PREFIX + job.id,
        loaded: false,
        disabled: false,
        nextRunAt: undefined,
        retryAt: undefined,
        consecutiveFailures: 0,
        completedRuns: 0,
        lastStartedAt: undefined,
        lastRun: undefined,
        current: undefined,
        elsewhere: undefined,
      });
    }
  }

  start(): void {
    if (this.#loop !== undefined) return;
    // The first refresh loads every job's persisted state; triggers wait for it.
    this.#ready = this.#refreshIfStale();
    this.#loop = this.#ready.then(() => this.#run());
  }

  async stop(options: { graceMs?: number } = {}): Promise<void> {
    this.#stopped ??= this.#stop(options.graceMs ?? DEFAULT_STOP_GRACE_MS);
    return this.#stopped;
  }

  async trigger(jobId: string, trigger = 'manual'): Promise<TriggerResult> {
    const entry = this.#entries.get(jobId);
    if (entry === undefined) return { started: false, reason: 'unknown_job' };
    await this.#ready;
    if (this.#stopping) return { started: false, reason: 'stopping' };
    if (entry.disabled) return { started: false, reason: 'disabled' };
    if (entry.current !== undefined) return { started: false, reason: 'already_running' };
    if (this.#groupBusy(entry)) return { started: false, reason: 'busy' };
    return this.#launch(entry, trigger, false);
  }

  status(): JobStatus[] {
    return [...this.#entries.values()].map((e) => this.#statusOf(e));
  }

  async setDisabled(jobId: string, disabled: boolean): Promise<boolean> {
    const entry = this.#entries.get(jobId);
    if (entry === undefined) return false;
    entry.disabled = disabled;
    await this.#store.syncState.save(entry.stateKey, { status: this.#storedStatus(entry) });
    this.#log('info', disabled ? 'job disabled' : 'job enabled', { jobId });
    this.#wakeUp();
    return true;
  }

  async waitForIdle(): Promise<void> {
    if (this.#loop === undefined) {
      await Promise.all([...this.#entries.values()].map((e) => e.current?.finished));
      return;
    }
    while (!this.#isIdle()) {
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // The loop

  async #run(): Promise<void> {
    for (;;) {
      this.#wake = new AbortController();
      this.#sleeping = false;
      if (this.#stopping) break;
      await this.#refreshIfStale();
      if (this.#stopping) break;
      this.#startDueJobs();
      const wakeAt = this.#nextWakeAt();
      const now = this.#clock.now();
      const sleepMs = Math.min(wakeAt === undefined ? Infinity : wakeAt - now, this.#pollIntervalMs);
      this.#sleeping = true;
      if (this.#isIdle()) this.#notifyIdle();
      try {
        await this.#clock.sleep(Math.max(0, sleepMs), this.#wake.signal);
      } catch {
        // woken up early: a run ended, a trigger, setDisabled or stop
      }
    }
    this.#sleeping = true;
    this.#notifyIdle();
  }

  #wakeUp(): void {
    this.#sleeping = false;
    this.#wake.abort();
    // Once stopping, the loop is gone: whoever waits for idle re-checks on each run's end.
    if (this.#stopping) this.#notifyIdle();
  }

  #isIdle(): boolean {
    if (this.#stopping) return [...this.#entries.values()].every((e) => e.current === undefined);
    if (!this.#sleeping) return false;
    const now = this.#clock.now();
    for (const e of this.#entries.values()) {
      if (e.current !== undefined) return false;
      const due = this.#dueAt(e);
      if (due !== undefined && due <= now && this.#runningCount() < this.#maxConcurrent) return false;
    }
    return true;
  }

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Another job of the entry's exclusive group runs here. */
  #groupBusy(entry: JobEntry): boolean {
    const group = entry.job.exclusiveGroup;
    if (group === undefined) return false;
    for (const e of this.#entries.values()) {
      if (e !== entry && e.current !== undefined && e.job.exclusiveGroup === group) return true;
    }
    return false;
  }

  #runningCount(): number {
    let n = 0;
    for (const e of this.#entries.values()) if (e.current !== undefined) n++;
    return n;
  }

  /** When an idle, enabled job is due (its schedule, or the end of another holder's lease). */
  #dueAt(entry: JobEntry): number | undefined {
    if (entry.disabled || entry.current !== undefined || entry.nextRunAt === undefined) return undefined;
    return Math.max(entry.nextRunAt, entry.retryAt ?? Number.NEGATIVE_INFINITY);
  }

  /**
   * The next future due time. Jobs already due could not start (all slots taken, or their group busy): the
   * end of a run wakes the loop for them, so they must not make it spin.
   */
  #nextWakeAt(): number | undefined {
    const now = this.#clock.now();
    let min: number | undefined;
    for (const e of this.#entries.values()) {
      const due = this.#dueAt(e);
      if (due !== undefined && due > now && (min === undefined || due < min)) min = due;
    }
    return min;
  }

  #startDueJobs(): void {
    const now = this.#clock.now();
    const due = [...this.#entries.values()]
      .map((entry) => ({ entry, at: this.#dueAt(entry) }))
      .filter((d): d is { entry: JobEntry; at: number } => d.at !== undefined && d.at <= now)
      .sort((a, b) => a.at - b.at);
    for (const { entry } of due) {
      if (this.#runningCount() >= this.#maxConcurrent) break;
      if (this.#groupBusy(entry)) continue;
      this.#launch(entry, 'schedule', true).catch((error: unknown) => {
        this.#log('error', 'job launch failed', { jobId: entry.job.id, error });
      });
    }
  }

  async #stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    this.#wakeUp();
    const running = [...this.#entries.values()].filter((e) => e.current !== undefined);
    for (const e of running) {
      e.current?.controller.abort(
        new CancelledError(`Job "${e.job.id}" was stopped by a shutdown.`, {
          hint: 'It resumes from its last committed batch on the next start.',
        }),
      );
    }
    const currents = running.flatMap((e) => (e.current === undefined ? [] : [e.current]));
    const grace = new AbortController();
    const timedOut = await Promise.race([
      Promise.all(currents.map((c) => c.finished)).then(() => false),
      this.#clock.sleep(graceMs, grace.signal).then(
        () => true,
        () => false,
      ),
    ]);
    grace.abort();
    if (timedOut) {
      // The process is about to go: give the leases up so that another holder need not wait for expiry.
      for (const e of running) {
        const current = e.current;
        if (current === undefined) continue;
        this.#log('warn', 'job did not stop within grace', { jobId: e.job.id, graceMs });
        current.renewal.abort();
        await this.#release(e);
      }
    }
    await this.#loop;
    this.#log('info', 'scheduler stopped', { holder: this.#holder });
  }

  // -------------------------------------------------------------------------------------------------------
  // Persisted state

  async #refreshIfStale(): Promise<void> {
    const now = this.#clock.now();
    if (now - this.#lastRefreshAt < this.#pollIntervalMs) return;
    this.#lastRefreshAt = now;
    for (const entry of this.#entries.values()) {
      if (entry.current !== undefined) continue;
      try {
        const row = await this.#store.syncState.get(entry.stateKey);
        if (!entry.loaded) {
          await this.#load(entry, row);
          entry.loaded = true;
        } else if (row !== undefined) this.#apply(entry, row);
      } catch (error) {
        this.#log('error', 'job state read failed', { jobId: entry.job.id, error });
      }
    }
  }

  /** First load: the row's values, or a first run time when the job is new or its schedule changed. */
  async #load(entry: JobEntry, row: SyncStateRecord | undefined): Promise<void> {
    const schedule = entry.job.schedule;
    const state = row === undefined ? undefined : readPersisted(row.state);
    if (row !== undefined) this.#apply(entry, row);
    if (state !== undefined && state.schedule === scheduleSignature(schedule)) return;
    const now = this.#clock.now();
    const first = firstRunAt(schedule, now);
    // A changed interval keeps the rhythm of the last start (a missed run runs once, at once).
    entry.nextRunAt =
      schedule.type === 'interval' && entry.lastStartedAt !== undefined
        ? Math.max(now, entry.lastStartedAt + schedule.intervalMs)
        : first;
    await this.#persist(entry);
  }

  #apply(entry: JobEntry, row: SyncStateRecord): void {
    const state = readPersisted(row.state);
    entry.disabled = row.status === 'paused';
    entry.consecutiveFailures = row.consecutiveFailures;
    entry.nextRunAt = row.nextRunAt === null ? undefined : Date.parse(row.nextRunAt);
    if (state === undefined) return;
    entry.completedRuns = state.completedRuns;
    entry.lastStartedAt = state.lastStartedAt === null ? undefined : Date.parse(state.lastStartedAt);
    entry.lastRun = state.lastRun ?? undefined;
  }

  #storedStatus(entry: JobEntry, ended = false): StoredStatus {
    if (entry.disabled) return 'paused';
    if (entry.current !== undefined && !ended) return 'running';
    return entry.consecutiveFailures > 0 ? 'failed' : 'idle';
  }

  /** Saves the job's row; `ended` while the run that just ended still holds its lease. */
  async #persist(entry: JobEntry, options: { ended?: boolean } = {}): Promise<void> {
    try {
      // A pause set by another process (the CLI, the HTTP API) since we read the row wins.
      const row = await this.#store.syncState.get(entry.stateKey);
      if (row?.status === 'paused') entry.disabled = true;
      const state: PersistedJobState = {
        schedule: scheduleSignature(entry.job.schedule),
        completedRuns: entry.completedRuns,
        lastStartedAt: entry.lastStartedAt === undefined ? null : iso(entry.lastStartedAt),
        lastRun: entry.lastRun ?? null,
      };
      await this.#store.syncState.save(entry.stateKey, {
        state,
        status: this.#storedStatus(entry, options.ended),
        consecutiveFailures: entry.consecutiveFailures,
        nextRunAt: entry.nextRunAt === undefined ? null : iso(entry.nextRunAt),
      });
    } catch (error) {
      this.#log('error', 'job state save failed', { jobId: entry.job.id, error });
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // One run

  async #launch(entry: JobEntry, trigger: string, scheduled: boolean): Promise<TriggerResult> {
    let finish!: () => void;
    const current: CurrentRun = {
      since: this.#clock.now(),
      trigger,
      controller: new AbortController(),
      runId: undefined,
      lease: undefined,
      leaseLost: false,
      renewal: new AbortController(),
      finished: new Promise<void>((resolve) => (finish = resolve)),
    };
    // Claimed before the first await: a second trigger in the same tick is refused.
    entry.current = current;
    const jobId = entry.job.id;
    let started = false;
    try {
      const acquisition = await this.#store.leases.acquire(jobId, this.#holder, this.#leaseTtlMs);
      if (!acquisition.acquired) {
        const held = acquisition.heldBy;
        this.#waitElsewhere(entry, {
          holder: held?.holder ?? 'unknown',
          since: held?.acquiredAt ?? iso(current.since),
          until: held?.expiresAt ?? iso(this.#clock.now()),
        });
        return { started: false, reason: 'already_running' };
      }
      current.lease = acquisition.lease;
      // A run outside the scheduler (`notion-sync mirror`, another daemon's older version) may hold the
      // leases a run of this job takes: starting now would only fail on them, so wait as for the job's own.
      const blocking = blockingLeases(await readActiveLeases(this.#store), {
        id: jobId,
        kind: entry.job.kind,
        runTarget: entry.job.runTarget ?? jobId,
      }).find((lease) => lease.holder !== this.#holder);
      if (blocking !== undefined) {
        this.#waitElsewhere(entry, {
          holder: blocking.holder,
          since: blocking.since,
          until: blocking.expiresAt,
        });
        return { started: false, reason: 'already_running' };
      }
      entry.elsewhere = undefined;
      entry.retryAt = undefined;
      if (this.#stopping) return { started: false, reason: 'stopping' };
      if (scheduled && !(await this.#stillDue(entry))) return { started: false, reason: 'already_running' };
      started = true;
    } catch (error) {
      // The store failed: do not retry at once in a hot loop.
      entry.retryAt = this.#clock.now() + this.#leaseTtlMs / 3;
      throw error;
    } finally {
      if (!started) {
        if (current.lease !== undefined) await this.#release(entry);
        entry.current = undefined;
        finish();
        this.#wakeUp();
      }
    }

    let reportRunId!: (runId: string | undefined) => void;
    const runIdKnown = new Promise<string | undefined>((resolve) => (reportRunId = resolve));
    const outcome = this.#execute(entry, current, (runId) => {
      current.runId = runId;
      reportRunId(runId);
    }).finally(() => {
      entry.current = undefined;
      finish();
      this.#wakeUp();
    });
    const runId = await Promise.race([runIdKnown, outcome.then((o) => o.runId)]);
    return { started: true, runId, outcome };
  }

  /**
   * A lease held by another process keeps the job from starting: try again when it runs out, or sooner (a
   * run's lease lasts up to 10 minutes, and is released as soon as that run ends).
   */
  #waitElsewhere(entry: JobEntry, held: { holder: string; since: string; until: string }): void {
    const now = this.#clock.now();
    entry.elsewhere = held;
    entry.retryAt = Math.max(
      Math.min(Date.parse(held.until), now + ELSEWHERE_RECHECK_MS),
      now + this.#continuousFloorMs,
    );
    this.#log('info', 'job running elsewhere', { jobId: entry.job.id, holder: held.holder });
  }

  /**
   * Re-reads the job's row after taking its lease: another process may have run it meanwhile (its next run
   * is then later) or paused it.
   */
  async #stillDue(entry: JobEntry): Promise<boolean> {
    const row = await this.#store.syncState.get(entry.stateKey);
    if (row === undefined) return true;
    this.#apply(entry, row);
    const due = this.#dueAt({ ...entry, current: undefined });
    return due !== undefined && due <= this.#clock.now();
  }

  async #execute(
    entry: JobEntry,
    current: CurrentRun,
    onRunStarted: (runId: string) => void,
  ): Promise<RunResult> {
    const { job } = entry;
    const target = job.runTarget ?? job.id;
    const startedAt = this.#clock.now();
    const lease = current.lease as Lease;
    try {
      const abandoned = await this.#store.runs.failAbandoned(target, {
        code: 'abandoned',
        message: `The process running job "${job.id}" stopped without finishing the run (crash or kill).`,
        hint: 'Nothing to do: the job resumed from its last committed batch.',
      });
      if (abandoned.length > 0)
        this.#log('warn', 'abandoned runs failed', { jobId: job.id, runIds: abandoned });
    } catch (error) {
      this.#log('error', 'abandoned runs check failed', { jobId: job.id, error });
    }
    entry.lastStartedAt = startedAt;
    await this.#persist(entry);
    this.#log('info', 'job started', { jobId: job.id, trigger: current.trigger, fence: lease.fence });
    const renewal = this.#keepLease(entry, current);

    let result: RunResult;
    try {
      const outcome = await job.run({
        trigger: current.trigger,
        signal: current.controller.signal,
        onRunStarted,
        leaseFence: lease.fence,
      });
      result = outcome;
    } catch (thrown) {
      const error = toRunError(thrown);
      result = { runId: current.runId, status: 'failed', error };
      await this.#failThrownRun(entry, current, target, error);
    }
    current.renewal.abort();
    await renewal;
    await this.#recordOutcome(entry, startedAt, result);
    await this.#release(entry);
    return result;
  }

  /** A job that threw may have left its run `running`: record it as failed, unless our lease was lost. */
  async #failThrownRun(
    entry: JobEntry,
    current: CurrentRun,
    target: string,
    error: NonNullable<JobOutcome['error']>,
  ): Promise<void> {
    try {
      if (current.runId !== undefined) {
        const run = await this.#store.runs.get(current.runId);
        if (run?.status === 'running')
          await this.#store.runs.finish(current.runId, { status: 'failed', error });
      } else if (!current.leaseLost) {
        // We still hold the lease: any run of this target still `running` is the one that just threw.
        await this.#store.runs.failAbandoned(target, error);
      }
    } catch (storeError) {
      this.#log('error', 'failed run record failed', { jobId: entry.job.id, error: storeError });
    }
  }

  async #recordOutcome(entry: JobEntry, startedAtMs: number, result: RunResult): Promise<void> {
    const endedAtMs = this.#clock.now();
    if (result.status === 'failed') entry.consecutiveFailures++;
    else if (result.status !== 'cancelled') {
      entry.consecutiveFailures = 0;
      entry.completedRuns++;
    }
    entry.lastRun = {
      id: result.runId === '' ? undefined : result.runId,
      status: result.status,
      startedAt: iso(startedAtMs),
      finishedAt: iso(endedAtMs),
      ...(result.error === undefined ? {} : { error: result.error }),
    };
    entry.nextRunAt = nextRunAfter(
      entry.job.schedule,
      {
        startedAtMs,
        endedAtMs,
        status: result.status,
        consecutiveFailures: entry.consecutiveFailures,
        retryAfterMs: result.retryAfterMs,
      },
      { continuousFloorMs: this.#continuousFloorMs, ...(this.#backoff ? { backoff: this.#backoff } : {}) },
    );
    await this.#persist(entry, { ended: true });
    this.#log(result.status === 'failed' ? 'warn' : 'info', 'job finished', {
      jobId: entry.job.id,
      runId: result.runId,
      status: result.status,
      consecutiveFailures: entry.consecutiveFailures,
      nextRunAt: entry.nextRunAt === undefined ? null : iso(entry.nextRunAt),
      ...(result.error === undefined ? {} : { error: result.error }),
    });
  }

  /** Renews the lease every third of its lifetime; aborts the run when it is lost. */
  async #keepLease(entry: JobEntry, current: CurrentRun): Promise<void> {
    const jobId = entry.job.id;
    for (;;) {
      try {
        await this.#clock.sleep(this.#leaseTtlMs / 3, current.renewal.signal);
      } catch {
        return;
      }
      let renewed: Lease | undefined;
      try {
        renewed = await this.#store.leases.renew(jobId, this.#holder, this.#leaseTtlMs);
      } catch (error) {
        // A store hiccup: the lease is still ours until it expires; try again at the next renewal.
        this.#log('warn', 'lease renewal failed', { jobId, error });
        continue;
      }
      if (renewed === undefined) {
        current.leaseLost = true;
        this.#log('warn', 'lease lost', { jobId });
        current.controller.abort(new LeaseLostError(jobId));
        return;
      }
      current.lease = renewed;
    }
  }

  async #release(entry: JobEntry): Promise<void> {
    try {
      await this.#store.leases.release(entry.job.id, this.#holder);
    } catch (error) {
      this.#log('warn', 'lease release failed', { jobId: entry.job.id, error });
    }
  }

  #statusOf(entry: JobEntry): JobStatus {
    const { job, current } = entry;
    let running: JobRunning | null = null;
    if (current !== undefined) {
      running = {
        where: 'here',
        since: iso(current.since),
        trigger: current.trigger,
        ...(current.runId === undefined ? {} : { runId: current.runId }),
      };
    } else if (entry.elsewhere !== undefined && Date.parse(entry.elsewhere.until) > this.#clock.now()) {
      running = { where: 'elsewhere', ...entry.elsewhere };
    }
    return {
      id: job.id,
      kind: job.kind,
      name: job.name,
      runTarget: job.runTarget ?? job.id,
      schedule: job.schedule,
      health: syncStatus({
        disabled: entry.disabled,
        completedCycles: entry.completedRuns,
        consecutiveFailures: entry.consecutiveFailures,
      }),
      disabled: entry.disabled,
      running,
      lastRun: entry.lastRun ?? null,
      nextRunAt: entry.nextRunAt === undefined || current !== undefined ? null : iso(entry.nextRunAt),
      consecutiveFailures: entry.consecutiveFailures,
    };
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function readPersisted(value: unknown): PersistedJobState | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Partial<PersistedJobState>;
  if (typeof v.schedule !== 'string') return undefined;
  return {
    schedule: v.schedule,
    completedRuns: typeof v.completedRuns === 'number' ? v.completedRuns : 0,
    lastStartedAt: typeof v.lastStartedAt === 'string' ? v.lastStartedAt : null,
    lastRun: v.lastRun ?? null,
  };
}

/** A thrown value as the JSON-safe error of a failed run. */
function toRunError(thrown: unknown): NonNullable<JobOutcome['error']> {
  if (isNotionSyncError(thrown)) return thrown.toJSON();
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return {
    code: 'internal_error',
    message: redactSecrets(message),
    hint: 'The job threw instead of returning an outcome: this is a bug in the job; the scheduler retries it.',
  };
}
