import { loadConfig, normalizeStoreUrl } from '../../config/load-config.js';
import { isNotionSyncError } from '../../errors.js';
import { runMirror } from '../../mirror/run-mirror.js';
import type { MirrorProgress, MirrorRunOutcome } from '../../mirror/mirror-options.js';
import { createGateway } from '../../notion/create-gateway.js';
import { openStore } from '../../store/open-store.js';
import { ExitError } from '../exit-error.js';

/** Options of `notion-sync mirror`. */
export interface MirrorCommandOptions {
  /** Databases, data sources or links; none → the `mirrors` of the config file. */
  sources: readonly string[];
  /** Store URL (`sqlite:<path>` or `postgres://…`). @default the config's store, else ./notion-sync.db */
  store?: string;
  /** Skip page bodies. @default false */
  noBodies?: boolean;
  /** A complete reconciliation scan with delete detection. @default false */
  full?: boolean;
  /**
   * How old the recorded data sources and schemas may be before a delta reads them again, in ms.
   * @default the config's `rediscoverAfterMs`, else one hour
   */
  rediscoverAfterMs?: number;
  /** Print the run outcome as JSON. @default false */
  json?: boolean;
  /** Mirror from a running emulator (`notion-sync emulator`) instead of api.notion.com. */
  emulatorUrl?: string;
  /** Config file. @default the first of CONFIG_FILE_NAMES in `cwd` */
  config?: string;
  /** @default process.cwd() */
  cwd?: string;
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Show a progress bar. @default whether stderr is a TTY (and not `json`) */
  progress?: boolean;
  /** Stops the run after the batch in flight. @default SIGINT */
  signal?: AbortSignal;
}

/** A token the emulator accepts when none is set (it takes any bearer token unless started with `--token`). */
const EMULATOR_TOKEN = 'secret_emulator';

/**
 * `notion-sync mirror <database | data source | URL>…`: mirrors into the replica and prints a summary (or
 * the outcome as JSON). Exits 1 unless the run succeeded.
 */
export async function mirror(options: MirrorCommandOptions): Promise<MirrorRunOutcome> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const config = await loadConfig({
    cwd,
    env,
    ...(options.config === undefined ? {} : { configPath: options.config }),
  });
  const sources = options.sources.length > 0 ? options.sources : config.mirrors.map((m) => m.source);
  if (sources.length === 0) {
    console.error(
      'Nothing to mirror: give a database id or URL (`notion-sync mirror <database>`), or add `mirrors` to notion-sync.config.ts.',
    );
    throw new ExitError(2);
  }
  const token = config.token ?? (options.emulatorUrl === undefined ? undefined : EMULATOR_TOKEN);
  if (token === undefined) {
    console.error(
      'NOTION_TOKEN is not set. Set it to your integration secret (create one at https://www.notion.so/profile/integrations and share the database with it),\n' +
        'or mirror from a local emulator: `notion-sync emulator` in another terminal, then `notion-sync mirror --emulator-url <url> <database>`.',
    );
    throw new ExitError(2);
  }
  const fromConfig = new Map(config.mirrors.map((m) => [m.source, m]));
  const bodies =
    options.noBodies === true ? false : sources.every((s) => fromConfig.get(s)?.bodies !== false);
  const rediscoverAfterMs = options.rediscoverAfterMs ?? config.rediscoverAfterMs;
  const storeUrl = options.store === undefined ? config.store : normalizeStoreUrl(options.store, cwd);
  const store = await openStore(storeUrl);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  const signal = options.signal ?? controller.signal;
  if (options.signal === undefined) process.once('SIGINT', stop);
  const bar =
    (options.progress ?? (process.stderr.isTTY && options.json !== true)) ? await progressBar() : undefined;
  try {
    const gateway = createGateway({
      token,
      ...(options.emulatorUrl === undefined ? {} : { baseUrl: options.emulatorUrl }),
    });
    const outcome = await runMirror({
      store,
      gateway,
      sources,
      bodies,
      mode: options.full === true ? 'full' : 'auto',
      consistencyBufferMs: config.consistencyBufferMs,
      ...(rediscoverAfterMs === undefined ? {} : { rediscoverAfterMs }),
      signal,
      trigger: 'cli',
      ...(bar === undefined ? {} : { onProgress: bar.update }),
    });
    bar?.stop();
    if (options.json === true) console.log(JSON.stringify(outcome, null, 2));
    else printSummary(outcome);
    if (outcome.status !== 'succeeded') throw new ExitError(1);
    return outcome;
  } finally {
    bar?.stop();
    process.off('SIGINT', stop);
    await store.close();
  }
}

function printSummary(outcome: MirrorRunOutcome): void {
  const c = outcome.counts;
  for (const ds of outcome.dataSources) {
    const dc = ds.counts;
    console.log(
      `${ds.title} (${ds.mode}${ds.view === null ? '' : `, view ${ds.view}`}): ${dc.created} created, ${dc.updated} updated, ${dc.unchanged} unchanged, ${dc.deleted} deleted, ${dc.restored} restored, ${dc.failed} failed — ${ds.status}`,
    );
  }
  console.log(
    `mirror ${outcome.status}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.deleted} deleted, ${c.restored} restored, ${c.failed} failed; ${outcome.apiCalls} API calls in ${(outcome.durationMs / 1_000).toFixed(1)} s (run ${outcome.runId})`,
  );
  if (outcome.status !== 'succeeded') {
    const error = outcome.error as { message?: unknown; hint?: unknown } | undefined;
    if (typeof error?.message === 'string') console.error(`error: ${error.message}`);
    if (typeof error?.hint === 'string') console.error(`hint: ${error.hint}`);
    if (outcome.status === 'cancelled') console.error('Cancelled: run the same command again to resume.');
    else if (outcome.status === 'partial' && error === undefined) {
      console.error(
        `Some pages failed: \`notion-sync runs show ${outcome.runId}\` lists them; run again to retry.`,
      );
    }
  }
}

/** The part of cli-progress this command uses (the package ships no types). */
interface SingleBar {
  start(total: number, value: number, payload?: Record<string, unknown>): void;
  update(value: number, payload?: Record<string, unknown>): void;
  setTotal(total: number): void;
  stop(): void;
}
interface CliProgress {
  SingleBar: new (options: Record<string, unknown>, preset?: unknown) => SingleBar;
  Presets: { shades_classic: unknown };
}

async function progressBar(): Promise<{ update: (p: MirrorProgress) => void; stop: () => void } | undefined> {
  let module: CliProgress;
  try {
    const specifier: string = 'cli-progress';
    const imported = (await import(specifier)) as { default?: CliProgress } & CliProgress;
    module = imported.default ?? imported;
  } catch (error) {
    if (isNotionSyncError(error)) throw error;
    return undefined;
  }
  const bar = new module.SingleBar(
    {
      format: '{title} [{bar}] {value}/{total} pages | {mode} | eta {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
      // Drawn when asked for even without a TTY (`progress: true`), as plain lines.
      noTTYOutput: true,
    },
    module.Presets.shades_classic,
  );
  let current: string | undefined;
  let stopped = false;
  return {
    update: (p) => {
      const total = Math.max(p.pagesEstimate ?? 0, p.pagesDone, 1);
      const payload = { title: p.title, mode: p.mode };
      if (current !== p.dataSourceId) {
        if (current !== undefined) bar.stop();
        bar.start(total, p.pagesDone, payload);
        current = p.dataSourceId;
        stopped = false;
      } else {
        bar.setTotal(total);
        bar.update(p.pagesDone, payload);
      }
    },
    stop: () => {
      if (stopped || current === undefined) return;
      stopped = true;
      bar.stop();
    },
  };
}
