import type { Clock } from '../clock.js';
import { CancelledError, LeaseHeldError, NotionSyncError, WorkerError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import type { NotionGateway } from '../notion/gateway.js';
import { toNotionSyncError } from '../notion/notion-api-error.js';
import { describeHeldLease, leaseHeldError } from '../schedule/held-lease.js';
import { runLeaseHolder } from '../schedule/lease-holder.js';
import type { Store } from '../store/index.js';
import { systemClock } from '../system-clock.js';
import {
  advanceCursor,
  failureBackoffMs,
  type CursorAdvance,
  stateForNextStep,
  syncStatus,
  type SyncStatus,
} from '../workers/cycle-planner.js';
import type { LoadedWorker } from '../workers/load-worker.js';
import {
  executeStep,
  stepLogsOf,
  WorkerRateLimitError,
  type PacerStates,
  type WorkerEnvironment,
  type WorkerLogEntry,
} from '../workers/sync-driver.js';
import {
  getWorkerDatabase,
  getWorkerSync,
  readWorkerManifest,
  type WorkerDatabase,
} from '../workers/worker-manifest.js';
import { pagesByPrimaryKey } from './find-pages-by-key.js';
import {
  prepareBatch,
  reconcileTarget,
  writeBatch,
  type BatchResult,
  type PushContext,
  type RowOutcome,
} from './apply-batch.js';
import { runBatchPipeline } from './batch-pipeline.js';
import { ensureDatabases } from './ensure-databases.js';
import { previewSyncCycle } from './preview-sync-cycle.js';
import {
  getPacerStates,
  nextTargetCycle,
  readPushSyncState,
  savePacerStates,
  writePushSyncState,
  type DatabaseBinding,
  type PushSyncState,
} from './push-records.js';
import { completeBacklog, mergeBacklog } from './relation-backlog.js';
import { RowLanes, rowId } from './row-lanes.js';
import {
  checkSchemaAfterRejection,
  DEFAULT_SCHEMA_RECHECK_MS,
  isValidationRejection,
} from './schema-check.js';
import { sweepTarget } from './sweep-target.js';
import { zeroPushCounts, type PushCounts, type SyncRunOutcome } from './sync-run-outcome.js';

/** Rows written at once within a batch (the gateway's pacer still sets the request rate). */
export const DEFAULT_PUSH_CONCURRENCY = 16;
/**
 * Batches started and not yet committed: with 2, the next batch is fetched and written while the previous one's
 * last writes are still in flight, so the line to Notion does not idle for a round trip at every batch's end.
 */
export const DEFAULT_PIPELINE_DEPTH = 2;
/**
 * How long after a create was attempted a primary-key lookup that finds nothing is trusted to mean "it did not
 * land". Notion's query index can lag a write (its lag is undocumented); this matches the consistency buffer of
 * DESIGN invariant 5.
 */
export const DEFAULT_CREATE_SETTLE_MS = 15_000;
/** Lease on `push:<syncKey>` held while a run writes; renewed after every batch. */
export const PUSH_LEASE_TTL_MS = 10 * 60_000;

/** Options of {@link runSyncCycle}. */
export interface RunSyncCycleOptions {
  readonly store: Store;
  readonly gateway: NotionGateway;
  /** The loaded worker (`loadWorker`). */
  readonly worker: LoadedWorker;
  /** The module's path: names it in messages and keys its shared pacer states. */
  readonly workerModulePath: string;
  readonly syncKey: string;
  /** Page under which `managed` databases are created on first use. */
  readonly parentPageId?: string;
  /** Compute what the cycle would do against the key map's record of Notion, and write nothing. @default false */
  readonly preview?: boolean;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** Aborting stops the run once the batches in flight have committed (status `cancelled`). */
  readonly signal?: AbortSignal;
  /** What started the run (`manual`, `schedule`, `api`, ...). @default 'manual' */
  readonly trigger?: string;
  /** @default DEFAULT_PUSH_CONCURRENCY (16) */
  readonly concurrency?: number;
  /** Batches started and not yet committed (1: each batch commits before the next is fetched). @default DEFAULT_PIPELINE_DEPTH (2) */
  readonly pipelineDepth?: number;
  /**
   * Trust a database schema found fitting its unchanged declaration this recently, without reading it again
   * (a schema changed by hand in Notion is still caught at the first write it breaks). @default DEFAULT_SCHEMA_RECHECK_MS (1 hour)
   */
  readonly schemaRecheckMs?: number;
  /** @default DEFAULT_CREATE_SETTLE_MS (15 s) */
  readonly createSettleMs?: number;
  /** Apply destructive schema migrations. @default false */
  readonly allowDestructive?: boolean;
  /** `NOTION_API_TOKEN` / `NOTION_API_BASE_URL` for the worker's own `context.notion`. */
  readonly workerEnv?: WorkerEnvironment;
  /** Per-step timeout of the worker's execute, in ms. @default the driver's (10 minutes) */
  readonly stepTimeoutMs?: number;
  /** Called with the run's id as soon as it is recorded (the scheduler answers a trigger with it). */
  readonly onRunStarted?: (runId: string) => void;
}

type ErrorJson = NonNullable<SyncRunOutcome['error']>;

function errorJson(e: unknown): ErrorJson {
  const error = toNotionSyncError(e);
  if (error instanceof NotionSyncError) return error.toJSON();
  const err = error instanceof Error ? error : new Error(String(error));
  return { code: 'internal', name: err.name, message: err.message };
}

/** A batch in which some rows failed: its cursor was not advanced, so the next run repeats it. */
class BatchFailedError extends WorkerError {
  constructor(failed: readonly RowOutcome[]) {
    const first = failed[0];
    super(
      `${failed.length} row(s) failed to write; first: "${first?.key}" of "${first?.databaseKey}": ${first?.error?.message ?? 'unknown error'}`,
      {
        cause: first?.error,
        hint: 'The next run repeats this batch (rows already written are unchanged then). See `runs logs <run>`.',
      },
    );
  }
}

/** A batch fetched whose writes were started. */
interface StartedBatch {
  /** 1-based, in the run. */
  readonly number: number;
  readonly changes: number;
  readonly advance: CursorAdvance;
  readonly pacerStates: PacerStates;
  /** The rows it writes ({@link rowId}). */
  readonly rows: readonly string[];
  readonly written: Promise<BatchResult>;
}

interface CommittedBatch {
  readonly failed: readonly RowOutcome[];
  /** Relation links the backlog pass completed. */
  readonly completed: number;
}

function tally(counts: PushCounts, rows: readonly RowOutcome[]): void {
  for (const row of rows) counts[row.action] += 1;
}

/**
 * Runs one cycle of a worker sync into Notion (or resumes the cycle in progress): `execute` until `hasMore` is
 * false, each batch committed in order with its cursor once its own writes are done (DESIGN invariant 2), while
 * the next batch is already fetched and written (`pipelineDepth`; writes to one row stay ordered, so a resume
 * repeats at most the batches in flight, harmlessly); then, in `replace` mode and only when every batch
 * committed, the mark-and-sweep (invariant 4). Creates never duplicate (invariant 3).
 * Everything is recorded in `runs` and `run_events` (the worker's console output included).
 *
 * Never throws for a failing sync: the outcome says what happened. Throws only when the store itself fails.
 *
 * ### Examples
 * ```ts
 * import { createGateway, loadWorker, openStore, runSyncCycle } from 'notion-sync';
 *
 * const store = await openStore('sqlite:./notion-sync.db');
 * const gateway = createGateway({ token: process.env.NOTION_TOKEN ?? '' });
 * const worker = await loadWorker('./workers/tickets.ts');
 * const outcome = await runSyncCycle({
 *   store, gateway, worker, workerModulePath: './workers/tickets.ts',
 *   syncKey: 'ticketsSync', parentPageId: '0123456789abcdef0123456789abcdef',
 * });
 * console.log(outcome.status, outcome.counts, outcome.sweep.trashed);
 * ```
 */
export async function runSyncCycle(options: RunSyncCycleOptions): Promise<SyncRunOutcome> {
  if (options.preview) return previewSyncCycle(options);
  const { store, gateway, syncKey } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const callsAtStart = gateway.metrics.snapshot().total.calls;
  const apiCalls = (): number => gateway.metrics.snapshot().total.calls - callsAtStart;
  const counts = zeroPushCounts();
  const run = await store.runs.start({ kind: 'sync', target: syncKey, trigger: options.trigger ?? 'manual' });
  options.onRunStarted?.(run.id);
  const event = (
    level: WorkerLogEntry['level'],
    message: string,
    fields?: Record<string, unknown>,
  ): Promise<number> => store.runs.appendEvent(run.id, { level, message, ...(fields ? { fields } : {}) });
  const workerLogs = async (logs: readonly WorkerLogEntry[]): Promise<void> => {
    for (const log of logs) await event(log.level, log.message, { source: 'worker', atMs: log.atMs });
  };
  const holder = runLeaseHolder(run.id);
  const leaseName = `push:${syncKey}`;
  let batches = 0;
  let committedBatches = 0;
  let trashed = 0;
  let cycleComplete = false;
  let push: PushSyncState | undefined;
  let completedCycles = 0;
  let disabled = false;

  const lease = await store.leases.acquire(leaseName, holder, PUSH_LEASE_TTL_MS);
  if (!lease.acquired) {
    const error =
      lease.heldBy === undefined
        ? new LeaseHeldError(`Sync "${syncKey}" is already running in another process.`, {
            hint: 'Wait for the running cycle to finish, or check `notion-sync sync status`.',
          })
        : leaseHeldError(`Sync "${syncKey}"`, describeHeldLease(lease.heldBy), `sync:${syncKey}`);
    await store.runs.finish(run.id, { status: 'failed', error: error.toJSON(), apiCalls: 0 });
    return {
      runId: run.id,
      syncKey,
      status: 'failed',
      counts,
      sweep: { trashed: 0 },
      unresolvedRelations: [],
      apiCalls: 0,
      batches: 0,
      cycleComplete: false,
      syncStatus: 'WARNING',
      error: error.toJSON(),
    };
  }

  try {
    const description = readWorkerManifest(options.worker.manifest, options.workerModulePath);
    const sync = getWorkerSync(description, syncKey);
    const record = await store.syncState.get(syncKey);
    disabled = record?.status === 'paused';
    push = readPushSyncState(record?.state);
    completedCycles = push.completedCycles;
    // Read-only first: existing bindings, and whether databases must be created or migrated (a destructive
    // migration is refused here). Nothing is written before the first batch has been validated.
    const ensureOptions = {
      store,
      gateway,
      description,
      parentPageId: options.parentPageId,
      allowDestructive: options.allowDestructive ?? false,
      schemaRecheckMs: options.schemaRecheckMs ?? DEFAULT_SCHEMA_RECHECK_MS,
      clock,
      logger,
    };
    const planned = await ensureDatabases({
      ...ensureOptions,
      databaseKeys: [sync.databaseKey],
      dryRun: true,
      // Nothing to create or migrate: the check stands (a store write only).
      recordSchemaCheck: true,
    });
    const bindings = new Map<string, DatabaseBinding>(planned.bindings);
    let databasesReady = planned.created.length === 0 && planned.migrated.length === 0;
    const lanes = new RowLanes();
    const resuming =
      push.cursor.cycleInProgress && push.targetCycle !== null && record?.cycleStartedAt != null;
    const cycleStartedAt = resuming
      ? (record?.cycleStartedAt as string)
      : new Date(clock.now()).toISOString();
    const baseContext: PushContext = {
      store,
      gateway,
      clock,
      logger,
      description,
      bindings,
      syncTarget: undefined,
      cycle: null,
      concurrency: options.concurrency ?? DEFAULT_PUSH_CONCURRENCY,
      createSettleMs: options.createSettleMs ?? DEFAULT_CREATE_SETTLE_MS,
      preview: false,
      users: {},
      lanes,
    };
    let ctx: PushContext | undefined;
    let target = '';
    let cycle = 0;

    /** Before the first write: databases created or migrated, the cycle started, pending creates settled. */
    const startWriting = async (): Promise<PushContext> => {
      if (!databasesReady) {
        const ensured = await ensureDatabases({ ...ensureOptions, databaseKeys: [sync.databaseKey] });
        for (const [k, b] of ensured.bindings) bindings.set(k, b);
        for (const key of ensured.created) await event('info', 'database created', { databaseKey: key });
        for (const m of ensured.migrated) await event('info', 'database migrated', { ...m });
        databasesReady = true;
      }
      target = (bindings.get(sync.databaseKey) as DatabaseBinding).dataSourceId;
      const state = push as PushSyncState;
      if (resuming) {
        cycle = state.targetCycle as number;
        await event('info', 'cycle resumed', { cycle, mode: sync.mode });
      } else {
        cycle = await nextTargetCycle(store, target);
        push = { ...state, targetCycle: cycle };
        await event('info', 'cycle started', { cycle, mode: sync.mode });
      }
      await store.syncState.save(syncKey, {
        status: disabled ? 'paused' : 'running',
        cycleStartedAt,
        state: writePushSyncState(push as PushSyncState),
      });
      const writing: PushContext = { ...baseContext, syncTarget: target, cycle };
      const binding = bindings.get(sync.databaseKey) as DatabaseBinding;
      if (
        binding.lifecycle === 'attached' &&
        (await store.keyMap.count(target, { includeDeleted: true })) === 0
      ) {
        // First write into a database the user attached: adopt the rows it already holds, by primary key.
        const adopted = await adoptExistingRows(
          store,
          gateway,
          target,
          getWorkerDatabase(description, sync.databaseKey),
        );
        if (adopted > 0)
          await event('info', 'existing rows adopted', { databaseKey: sync.databaseKey, count: adopted });
      }
      // Recovery: settle creates left pending by a crash or a lost answer before anything else writes.
      for (const binding of bindings.values()) {
        const db = description.databases.find((d) => d.key === binding.databaseKey);
        if (db === undefined) continue;
        const settled = await reconcileTarget(writing, db, binding.dataSourceId);
        if (settled > 0)
          await event('info', 'pending creates settled', { databaseKey: db.key, count: settled });
      }
      return writing;
    };

    let pacerStates = await getPacerStates(store, options.workerModulePath);
    /** The cursor after the last batch fetched (committed or not): where the next `execute` starts. */
    let fetchedCursor = push.cursor;
    let fetchedAll = false;
    /** Rows claimed by batches started and not yet committed (row id → how many batches). */
    const claims = new Map<string, number>();
    const claim = (rows: readonly string[], by: 1 | -1): void => {
      for (const id of rows) {
        const n = (claims.get(id) ?? 0) + by;
        if (n > 0) claims.set(id, n);
        else claims.delete(id);
      }
    };

    /** Fetches the next batch (one `execute`), validates it and starts its writes. */
    const next = async (): Promise<StartedBatch | undefined> => {
      if (fetchedAll) return undefined;
      if (options.signal?.aborted)
        throw new CancelledError(`Sync "${syncKey}" was cancelled between batches.`);
      const step = await executeStep(options.worker, syncKey, {
        state: stateForNextStep(sync.mode, fetchedCursor),
        pacerStates,
        description,
        clock,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.workerEnv ? { env: options.workerEnv } : {}),
        ...(options.stepTimeoutMs !== undefined ? { timeoutMs: options.stepTimeoutMs } : {}),
      }).catch(async (e: unknown) => {
        await workerLogs(stepLogsOf(e));
        throw e;
      });
      batches += 1;
      await workerLogs(step.logs);
      pacerStates = step.nextPacerStates;
      const advance = advanceCursor(syncKey, sync.mode, step);
      const prepared = await prepareBatch(ctx ?? baseContext, step.changes);
      ctx ??= await startWriting();

      // Databases other than the sync's own that this batch writes are made ready first.
      const others = [...new Set(step.changes.map((c) => c.targetDatabaseKey))].filter(
        (k) => !bindings.has(k),
      );
      if (others.length > 0) {
        const more = await ensureDatabases({ ...ensureOptions, databaseKeys: others });
        for (const [k, b] of more.bindings) bindings.set(k, b);
      }
      fetchedCursor = advance.cursor;
      fetchedAll = advance.cycleComplete;
      const rows = prepared.changes.flatMap((c) => {
        const rowTarget = bindings.get(c.targetDatabaseKey)?.dataSourceId;
        return rowTarget === undefined ? [] : [rowId(rowTarget, c.key)];
      });
      claim(rows, 1);
      const written = writeBatch(ctx, prepared);
      // Awaited when the batch commits; until then a failure must not surface as an unhandled rejection.
      written.catch(() => undefined);
      return { number: batches, changes: step.changes.length, advance, pacerStates, rows, written };
    };

    /**
     * Waits for a batch's writes and commits its key map entries, backlog and pacer states, with its cursor when
     * `advance` (DESIGN invariant 2). Returns the rows that failed.
     */
    const commitBatch = async (batch: StartedBatch, advance: boolean): Promise<CommittedBatch> => {
      const writing = ctx as PushContext;
      const result = await batch.written;
      const state = push as PushSyncState;
      claim(batch.rows, -1);
      tally(counts, result.rows);
      const pass = await completeBacklog(
        writing,
        mergeBacklog(state.backlog, result.backlogCleared, result.backlogAdded),
        (t, k) => claims.has(rowId(t, k)),
      );
      const failed = result.rows.filter((r) => r.action === 'failed');
      for (const f of failed) {
        await event('warn', 'row failed', {
          databaseKey: f.databaseKey,
          key: f.key,
          error: errorJson(f.error),
        });
      }
      // A batch with a failed row keeps its cursor: the next run repeats it (harmless for the rows written).
      const moves = advance && failed.length === 0;
      const endsCycle = moves && batch.advance.cycleComplete;
      const nextState: PushSyncState = {
        ...state,
        cursor: moves ? batch.advance.cursor : state.cursor,
        backlog: pass.remaining,
        ...(endsCycle ? { completedCycles: state.completedCycles + 1, targetCycle: null } : {}),
      };
      await store.transaction(async (tx) => {
        await tx.keyMap.upsertMany(result.entries);
        await tx.syncState.save(syncKey, {
          state: writePushSyncState(nextState),
          ...(endsCycle ? { cycle: (record?.cycle ?? 0) + 1 } : {}),
        });
        await savePacerStates(tx, options.workerModulePath, batch.pacerStates);
      });
      lanes.committed(result.entries);
      push = nextState;
      return { failed, completed: pass.completed };
    };

    /**
     * Rows Notion refused as not fitting their database (`validation_error`): re-reads those databases' schema
     * (the schema check that skipped reading it is forgotten) and names what was changed in Notion, if anything.
     */
    const schemaDriftOf = async (failed: readonly RowOutcome[]): Promise<WorkerError | undefined> => {
      const keys = new Set(failed.filter((f) => isValidationRejection(f.error)).map((f) => f.databaseKey));
      for (const databaseKey of keys) {
        const binding = bindings.get(databaseKey);
        if (binding === undefined) continue;
        const drift = await checkSchemaAfterRejection({
          store,
          gateway,
          database: getWorkerDatabase(description, databaseKey),
          binding,
          resolveDataSourceId: (k) => bindings.get(k)?.dataSourceId,
        });
        if (drift !== undefined) return drift;
      }
      return undefined;
    };

    await runBatchPipeline<StartedBatch>(options.pipelineDepth ?? DEFAULT_PIPELINE_DEPTH, {
      next,
      salvage: async (batch) => {
        await commitBatch(batch, false);
      },
      commit: async (batch) => {
        const { failed, completed } = await commitBatch(batch, true);
        if (failed.length > 0) {
          throw (await schemaDriftOf(failed)) ?? new BatchFailedError(failed);
        }
        committedBatches += 1;
        logger('info', 'batch committed', { syncKey, batch: batch.number, changes: batch.changes });
        await event('info', 'batch committed', {
          batch: batch.number,
          changes: batch.changes,
          relationsCompleted: completed,
        });
        await store.runs.updateProgress(run.id, { counts: runCounts(counts), apiCalls: apiCalls() });
        await store.leases.renew(leaseName, holder, PUSH_LEASE_TTL_MS);
      },
    });
    cycleComplete = true;
    completedCycles = push.completedCycles;

    // DESIGN invariant 4: only here, after a complete cycle in which every batch committed.
    if (sync.mode === 'replace') {
      const swept = await sweepTarget(ctx as PushContext, target, cycle, cycleStartedAt);
      trashed = swept.length;
      if (trashed > 0)
        await event('info', 'sweep trashed pages', { count: trashed, keys: swept.slice(0, 100) });
    }
    const health = { disabled, completedCycles, consecutiveFailures: 0 };
    await store.syncState.save(syncKey, {
      status: disabled ? 'paused' : 'idle',
      consecutiveFailures: 0,
      cycleStartedAt: null,
      nextRunAt: null,
    });
    const outcome: SyncRunOutcome = {
      runId: run.id,
      syncKey,
      status: 'succeeded',
      counts,
      sweep: { trashed },
      unresolvedRelations: push.backlog,
      apiCalls: apiCalls(),
      batches,
      cycleComplete,
      syncStatus: syncStatus(health),
    };
    if (push.backlog.length > 0)
      await event('warn', 'relations unresolved', {
        count: push.backlog.length,
        links: push.backlog.slice(0, 50),
      });
    await store.runs.finish(run.id, {
      status: 'succeeded',
      counts: runCounts(counts, trashed),
      apiCalls: outcome.apiCalls,
    });
    return outcome;
  } catch (e) {
    const error = errorJson(e);
    const cancelled = e instanceof CancelledError;
    const wroteSomething = committedBatches > 0 || counts.created + counts.updated + counts.deleted > 0;
    const status: SyncRunOutcome['status'] = cancelled ? 'cancelled' : wroteSomething ? 'partial' : 'failed';
    const record = await store.syncState.get(syncKey);
    const consecutiveFailures = (record?.consecutiveFailures ?? 0) + (cancelled ? 0 : 1);
    const retryAfterMs = e instanceof WorkerRateLimitError ? e.retryAfterMs : undefined;
    const nextRunAt = cancelled
      ? undefined
      : new Date(
          clock.now() +
            failureBackoffMs(consecutiveFailures, retryAfterMs === undefined ? {} : { retryAfterMs }),
        ).toISOString();
    if (record !== undefined || push !== undefined) {
      await store.syncState.save(syncKey, {
        status: disabled ? 'paused' : cancelled ? 'idle' : 'failed',
        consecutiveFailures,
        nextRunAt: nextRunAt ?? null,
      });
    }
    await event('error', 'run failed', { error });
    const apiCallCount = apiCalls();
    await store.runs.finish(run.id, {
      status,
      counts: runCounts(counts, trashed),
      apiCalls: apiCallCount,
      error,
    });
    const health = { disabled, completedCycles, consecutiveFailures };
    return {
      runId: run.id,
      syncKey,
      status,
      counts,
      sweep: { trashed },
      unresolvedRelations: push?.backlog ?? [],
      apiCalls: apiCallCount,
      batches,
      cycleComplete,
      syncStatus: syncStatus(health) satisfies SyncStatus,
      ...(nextRunAt ? { nextRunAt } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      error,
    };
  } finally {
    await store.leases.release(leaseName, holder);
  }
}

/**
 * Maps every row an attached database already holds to its primary key (content unknown: the first write of each
 * sends all its properties). `lastWrittenAt` stays null until we write the row: a row we never wrote is not ours
 * to sweep. Returns how many were adopted.
 */
async function adoptExistingRows(
  store: Store,
  gateway: NotionGateway,
  target: string,
  database: WorkerDatabase,
): Promise<number> {
  const pages = await pagesByPrimaryKey(gateway, target, database);
  await store.keyMap.upsertMany(
    [...pages].map(([key, pageId]) => ({
      target,
      key,
      pageId,
      contentHash: null,
      bodyHash: null,
      upstreamUpdatedAt: null,
      lastCycleSeen: null,
      deleted: false,
      lastWrittenAt: null,
    })),
  );
  return pages.size;
}

function runCounts(
  counts: PushCounts,
  swept = 0,
): { created: number; updated: number; unchanged: number; deleted: number; failed: number } {
  return {
    created: counts.created,
    updated: counts.updated,
    unchanged: counts.unchanged + counts.skippedStale,
    deleted: counts.deleted + swept,
    failed: counts.failed,
  };
}
