import { silentLogger } from '../logger.js';
import { systemClock } from '../system-clock.js';
import { advanceCursor, stateForNextStep, syncStatus } from '../workers/cycle-planner.js';
import { executeStep } from '../workers/sync-driver.js';
import { getWorkerSync, readWorkerManifest } from '../workers/worker-manifest.js';
import { prepareBatch, writeBatch, type PushContext } from './apply-batch.js';
import { ensureDatabases } from './ensure-databases.js';
import { getPacerStates, readPushSyncState, type DatabaseBinding } from './push-records.js';
import type { RunSyncCycleOptions } from './run-sync-cycle.js';
import { sweepTarget } from './sweep-target.js';
import { zeroPushCounts, type PreviewRow, type SyncRunOutcome } from './sync-run-outcome.js';

/** Steps a preview runs at most (a preview should not page through an unbounded source forever). */
export const MAX_PREVIEW_STEPS = 1_000;

/**
 * `runSyncCycle({ preview: true })`: runs the worker's steps of one cycle (from where the sync stands) and
 * classifies every change against the key map — our record of what is in Notion, by content hash — without any
 * Notion write and without recording anything in the store: creates, updates (with the properties that would be
 * sent), unchanged rows, deletes, and what the replace-mode sweep would trash. Reads Notion only to check the
 * databases' schema.
 */
export async function previewSyncCycle(options: RunSyncCycleOptions): Promise<SyncRunOutcome> {
  const { store, gateway, syncKey } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const callsAtStart = gateway.metrics.snapshot().total.calls;
  const description = readWorkerManifest(options.worker.manifest, options.workerModulePath);
  const sync = getWorkerSync(description, syncKey);
  const record = await store.syncState.get(syncKey);
  let cursor = readPushSyncState(record?.state).cursor;
  const push = readPushSyncState(record?.state);
  const planned = await ensureDatabases({
    store,
    gateway,
    description,
    databaseKeys: [sync.databaseKey],
    parentPageId: options.parentPageId,
    allowDestructive: options.allowDestructive ?? false,
    dryRun: true,
    logger,
  });
  const bindings = new Map<string, DatabaseBinding>(planned.bindings);
  const target = bindings.get(sync.databaseKey)?.dataSourceId;
  const ctx: PushContext = {
    store,
    gateway,
    clock,
    logger,
    description,
    bindings,
    syncTarget: target,
    cycle: null,
    concurrency: 1,
    createSettleMs: 0,
    preview: true,
    users: {},
  };
  const counts = zeroPushCounts();
  const creates: PreviewRow[] = [];
  const updates: PreviewRow[] = [];
  const unchanged: PreviewRow[] = [];
  const deletes: PreviewRow[] = [];
  const seen = new Set<string>();
  let pacerStates = await getPacerStates(store, options.workerModulePath);
  let batches = 0;
  let complete = false;
  while (batches < MAX_PREVIEW_STEPS) {
    const step = await executeStep(options.worker, syncKey, {
      state: stateForNextStep(sync.mode, cursor),
      pacerStates,
      description,
      clock,
      ...(options.workerEnv ? { env: options.workerEnv } : {}),
    });
    batches += 1;
    pacerStates = step.nextPacerStates;
    const advance = advanceCursor(syncKey, sync.mode, step);
    const result = await writeBatch(ctx, await prepareBatch(ctx, step.changes));
    for (const row of result.rows) {
      counts[row.action] += 1;
      const item: PreviewRow = {
        databaseKey: row.databaseKey,
        key: row.key,
        ...(row.properties ? { properties: row.properties } : {}),
      };
      if (row.databaseKey === sync.databaseKey) seen.add(row.key);
      if (row.action === 'created') creates.push(item);
      else if (row.action === 'updated') updates.push(item);
      else if (row.action === 'deleted') deletes.push(item);
      else unchanged.push(item);
    }
    cursor = advance.cursor;
    if (advance.cycleComplete) {
      complete = true;
      break;
    }
  }
  let sweep: string[] = [];
  if (complete && sync.mode === 'replace' && target !== undefined) {
    // Every live key of the target not listed by this cycle (preview writes no cycle marks: compare by key).
    const candidates = await sweepTarget(
      ctx,
      target,
      Number.MAX_SAFE_INTEGER,
      new Date(clock.now()).toISOString(),
    );
    sweep = candidates.filter((k) => !seen.has(k));
  }
  return {
    runId: '',
    syncKey,
    status: 'succeeded',
    counts,
    sweep: { trashed: sweep.length },
    unresolvedRelations: push.backlog,
    apiCalls: gateway.metrics.snapshot().total.calls - callsAtStart,
    batches,
    cycleComplete: complete,
    syncStatus: syncStatus({
      disabled: record?.status === 'paused',
      completedCycles: push.completedCycles,
      consecutiveFailures: record?.consecutiveFailures ?? 0,
    }),
    preview: { creates, updates, unchanged, deletes, sweep, databasesToCreate: planned.created },
  };
}
