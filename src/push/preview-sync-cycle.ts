import { silentLogger } from '../logger.js';
import { systemClock } from '../system-clock.js';
import { advanceCursor, stateForNextStep, syncStatus } from '../workers/cycle-planner.js';
import { executeStep } from '../workers/sync-driver.js';
import {
  getWorkerDatabase,
  getWorkerSync,
  readWorkerManifest,
  type WorkerDatabase,
} from '../workers/worker-manifest.js';
import type { PageObjectResponse } from '@notionhq/client';
import { prepareBatch, writeBatch, type PreparedUpsert, type PushContext } from './apply-batch.js';
import { ensureDatabases } from './ensure-databases.js';
import { livePages, primaryKeyOf } from './find-pages-by-key.js';
import { propertiesDifferingInNotion } from './notion-drift.js';
import { getPacerStates, readPushSyncState, type DatabaseBinding } from './push-records.js';
import type { RunSyncCycleOptions } from './run-sync-cycle.js';
import { sweepTarget } from './sweep-target.js';
import {
  zeroPushCounts,
  type PreviewNotionState,
  type PreviewRow,
  type SyncPreview,
  type SyncRunOutcome,
} from './sync-run-outcome.js';

/** Steps a preview runs at most (a preview should not page through an unbounded source forever). */
export const MAX_PREVIEW_STEPS = 1_000;

/**
 * `runSyncCycle({ preview: true })`: runs the worker's steps of one cycle (from where the sync stands) and
 * classifies every change as a real run would — against the key map, our record of what is in Notion, by
 * content hash — without any Notion write and without recording anything in the store: creates, updates (with
 * the properties that would be sent), unchanged rows, deletes, and what the replace-mode sweep would trash.
 *
 * Then it checks that plan against Notion as it is now: it reads the schema, and every live page of the sync's
 * database (one query call per 100 pages), and gives each row of that database what Notion holds
 * ({@link PreviewNotionState}): the properties whose current value differs from the source's (an "unchanged"
 * row with differences was edited in Notion, and a run leaves it so), pages trashed in Notion, and keys present
 * in Notion that notion-sync never mapped. Page bodies are compared by the key map's hash only.
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
  /** The last upsert of each key of the sync's database, converted: compared with Notion at the end. */
  const writes = new Map<string, PreparedUpsert>();
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
    const prepared = await prepareBatch(ctx, step.changes);
    for (const row of prepared.upserts.values()) {
      if (row.database.key === sync.databaseKey) writes.set(row.change.key, row);
    }
    const result = await writeBatch(ctx, prepared);
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
  let notionRead: SyncPreview['notionRead'];
  let rows = { creates, updates, unchanged, deletes };
  if (target !== undefined) {
    const callsBefore = gateway.metrics.snapshot().total.calls;
    const check = await notionCheck(ctx, target, getWorkerDatabase(description, sync.databaseKey), writes);
    const annotate = (list: readonly PreviewRow[]): Promise<PreviewRow[]> =>
      Promise.all(list.map((row) => (row.databaseKey === sync.databaseKey ? check.annotate(row) : row)));
    rows = {
      creates: await annotate(creates),
      updates: await annotate(updates),
      unchanged: await annotate(unchanged),
      deletes: await annotate(deletes),
    };
    notionRead = {
      livePages: check.livePages,
      apiCalls: gateway.metrics.snapshot().total.calls - callsBefore,
    };
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
    preview: {
      ...rows,
      sweep,
      databasesToCreate: planned.created,
      ...(notionRead ? { notionRead } : {}),
    },
  };
}

/** Reads the live pages of the sync's database once, then tells each row what Notion holds for it. */
async function notionCheck(
  ctx: PushContext,
  target: string,
  database: WorkerDatabase,
  writes: ReadonlyMap<string, PreparedUpsert>,
): Promise<{ livePages: number; annotate(row: PreviewRow): Promise<PreviewRow> }> {
  const pages = await livePages(ctx.gateway, target);
  const byId = new Map(pages.map((p) => [normalizeId(p.id), p]));
  const byKey = new Map<string, PageObjectResponse>();
  for (const page of pages) {
    const key = primaryKeyOf(page, database.primaryKeyProperty);
    if (key !== undefined && !byKey.has(key)) byKey.set(key, page);
  }
  const differs = (key: string, page: PageObjectResponse | undefined): string[] => {
    const write = writes.get(key);
    if (write === undefined || page === undefined) return [];
    return propertiesDifferingInNotion(
      write.properties,
      page,
      new Set(write.unresolved.map((u) => u.property)),
    );
  };
  return {
    livePages: pages.length,
    async annotate(row) {
      const entry = await ctx.store.keyMap.get(target, row.key);
      let notion: PreviewNotionState;
      if (entry !== undefined) {
        const page = entry.deleted ? undefined : byId.get(normalizeId(entry.pageId));
        notion = { page: page ? 'live' : 'gone', differs: differs(row.key, page) };
      } else {
        const unmapped = byKey.get(row.key);
        notion = {
          page: 'none',
          differs: differs(row.key, unmapped),
          ...(unmapped ? { unmappedPageId: unmapped.id } : {}),
        };
      }
      return { ...row, notion };
    },
  };
}

function normalizeId(id: string): string {
  return id.replace(/-/g, '').toLowerCase();
}
