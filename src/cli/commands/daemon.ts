import type { Clock } from '../../clock.js';
import { loadConfig, normalizeStoreUrl } from '../../config/load-config.js';
import { createPinoLogger, type Logger } from '../../logger.js';
import type { NotionGateway } from '../../notion/gateway.js';
import { buildJobs, type JobFactories } from '../../schedule/build-jobs.js';
import { engineJobFactories } from '../engine-job-factories.js';
import { describeSchedule } from '../../schedule/describe-schedule.js';
import { createScheduler, DEFAULT_STOP_GRACE_MS } from '../../schedule/scheduler.js';
import { sharedGateway } from '../../schedule/shared-gateway.js';
import { openStore } from '../../store/open-store.js';
import { systemClock } from '../../system-clock.js';

export interface DaemonOptions {
  /** An explicit config file. @default the first of CONFIG_FILE_NAMES in the working directory */
  readonly configPath?: string;
  /** Overrides the config's store (a SQLite path or a postgres:// URL). */
  readonly store?: string;
  /** Print machine-readable JSON lines instead of text. */
  readonly json?: boolean;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The engines that build jobs. @default the mirror and sync engines (and any registered with `registerJobFactory`) */
  readonly factories?: JobFactories;
  /** The gateway jobs use. @default one built from the config and NOTION_TOKEN, on first use */
  readonly gateway?: NotionGateway;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default pino on standard error, at the config's `logLevel` */
  readonly logger?: Logger;
  /** Stops the daemon when aborted. SIGTERM and SIGINT always do. */
  readonly signal?: AbortSignal;
  /** How long to wait for runs to finish their batch in flight. @default DEFAULT_STOP_GRACE_MS (30 s) */
  readonly graceMs?: number;
  /** Where the human or JSON lines go. @default console.log */
  readonly print?: (line: string) => void;
}

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * `notion-sync daemon`: builds a job per configured mirror and worker sync, runs them on their schedules
 * until SIGTERM or SIGINT, then stops gracefully (each run finishes and commits its batch in flight) and
 * resolves, so the process exits 0.
 */
export async function daemon(options: DaemonOptions = {}): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  const print = options.print ?? ((line: string) => console.log(line));
  const clock = options.clock ?? systemClock;
  const config = await loadConfig({
    cwd,
    ...(options.configPath === undefined ? {} : { configPath: options.configPath }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  const logger = options.logger ?? createPinoLogger({ level: config.logLevel ?? 'info' });
  const storeUrl = options.store === undefined ? config.store : normalizeStoreUrl(options.store, cwd);
  const store = await openStore(storeUrl, { clock });
  try {
    const gateway = sharedGateway(config, { clock, logger, gateway: options.gateway });
    const { jobs, unscheduled } = await buildJobs(
      { config, store, clock, logger, gateway: gateway.get },
      options.factories ?? engineJobFactories(),
    );
    const shownStore = displayStoreUrl(storeUrl);
    const listed = jobs.map((j) => ({
      id: j.id,
      kind: j.kind,
      name: j.name,
      schedule: describeSchedule(j.schedule),
    }));
    if (options.json) {
      print(JSON.stringify({ event: 'daemon_started', store: shownStore, jobs: listed, unscheduled }));
    } else {
      print(`notion-sync daemon: store ${shownStore}`);
      for (const j of listed) print(`  ${j.id}  ${j.schedule}`);
      for (const u of unscheduled) print(`  not scheduled: ${u.kind} ${u.name} (${u.reason})`);
      if (jobs.length === 0) {
        print(
          unscheduled.length > 0
            ? 'Nothing to run: this build has no engine for the entries above.'
            : 'Nothing to run: add mirrors or workers to the config (see notion-sync --help), then start again.',
        );
      }
    }
    if (jobs.length === 0) return;

    const scheduler = createScheduler({ store, jobs, clock, logger });
    logger('info', 'daemon started', { store: shownStore, jobs: listed.length });
    scheduler.start();
    await stopRequested(options.signal);
    logger('info', 'daemon stopping', { graceMs: options.graceMs ?? DEFAULT_STOP_GRACE_MS });
    await scheduler.stop({ graceMs: options.graceMs ?? DEFAULT_STOP_GRACE_MS });
    if (options.json) print(JSON.stringify({ event: 'daemon_stopped', jobs: scheduler.status() }));
    else print('notion-sync daemon: stopped');
  } finally {
    await store.close();
  }
}

/** Resolves on SIGTERM, SIGINT or `signal`; removes its handlers then. */
function stopRequested(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      for (const name of STOP_SIGNALS) process.off(name, done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    for (const name of STOP_SIGNALS) process.once(name, done);
    if (signal?.aborted) done();
    else signal?.addEventListener('abort', done, { once: true });
  });
}

/** The store URL with any password masked (a postgres:// URL may carry credentials). */
export function displayStoreUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@]*@/i, '$1:***@');
}
