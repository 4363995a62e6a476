import { loadConfig } from '../config/load-config.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { registerSecret } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { Job } from '../schedule/job.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { StartableEngine } from './trigger-only-engine.js';
import { createTriggerOnlyEngine } from './trigger-only-engine.js';

export interface OpenEngineOptions {
  /** An explicit config file; default: the usual names in the working directory. */
  readonly configPath?: string | undefined;
  /** A store URL overriding the config's. */
  readonly store?: string | undefined;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** The jobs to drive. @default none (until the scheduler builds them from the config) */
  readonly jobs?: readonly Job[];
  /** @default silentLogger */
  readonly logger?: Logger;
}

/** What `serve` and `mcp` run on: the config, the store, a started engine and the API token. */
export interface OpenedEngine {
  readonly config: ResolvedConfig;
  readonly store: Store;
  readonly engine: StartableEngine;
  /** `NOTION_SYNC_API_TOKEN`, when set (registered as a secret). */
  readonly apiToken: string | undefined;
  /** Stops the engine (runs in flight are cancelled and settle) and closes the store. */
  close(): Promise<void>;
}

/**
 * Loads the config, opens the store and starts the engine that the daemon's edges drive. Both tokens are
 * registered as secrets first, so no message can print them.
 */
export async function openEngine(options: OpenEngineOptions = {}): Promise<OpenedEngine> {
  const env = options.env ?? process.env;
  const apiToken = env['NOTION_SYNC_API_TOKEN'] || undefined;
  registerSecret(apiToken);
  registerSecret(env['NOTION_TOKEN']);
  const config = await loadConfig({
    env,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.configPath === undefined ? {} : { configPath: options.configPath }),
  });
  const store = await openStore(options.store ?? config.store);
  const engine = createTriggerOnlyEngine({
    store,
    jobs: options.jobs ?? [],
    logger: options.logger ?? silentLogger,
  });
  engine.start();
  return {
    config,
    store,
    engine,
    apiToken,
    async close() {
      await engine.stop();
      await store.close();
    },
  };
}
