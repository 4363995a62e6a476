import type { Clock } from '../../clock.js';
import { loadConfig, type ResolvedConfig } from '../../config/load-config.js';
import { openStore, type Store } from '../../store/index.js';
import { RESERVED_SYNC_KEY_PREFIXES } from '../../push/push-records.js';
import { openPushEnvironment, resolveSyncModule, type PushEnvironment } from '../../push/push-environment.js';
import { runSyncCycle } from '../../push/run-sync-cycle.js';
import { getSyncStatus, resetSyncState, type SyncStatusReport } from '../../push/sync-status.js';
import type { PreviewRow, SyncRunOutcome } from '../../push/sync-run-outcome.js';
import { loadWorkerModule } from '../../workers/load-worker.js';
import { systemClock } from '../../system-clock.js';
import { ExitError } from '../exit-error.js';

/** What every `sync` subcommand accepts. */
export interface SyncCommandOptions {
  /** Use this Notion-compatible API (e.g. `notion-sync emulator`) instead of api.notion.com; no token needed. */
  readonly emulatorUrl?: string;
  /** Print JSON instead of prose. */
  readonly json?: boolean;
  /** Config file. @default notion-sync.config.* in `cwd` */
  readonly config?: string;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** Environment (NOTION_TOKEN, NOTION_SYNC_STORE). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where lines go. @default console.log */
  readonly out?: (line: string) => void;
}

/** Options of `sync trigger`. */
export interface SyncTriggerOptions extends SyncCommandOptions {
  readonly syncKey: string;
  /** Show what the cycle would do; write nothing. */
  readonly preview?: boolean;
  /** The worker module. @default the configured module that declares the sync */
  readonly worker?: string;
  /** Parent page (id or URL) for managed databases. @default the config's `parentPage` */
  readonly parentPage?: string;
  /** Apply destructive schema migrations. */
  readonly allowDestructive?: boolean;
  /** Aborting stops the cycle once the batches in flight have committed. */
  readonly signal?: AbortSignal;
}

/** Options of `sync status`. */
export interface SyncStatusOptions extends SyncCommandOptions {
  readonly syncKey?: string;
  /** Print again every `intervalMs` until `signal` aborts (default: Ctrl-C). */
  readonly watch?: boolean;
  /** @default 2000 ms */
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
  /** @default systemClock */
  readonly clock?: Clock;
}

function writer(options: SyncCommandOptions): (line: string) => void {
  return options.out ?? ((line: string) => console.log(line));
}

async function withEnvironment<T>(
  options: SyncCommandOptions,
  fn: (env: PushEnvironment) => Promise<T>,
): Promise<T> {
  const env = await openPushEnvironment({
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.config !== undefined ? { configPath: options.config } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
    ...(options.emulatorUrl !== undefined ? { emulatorUrl: options.emulatorUrl } : {}),
  });
  try {
    return await fn(env);
  } finally {
    await env.close();
  }
}

/** Status and reset only read and write the store: no token needed. */
async function withStore<T>(
  options: SyncCommandOptions,
  fn: (config: ResolvedConfig, store: Store) => Promise<T>,
): Promise<T> {
  const config = await loadConfig({
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.config !== undefined ? { configPath: options.config } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
  });
  const store = await openStore(config.store);
  try {
    return await fn(config, store);
  } finally {
    await store.close();
  }
}

function countsLine(outcome: SyncRunOutcome): string {
  const c = outcome.counts;
  return `created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}, deleted ${c.deleted}, failed ${c.failed}, stale ${c.skippedStale}, swept ${outcome.sweep.trashed}`;
}

/** What Notion holds for a row, as a note after its line (empty when it matches). */
function notionNote(row: PreviewRow, action: 'create' | 'update' | 'unchanged' | 'delete'): string {
  const n = row.notion;
  if (n === undefined) return '';
  if (n.unmappedPageId !== undefined)
    return ` [Notion already has a page with this key that notion-sync never wrote (${n.unmappedPageId}): a run adds a second one]`;
  if (n.page === 'gone')
    return action === 'update'
      ? ' [its page is trashed in Notion: the update restores it]'
      : action === 'delete'
        ? ' [its page is already gone from Notion]'
        : ' [its page is trashed in Notion: a run leaves it so, the source being unchanged]';
  if (n.page !== 'live') return '';
  if (action === 'update')
    return n.differs.length > 0
      ? ` [differs in Notion now: ${n.differs.join(', ')}]`
      : ' [Notion already holds these values]';
  if (action === 'unchanged' && n.differs.length > 0)
    return ` [edited in Notion: ${n.differs.join(', ')} differ from the source; a run leaves them, the source being unchanged]`;
  return '';
}

function printPreview(out: (line: string) => void, outcome: SyncRunOutcome): void {
  const p = outcome.preview;
  if (p === undefined) return;
  out(
    p.notionRead
      ? `preview of ${outcome.syncKey}: planned from the key map (what a run sends), checked against Notion now (${p.notionRead.livePages} live page(s) read in ${p.notionRead.apiCalls} API call(s); bodies by hash only)`
      : `preview of ${outcome.syncKey}: planned from the key map; its database does not exist in Notion yet`,
  );
  for (const db of p.databasesToCreate) out(`create database ${db}`);
  for (const r of p.creates)
    out(`create ${r.databaseKey}/${r.key}: ${(r.properties ?? []).join(', ')}${notionNote(r, 'create')}`);
  for (const r of p.updates)
    out(
      `update ${r.databaseKey}/${r.key}: ${(r.properties ?? []).join(', ') || '(body)'}${notionNote(r, 'update')}`,
    );
  const drifted = p.unchanged.filter((r) => notionNote(r, 'unchanged') !== '');
  for (const r of drifted) out(`unchanged ${r.databaseKey}/${r.key}${notionNote(r, 'unchanged')}`);
  for (const r of p.deletes) out(`delete ${r.databaseKey}/${r.key}${notionNote(r, 'delete')}`);
  for (const key of p.sweep) out(`sweep ${key}`);
  out(
    `preview: ${p.creates.length} create(s), ${p.updates.length} update(s), ${p.unchanged.length} unchanged (${drifted.length} differing in Notion), ${p.deletes.length} delete(s), ${p.sweep.length} swept; ${outcome.apiCalls} API call(s), nothing was written`,
  );
}

/**
 * `notion-sync sync trigger <sync>`: runs one whole cycle now (or, with `--preview`, shows what it would do and
 * writes nothing). Returns the outcome; throws `ExitError` (after printing why) unless it succeeded.
 */
export async function syncTrigger(options: SyncTriggerOptions): Promise<SyncRunOutcome> {
  const out = writer(options);
  const outcome = await withEnvironment(options, async (env) => {
    const { module, parentPageId } = await resolveSyncModule(env.config, options.syncKey, {
      ...(options.worker !== undefined ? { workerPath: options.worker } : {}),
      ...(options.parentPage !== undefined ? { parentPage: options.parentPage } : {}),
    });
    return runSyncCycle({
      store: env.store,
      gateway: env.gateway,
      worker: module.worker,
      workerModulePath: module.modulePath,
      syncKey: options.syncKey,
      ...(parentPageId !== undefined ? { parentPageId } : {}),
      preview: options.preview ?? false,
      trigger: 'manual',
      allowDestructive: options.allowDestructive ?? false,
      ...(options.signal ? { signal: options.signal } : {}),
      workerEnv: {
        ...(env.config.token !== undefined ? { NOTION_API_TOKEN: env.config.token } : {}),
        ...((options.emulatorUrl ?? env.config.notion?.baseUrl)
          ? { NOTION_API_BASE_URL: options.emulatorUrl ?? env.config.notion?.baseUrl }
          : {}),
      },
    });
  });
  if (options.json) out(JSON.stringify(outcome));
  else if (outcome.preview) printPreview(out, outcome);
  else {
    out(
      `sync ${outcome.syncKey}: ${outcome.status} (run ${outcome.runId}); ${countsLine(outcome)}; ${outcome.apiCalls} API calls`,
    );
    if (outcome.unresolvedRelations.length > 0)
      out(`${outcome.unresolvedRelations.length} relation link(s) wait for rows not written yet`);
  }
  if (outcome.status === 'succeeded') return outcome;
  if (!options.json) {
    out(`error: ${outcome.error?.message ?? outcome.status}`);
    if (outcome.error?.hint) out(`hint: ${outcome.error.hint}`);
    if (outcome.runId) out(`next: notion-sync runs logs ${outcome.runId}`);
  }
  throw new ExitError(outcome.status === 'partial' ? 2 : outcome.status === 'cancelled' ? 130 : 1);
}

async function statusKeys(
  config: ResolvedConfig,
  store: Store,
  syncKey: string | undefined,
): Promise<string[]> {
  if (syncKey !== undefined) return [syncKey];
  const keys = new Set<string>();
  for (const entry of config.workers) {
    const module = await loadWorkerModule(entry.module);
    for (const sync of module.description.syncs) keys.add(sync.key);
  }
  for (const record of await store.syncState.list()) {
    if (!RESERVED_SYNC_KEY_PREFIXES.some((p) => record.syncKey.startsWith(p))) keys.add(record.syncKey);
  }
  return [...keys].sort();
}

function statusLine(r: SyncStatusReport): string {
  const last = r.lastRun
    ? `last run ${r.lastRun.status} at ${r.lastRun.finishedAt ?? r.lastRun.startedAt}`
    : 'never run';
  return [
    r.syncKey,
    r.status,
    `${r.completedCycles} cycle(s)`,
    r.cycleInProgress ? 'cycle in progress' : undefined,
    r.consecutiveFailures
      ? `${r.consecutiveFailures} failure(s), next try ${r.nextRunAt ?? 'now'}`
      : undefined,
    r.unresolvedRelations ? `${r.unresolvedRelations} unresolved link(s)` : undefined,
    last,
  ]
    .filter((s) => s !== undefined)
    .join('  ');
}

/** `notion-sync sync status [<sync>] [--watch]`: each sync's status, last run and backoff. Returns the last reports. */
export async function syncStatusCommand(options: SyncStatusOptions): Promise<SyncStatusReport[]> {
  const out = writer(options);
  const clock = options.clock ?? systemClock;
  return withStore(options, async (config, store) => {
    const keys = await statusKeys(config, store, options.syncKey);
    let stop = options.signal;
    let detach = (): void => {};
    if (options.watch && stop === undefined) {
      const controller = new AbortController();
      const onSigint = (): void => controller.abort();
      process.once('SIGINT', onSigint);
      detach = () => process.off('SIGINT', onSigint);
      stop = controller.signal;
    }
    try {
      for (;;) {
        const reports = await getSyncStatus(store, keys);
        if (options.json) out(JSON.stringify(reports));
        else if (reports.length === 0)
          out(
            'No syncs yet: configure a worker module, or run `notion-sync sync trigger <sync> --worker <path>`.',
          );
        else for (const r of reports) out(statusLine(r));
        if (!options.watch || stop?.aborted) return reports;
        try {
          await clock.sleep(options.intervalMs ?? 2_000, stop);
        } catch {
          return reports;
        }
      }
    } finally {
      detach();
    }
  });
}

/** `notion-sync sync state reset <sync>`: forgets the cursor, cycle and failure stats (the key map is kept). */
export async function syncStateReset(
  options: SyncCommandOptions & { readonly syncKey: string },
): Promise<boolean> {
  const out = writer(options);
  return withStore(options, async (_config, store) => {
    const existed = await resetSyncState(store, options.syncKey);
    if (options.json) out(JSON.stringify({ syncKey: options.syncKey, reset: existed }));
    else
      out(
        existed
          ? `Sync "${options.syncKey}" was reset: its next run starts a new cycle from the beginning.`
          : `Sync "${options.syncKey}" had no state to reset.`,
      );
    return existed;
  });
}
