import { NotFoundError } from '../errors.js';
import { parseNotionId } from '../notion/notion-id.js';
import type { HeldLease } from '../schedule/held-lease.js';
import { leaseHeldError } from '../schedule/held-lease.js';
import type { ActiveLease } from '../schedule/job-leases.js';
import { blockingLeases, readActiveLeases } from '../schedule/job-leases.js';
import type { ReplicaViewInfo, ViewQuery } from '../store/replica-view-repository.js';
import type { PageVersion } from '../store/replica-repository.js';
import type { RunCounts, RunEvent, RunRecord } from '../store/runs-repository.js';
import type { Store } from '../store/store.js';
import type { JobStatus } from '../schedule/scheduler.js';
import type { EngineControl, JobHealth, JobRunError } from './engine-control.js';
import { ServerError } from './server-error.js';

/** Runs per page of `listRuns` when no limit is given. */
export const DEFAULT_RUNS_PAGE_SIZE = 50;
/** The most runs or events one page returns. */
export const MAX_PAGE_SIZE = 500;

/** A job as the edges show it: the scheduler's status, its health word and what its last run recorded. */
export interface JobView {
  /** `mirror:<name>` or `sync:<syncKey>`. */
  readonly id: string;
  readonly kind: 'mirror' | 'sync';
  /** The mirror name or sync key (the `target` of its runs). */
  readonly name: string;
  readonly schedule: JobStatus['schedule'];
  /** The scheduler's word: INITIALIZING, HEALTHY, WARNING, ERROR or DISABLED. */
  readonly health: JobHealth;
  readonly disabled: boolean;
  /** True while a run is in progress, here or in another process. */
  readonly running: boolean;
  /** Where and since when it runs, when it does. */
  readonly runningDetail: JobStatus['running'];
  readonly lastRun: {
    readonly id: string | null;
    readonly status: string;
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly error: JobRunError | null;
  } | null;
  /** ISO 8601; null for manual jobs. */
  readonly nextRunAt: string | null;
  readonly consecutiveFailures: number;
  /** Counts of the last finished run (created, updated, …), or null before the first. */
  readonly counts: RunCounts | null;
  /** API calls of the last finished run. */
  readonly apiCalls: number | null;
  /**
   * The leases that keep the job from starting, held by another process (or a run of it that died): who
   * holds each, since when, until when, and whether that process still lives. Empty when nothing blocks it.
   */
  readonly blockedBy: readonly HeldLease[];
  /** The latest failed run's error and when it ended, if any run of the job ever failed. */
  readonly lastError: {
    readonly runId: string;
    readonly at: string | null;
    readonly error: JobRunError;
  } | null;
}

/** A page of runs, newest first; pass `nextCursor` back as `cursor` for the next page. */
export interface RunsPage {
  readonly runs: RunRecord[];
  readonly nextCursor: string | null;
}

/** A page's history from the replica. */
export interface PageHistory {
  readonly pageId: string;
  readonly title: string | null;
  readonly dataSourceId: string | null;
  readonly deletedAt: string | null;
  /** Oldest first. */
  readonly versions: PageVersion[];
}

/** A mirrored data source with its typed view. */
export interface DatabaseView extends ReplicaViewInfo {
  readonly databaseId: string | null;
  readonly lastSyncedAt: string | null;
}

/**
 * The one set of operations behind every edge: the HTTP routes, the MCP tools and the status page call
 * these and nothing else, so no behaviour lives only in one edge. Reads go to the store, actions to the
 * engine (the scheduler).
 */
export class EngineApi {
  readonly #store: Store;
  readonly #engine: EngineControl;

  constructor(options: { store: Store; engine: EngineControl }) {
    this.#store = options.store;
    this.#engine = options.engine;
  }

  /** The store (for health checks). */
  get store(): Store {
    return this.#store;
  }

  /** The engine (for readiness). */
  get engine(): EngineControl {
    return this.#engine;
  }

  /** Every job with its status, last run counts and last error. */
  async listJobs(): Promise<JobView[]> {
    const active = await readActiveLeases(this.#store);
    return Promise.all(this.#engine.status().map((s) => this.#view(s, active)));
  }

  /** One job. @throws NotFoundError */
  async getJob(id: string): Promise<JobView> {
    const status = this.#engine.status().find((s) => s.id === id);
    if (status === undefined) throw unknownJob(id);
    return this.#view(status, await readActiveLeases(this.#store));
  }

  /**
   * Starts a run of `jobId` now and answers at once. @throws NotFoundError for an unknown job, ServerError
   * `already_running` when a run of it is in progress here, `disabled` when it is disabled, LeaseHeldError
   * when another process (or a run of it that died) holds one of its leases.
   */
  async triggerJob(jobId: string, trigger: string): Promise<{ jobId: string; runId: string | null }> {
    const status = this.#engine.status().find((s) => s.id === jobId);
    if (status !== undefined && status.running?.where !== 'here') {
      const [held] = blockingLeases(await readActiveLeases(this.#store), status);
      if (held !== undefined) throw leaseHeldError(`Starting job ${jobId}`, held, jobId);
    }
    const result = await this.#engine.trigger(jobId, trigger);
    if (result.started) return { jobId, runId: result.runId ?? null };
    switch (result.reason) {
      case 'unknown_job':
        throw unknownJob(jobId);
      case 'already_running':
        throw new ServerError(
          'already_running',
          `Job ${jobId} is already running: it was not started again.`,
          {
            hint: 'Wait for the run in progress to finish (GET /api/jobs/:id shows it), then trigger it again.',
          },
        );
      case 'busy':
        throw new ServerError('busy', `Job ${jobId} waits: another sync of its worker module is running.`, {
          hint: 'The syncs of one module never run at once; trigger it again when the other run ends.',
        });
      case 'disabled':
        throw new ServerError('disabled', `Job ${jobId} is paused.`, {
          hint: 'Resume it (POST /api/jobs/:id/resume, the status page, or notion_sync action "resume"), then trigger it again.',
        });
      case 'stopping':
        throw new ServerError('stopping', 'The scheduler is stopping: no new runs start.', {
          hint: 'Trigger it again once the server has restarted.',
        });
    }
  }

  /**
   * Pauses a job: the scheduler starts no run of it (a run in progress finishes) until it is resumed, and
   * refuses triggers with `disabled`. Persisted in the store, so every process and a restart honour it.
   * @throws NotFoundError for an unknown job
   */
  async pauseJob(id: string): Promise<JobView> {
    return this.#setPaused(id, true);
  }

  /** Resumes a paused job: it runs on its schedule again. @throws NotFoundError for an unknown job */
  async resumeJob(id: string): Promise<JobView> {
    return this.#setPaused(id, false);
  }

  async #setPaused(id: string, paused: boolean): Promise<JobView> {
    if (!(await this.#engine.setDisabled(id, paused))) throw unknownJob(id);
    return this.getJob(id);
  }

  /** Runs, newest first, optionally of one job. @throws NotFoundError for an unknown job */
  async listRuns(options: { job?: string; limit?: number; cursor?: string } = {}): Promise<RunsPage> {
    const limit = options.limit ?? DEFAULT_RUNS_PAGE_SIZE;
    const before = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    let filter = {};
    if (options.job !== undefined) {
      const job = this.#engine.status().find((s) => s.id === options.job);
      if (job === undefined) throw unknownJob(options.job);
      filter = { target: job.runTarget, kind: job.kind };
    }
    const rows = await this.#store.runs.list({ ...filter, before, limit: limit + 1 });
    const runs = rows.slice(0, limit);
    const last = runs[runs.length - 1];
    return {
      runs,
      nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null,
    };
  }

  /** One run. @throws NotFoundError */
  async getRun(id: string): Promise<RunRecord> {
    const run = await this.#store.runs.get(id);
    if (run === undefined) {
      throw new NotFoundError(`No run with id ${id}.`, { hint: 'List runs with GET /api/runs.' });
    }
    return run;
  }

  /** A run's events in order, after sequence number `after`. @throws NotFoundError */
  async listRunEvents(id: string, options: { after?: number; limit?: number } = {}): Promise<RunEvent[]> {
    await this.getRun(id);
    return this.#store.runs.listEvents(id, {
      afterSeq: options.after ?? 0,
      limit: options.limit ?? MAX_PAGE_SIZE,
    });
  }

  /** A page's versions from the replica; `page` is a Notion id or URL. @throws InvalidIdError, NotFoundError */
  async pageHistory(page: string): Promise<PageHistory> {
    const pageId = parseNotionId(page);
    const [record, versions] = await Promise.all([
      this.#store.replica.getPage(pageId),
      this.#store.replica.listVersions(pageId),
    ]);
    if (record === undefined && versions.length === 0) {
      throw new NotFoundError(`Page ${pageId} is not in the replica.`, {
        hint: 'Only pages of mirrored databases have a history: mirror its database first.',
      });
    }
    return {
      pageId,
      title: record?.title ?? null,
      dataSourceId: record?.dataSourceId ?? null,
      deletedAt: record?.deletedAt ?? null,
      versions,
    };
  }

  /** The mirrored data sources that have a typed view, with their columns. */
  async listDatabases(): Promise<DatabaseView[]> {
    const [views, sources] = await Promise.all([
      this.#store.replicaViews.describeViews(),
      this.#store.replica.listDataSources(),
    ]);
    const byId = new Map(sources.map((s) => [s.id, s]));
    return views.map((v) => ({
      ...v,
      databaseId: byId.get(v.dataSourceId)?.databaseId ?? null,
      lastSyncedAt: byId.get(v.dataSourceId)?.lastSyncedAt ?? null,
    }));
  }

  /** A structured read-only query of one typed view (see `ReplicaViewRepository.queryView`). */
  async queryReplica(
    query: ViewQuery,
  ): Promise<{ viewName: string; columns: string[]; rows: Record<string, unknown>[] }> {
    return this.#store.replicaViews.queryView(query);
  }

  async #view(status: JobStatus, active: readonly ActiveLease[]): Promise<JobView> {
    // Two one-row lookups by index: the last run's counts, and the latest failure (its error).
    const lastId = status.lastRun?.id;
    const [last, failed] = await Promise.all([
      lastId === undefined ? undefined : this.#store.runs.get(lastId),
      this.#store.runs
        .list({ target: status.runTarget, kind: status.kind, status: 'failed', limit: 1 })
        .then((runs) => runs[0]),
    ]);
    const lastRun = status.lastRun;
    return {
      id: status.id,
      kind: status.kind,
      name: status.name,
      schedule: status.schedule,
      health: status.health,
      disabled: status.disabled,
      running: status.running !== null,
      runningDetail: status.running,
      lastRun:
        lastRun === null
          ? null
          : {
              id: lastRun.id ?? null,
              status: lastRun.status,
              startedAt: lastRun.startedAt,
              finishedAt: lastRun.finishedAt,
              error: lastRun.error === undefined ? null : toRunError(lastRun.error),
            },
      nextRunAt: status.nextRunAt,
      consecutiveFailures: status.consecutiveFailures,
      counts: last?.counts ?? null,
      apiCalls: last?.apiCalls ?? null,
      blockedBy: blockingLeases(active, status),
      lastError:
        failed === undefined || failed.error === null || failed.error === undefined
          ? null
          : { runId: failed.id, at: failed.finishedAt, error: toRunError(failed.error) },
    };
  }
}

function unknownJob(id: string): NotFoundError {
  return new NotFoundError(`No job with id ${id}.`, {
    hint: 'Job ids are mirror:<name> or sync:<syncKey>; list them with GET /api/jobs.',
  });
}

function toRunError(error: unknown): JobRunError {
  if (error !== null && typeof error === 'object') {
    const e = error as { code?: unknown; message?: unknown; hint?: unknown };
    return {
      code: typeof e.code === 'string' ? e.code : 'unknown',
      message: typeof e.message === 'string' ? e.message : JSON.stringify(error),
      ...(typeof e.hint === 'string' ? { hint: e.hint } : {}),
    };
  }
  return { code: 'unknown', message: String(error) };
}

/** Opaque cursor of the run after which the next page starts. */
function encodeCursor(run: RunRecord): string {
  return Buffer.from(JSON.stringify([run.startedAt, run.id])).toString('base64url');
}

function decodeCursor(cursor: string): { startedAt: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return { startedAt: value[0] as string, id: value[1] as string };
    }
  } catch {
    // Falls through to the error below.
  }
  throw new ServerError('invalid_request', 'cursor is not a cursor this server returned.', {
    issues: [{ path: 'cursor', message: 'expected the nextCursor of a previous page' }],
    hint: 'Pass back the nextCursor of the previous page unchanged, or leave cursor out for the first page.',
  });
}
