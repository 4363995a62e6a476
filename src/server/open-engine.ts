import type { Clock } from '../clock.js';
import { loadConfig, normalizeStoreUrl } from '../config/load-config.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { registerSecret } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { GatewayMetricsSnapshot } from '../notion/gateway-metrics.js';
import { buildJobs } from '../schedule/build-jobs.js';
import type { JobFactories, UnscheduledEntry } from '../schedule/build-jobs.js';
import type { Job } from '../schedule/job.js';
import type { Scheduler } from '../schedule/scheduler.js';
import { createScheduler } from '../schedule/scheduler.js';
import { sharedGateway } from '../schedule/shared-gateway.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { systemClock } from '../system-clock.js';

export interface OpenEngineOptions {
  /** An explicit config file; default: the usual names in the working directory. */
  readonly configPath?: string | undefined;
  /** A store URL overriding the config's. */
  readonly store?: string | undefined;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** The jobs to drive. @default the ones `buildJobs` makes from the config with `factories` */
  readonly jobs?: readonly Job[];
  /** The engines that build jobs. @default the ones registered with `registerJobFactory` */
  readonly factories?: JobFactories;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** @default systemClock */
  readonly clock?: Clock;
}

/** What `serve` and `mcp` run on: the config, the store, a started scheduler and the API token. */
export interface OpenedEngine {
  readonly config: ResolvedConfig;
  readonly store: Store;
  readonly scheduler: Scheduler;
  /** Configured entries no engine in this build can run. */
  readonly unscheduled: readonly UnscheduledEntry[];
  /** The counters of the gateway the jobs share (API calls by endpoint, 429s, retries), for `/metrics`. */
  gatewayMetrics(): GatewayMetricsSnapshot;
  /** `NOTION_SYNC_API_TOKEN`, when set (registered as a secret). */
  readonly apiToken: string | undefined;
  /** True from start until `close` begins (readiness). */
  isRunning(): boolean;
  /** Stops the scheduler (runs in flight finish their batch) and closes the store. */
  close(): Promise<void>;
}

/**
 * Loads the config, opens the store, builds the jobs and starts the scheduler that the daemon's edges
 * drive. Both tokens are registered as secrets first, so no message can print them.
 */
export async function openEngine(options: OpenEngineOptions = {}): Promise<OpenedEngine> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const apiToken = env['NOTION_SYNC_API_TOKEN'] || undefined;
  registerSecret(apiToken);
  registerSecret(env['NOTION_TOKEN']);
  const config = await loadConfig({
    env,
    cwd,
    ...(options.configPath === undefined ? {} : { configPath: options.configPath }),
  });
  const store = await openStore(
    options.store === undefined ? config.store : normalizeStoreUrl(options.store, cwd),
    { clock },
  );
  const gateway = sharedGateway(config, { clock, logger });
  let built: { jobs: readonly Job[]; unscheduled: readonly UnscheduledEntry[] };
  try {
    built =
      options.jobs !== undefined
        ? { jobs: options.jobs, unscheduled: [] }
        : await buildJobs(
            { config, store, clock, logger, gateway: gateway.get },
            ...(options.factories === undefined ? [] : [options.factories]),
          );
  } catch (error) {
    await store.close();
    throw error;
  }
  const scheduler = createScheduler({ store, jobs: built.jobs, clock, logger });
  scheduler.start();
  let running = true;
  return {
    config,
    store,
    scheduler,
    unscheduled: built.unscheduled,
    apiToken,
    gatewayMetrics: gateway.metrics,
    isRunning: () => running,
    async close() {
      running = false;
      await scheduler.stop();
      await store.close();
    },
  };
}
