import { InvalidConfigError, NotFoundError } from '../errors.js';
import { loadConfig, type LoadConfigOptions, type ResolvedConfig } from '../config/load-config.js';
import { gatewayOptionsFromConfig } from '../config/gateway-options.js';
import { createGateway } from '../notion/create-gateway.js';
import type { NotionGateway } from '../notion/gateway.js';
import { parseNotionId } from '../notion/notion-id.js';
import { openStore, type Store } from '../store/index.js';
import { loadWorkerModule, type WorkerModule } from '../workers/load-worker.js';

/** Where a sync's worker module and parent page come from. */
export interface SyncModuleSource {
  /** A worker module path given on the command line (`--worker`); wins over the config file. */
  readonly workerPath?: string;
  /** The parent page for managed databases (`--parent-page`, id or URL); wins over the config's `parentPage`. */
  readonly parentPage?: string;
}

/** The worker module that declares a sync, and the parent page for its managed databases. */
export interface ResolvedSyncModule {
  readonly module: WorkerModule;
  /** Parsed page id, when configured. */
  readonly parentPageId: string | undefined;
}

/**
 * Finds the worker module of `syncKey`: the `--worker` path, or the config's `workers[]` module that declares it
 * (each loaded once).
 *
 * @throws NotFoundError when no module is given or configured, or none declares the sync (listing the known ones).
 */
export async function resolveSyncModule(
  config: ResolvedConfig,
  syncKey: string,
  source: SyncModuleSource = {},
): Promise<ResolvedSyncModule> {
  const parent = (fallback: string | undefined): string | undefined => {
    const raw = source.parentPage ?? fallback;
    return raw === undefined ? undefined : parseNotionId(raw);
  };
  if (source.workerPath !== undefined) {
    return { module: await loadWorkerModule(source.workerPath), parentPageId: parent(undefined) };
  }
  if (config.workers.length === 0) {
    throw new NotFoundError(`No worker module is configured, so sync "${syncKey}" cannot be found.`, {
      hint: 'Pass --worker <path/to/worker.ts>, or add `workers: [{ module, parentPage }]` to notion-sync.config.ts.',
    });
  }
  const known: string[] = [];
  for (const entry of config.workers) {
    const module = await loadWorkerModule(entry.module);
    if (module.description.syncs.some((s) => s.key === syncKey)) {
      return { module, parentPageId: parent(entry.parentPage) };
    }
    known.push(...module.description.syncs.map((s) => s.key));
  }
  throw new NotFoundError(
    `Unknown sync "${syncKey}". Known syncs: ${known.length ? known.map((k) => `"${k}"`).join(', ') : 'none'}`,
    { hint: 'Use a sync key declared with worker.sync() in a configured worker module, or pass --worker.' },
  );
}

/** Options of {@link openPushEnvironment}. */
export interface PushEnvironmentOptions extends LoadConfigOptions {
  /** Talk to this emulator (or any Notion-compatible API) instead of api.notion.com; no token needed. */
  readonly emulatorUrl?: string;
}

/** A loaded config with its store and gateway open. */
export interface PushEnvironment {
  readonly config: ResolvedConfig;
  readonly store: Store;
  readonly gateway: NotionGateway;
  close(): Promise<void>;
}

/** Token sent to an emulator, which accepts any bearer token unless started with one. */
const EMULATOR_TOKEN = 'emulator-no-token';

/**
 * Loads the config and opens the store and the gateway (NOTION_TOKEN, or `emulatorUrl`).
 *
 * @throws InvalidConfigError when neither NOTION_TOKEN nor an emulator URL is given.
 */
export async function openPushEnvironment(options: PushEnvironmentOptions = {}): Promise<PushEnvironment> {
  const config = await loadConfig(options);
  if (config.token === undefined && options.emulatorUrl === undefined) {
    throw new InvalidConfigError('NOTION_TOKEN is not set, so notion-sync cannot write to Notion.', [], {
      hint: 'Export NOTION_TOKEN=<your integration secret>, or pass --emulator-url <url> (start one with `notion-sync emulator`).',
    });
  }
  const gateway = createGateway(
    gatewayOptionsFromConfig(config, {
      token: config.token ?? EMULATOR_TOKEN,
      ...(options.emulatorUrl === undefined ? {} : { baseUrl: options.emulatorUrl }),
    }),
  );
  const store = await openStore(config.store);
  return { config, store, gateway, close: () => store.close() };
}
