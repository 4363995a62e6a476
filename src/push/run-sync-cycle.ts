import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { CancelledError, LeaseHeldError, NotionSyncError, WorkerError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import type { NotionGateway } from '../notion/gateway.js';
import { toNotionSyncError } from '../notion/notion-api-error.js';
import type { Store } from '../store/index.js';
import { systemClock } from '../system-clock.js';
import {
  advanceCursor,
  failureBackoffMs,
  stateForNextStep,
  syncStatus,
  type SyncStatus,
} from '../workers/cycle-planner.js';
import type { LoadedWorker } from '../workers/load-worker.js';
import {
  executeStep,
  stepLogsOf,
  WorkerRateLimitError,
  type WorkerEnvironment,
  type WorkerLogEntry,
} from '../workers/sync-driver.js';
import { getWorkerSync, readWorkerManifest } from '../workers/worker-manifest.js';
import {
  prepareBatch,
  reconcileTarget,
  writeBatch,
  type PushContext,
  type RowOutcome,
} from './apply-batch.js';
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
import { sweepTarget } from './sweep-target.js';
import { zeroPushCounts, type PushCounts, type SyncRunOutcome } from './sync-run-outcome.js';

/** Rows written at once within a batch (the gateway's pacer still sets the request rate). */
export const DEFAULT_PUSH_CONCURRENCY = 16;
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
  /** Aborting stops the run after the batch in flight (status `cancelled`). */
  readonly signal?: AbortSignal;
  /** What started the run (`manual`, `schedule`, `api`, ...). @default 'manual' */
  readonly trigger?: string;
  /** @default DEFAULT_PUSH_CONCURRENCY (16) */
  readonly concurrency?: number;
  /** @default DEFAULT_CREATE_SETTLE_MS (15 s) */
  readonly createSettleMs?: number;
  /** Apply destructive schema migrations. @default false */
  readonly allowDestructive?: boolean;
  /** `NOTION_API_TOKEN` / `NOTION_API_BASE_URL` for the worker's own `context.notion`. */
  readonly workerEnv?: WorkerEnvironment;
  /** Per-step timeout of the worker's execute, in ms. @default the driver's (10 minutes) */
  readonly stepTimeoutMs?: number;
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

function tally(counts: PushCounts, rows: readonly RowOutcome[]): void {
  for (const row of rows) counts[row.action] += 1;
}

/**
 * Runs one cycle of a worker sync into Notion (or resumes the cycle in progress): `execute` until `hasMore` is
 * false, applying and committing each batch before the next (DESIGN invariant 2); then, in `replace` mode and
 * only when every batch committed, the mark-and-sweep (invariant 4). Creates never duplicate (invariant 3).
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
  const run = await store.runs.start({ kind: 'push', target: syncKey, trigger: options.trigger ?? 'manual' });
  const event = (
    level: WorkerLogEntry['level'],
    message: string,
    fields?: Record<string, unknown>,
  ): Promise<number> => store.runs.appendEvent(run.id, { level, message, ...(fields ? { fields } : {}) });
  const workerLogs = async (logs: readonly WorkerLogEntry[]): Promise<void> => {
    for (const log of logs) await event(log.level, log.message, { source: 'worker', atMs: log.atMs });
  };
  const holder = `${run.id}:${randomUUID()}`;
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
    const error = new LeaseHeldError(
      `Sync "${syncKey}" is already running (lease held by ${lease.heldBy?.holder ?? 'another process'}).`,
      {
        hint: 'Wait for the running cycle to finish, or check `notion-sync sync status`.',
      },
    );
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
      logger,
    };
    const planned = await ensureDatabases({
      ...ensureOptions,
      databaseKeys: [sync.databaseKey],
      dryRun: true,
    });
    const bindings = new Map<string, DatabaseBinding>(planned.bindings);
    let databasesReady = planned.created.length === 0 && planned.migrated.length === 0;
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
    for (;;) {
      if (options.signal?.aborted)
        throw new CancelledError(`Sync "${syncKey}" was cancelled between batches.`);
      const step = await executeStep(options.worker, syncKey, {
        state: stateForNextStep(sync.mode, push.cursor),
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

      const result = await writeBatch(ctx, prepared);
      tally(counts, result.rows);
      const pass = await completeBacklog(
        ctx,
        mergeBacklog(push.backlog, result.backlogCleared, result.backlogAdded),
      );
      const failed = result.rows.filter((r) => r.action === 'failed');
      for (const f of failed) {
        await event('warn', 'row failed', {
          databaseKey: f.databaseKey,
          key: f.key,
          error: errorJson(f.error),
        });
      }
      const endsCycle = failed.length === 0 && advance.cycleComplete;
      const next: PushSyncState = {
        ...push,
        // A batch with a failed row keeps its cursor: the next run repeats it (harmless for the rows written).
        cursor: failed.length === 0 ? advance.cursor : push.cursor,
        backlog: pass.remaining,
        ...(endsCycle ? { completedCycles: push.completedCycles + 1, targetCycle: null } : {}),
      };
      await store.transaction(async (tx) => {
        await tx.keyMap.upsertMany(result.entries);
        await tx.syncState.save(syncKey, {
          state: writePushSyncState(next),
          ...(endsCycle ? { cycle: (record?.cycle ?? 0) + 1 } : {}),
        });
        await savePacerStates(tx, options.workerModulePath, pacerStates);
      });
      push = next;
      if (failed.length > 0) throw new BatchFailedError(failed);
      committedBatches += 1;
      logger('info', 'batch committed', { syncKey, batch: batches, changes: step.changes.length });
      await event('info', 'batch committed', {
        batch: batches,
        changes: step.changes.length,
        relationsCompleted: pass.completed,
      });
      await store.runs.updateProgress(run.id, { counts: runCounts(counts), apiCalls: apiCalls() });
      await store.leases.renew(leaseName, holder, PUSH_LEASE_TTL_MS);
      if (endsCycle) break;
    }
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
      error,
    };
  } finally {
    await store.leases.release(leaseName, holder);
  }
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
