import { loadConfig, normalizeStoreUrl } from '../../config/load-config.js';
import { openStore } from '../../store/open-store.js';
import type { RunEvent, RunRecord } from '../../store/runs-repository.js';
import { ExitError } from '../exit-error.js';

/** Options shared by `runs list` and `runs show`. */
interface RunsCommonOptions {
  /** Store URL. @default the config's store, else ./notion-sync.db */
  store?: string;
  /** Print JSON. @default false */
  json?: boolean;
  /** @default process.cwd() */
  cwd?: string;
  /** Config file. @default the first of CONFIG_FILE_NAMES in `cwd` */
  config?: string;
}

/** `notion-sync runs list` or `notion-sync runs show <id>`. */
export type RunsOptions =
  | (RunsCommonOptions & {
      action: 'list';
      /** Tab-separated values, run id first, no header: for scripts. @default false */
      plain?: boolean;
      /** Most recent runs shown. @default 20 */
      limit?: number;
    })
  | (RunsCommonOptions & { action: 'show'; id: string });

/** Events printed by `runs show`. */
const SHOW_EVENT_LIMIT = 1_000;
const DEFAULT_LIST_LIMIT = 20;

/**
 * `runs list`: the latest runs, newest first. `runs show <id>`: one run's counts, API calls, error and
 * events. Exits 1 for an unknown run id.
 */
export async function runs(options: RunsOptions): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  const config = await loadConfig({
    cwd,
    ...(options.config === undefined ? {} : { configPath: options.config }),
  });
  const store = await openStore(
    options.store === undefined ? config.store : normalizeStoreUrl(options.store, cwd),
  );
  try {
    if (options.action === 'list') {
      const list = await store.runs.list({ limit: options.limit ?? DEFAULT_LIST_LIMIT });
      if (options.json === true) console.log(JSON.stringify(list, null, 2));
      else if (options.plain === true) for (const run of list) console.log(plainLine(run));
      else if (list.length === 0) console.log('No runs yet: `notion-sync mirror <database>` starts one.');
      else for (const run of list) console.log(listLine(run));
      return;
    }
    const run = await store.runs.get(options.id);
    if (run === undefined) {
      console.error(
        `No run ${options.id} in ${store.dialect.name} store: \`notion-sync runs list\` shows the run ids.`,
      );
      throw new ExitError(1);
    }
    const events = await store.runs.listEvents(run.id, { limit: SHOW_EVENT_LIMIT });
    if (options.json === true) console.log(JSON.stringify({ ...run, events }, null, 2));
    else printRun(run, events);
  } finally {
    await store.close();
  }
}

function plainLine(run: RunRecord): string {
  const c = run.counts;
  return [
    run.id,
    run.kind,
    run.status,
    run.startedAt,
    run.finishedAt ?? '',
    run.target,
    c.created,
    c.updated,
    c.unchanged,
    c.deleted,
    c.restored,
    c.failed,
    run.apiCalls,
  ].join('\t');
}

function listLine(run: RunRecord): string {
  const c = run.counts;
  return `${run.startedAt}  ${run.status.padEnd(9)} ${run.kind} ${run.target}  +${c.created} ~${c.updated} -${c.deleted} ↺${c.restored} ✗${c.failed}  ${run.apiCalls} calls  ${run.id}`;
}

function printRun(run: RunRecord, events: readonly RunEvent[]): void {
  const c = run.counts;
  console.log(`run       ${run.id}`);
  console.log(`kind      ${run.kind} (${run.trigger})`);
  console.log(`target    ${run.target}`);
  console.log(`status    ${run.status}`);
  console.log(`started   ${run.startedAt}`);
  console.log(`finished  ${run.finishedAt ?? '(running)'}`);
  console.log(
    `counts    created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}, deleted ${c.deleted}, restored ${c.restored}, failed ${c.failed}`,
  );
  console.log(`API calls ${run.apiCalls}`);
  if (run.error !== null && run.error !== undefined) {
    const error = run.error as { message?: unknown; hint?: unknown };
    console.log(`error     ${typeof error.message === 'string' ? error.message : JSON.stringify(run.error)}`);
    if (typeof error.hint === 'string') console.log(`hint      ${error.hint}`);
  }
  console.log('events:');
  for (const e of events) {
    const fields = e.fields === null ? '' : ` ${JSON.stringify(e.fields)}`;
    console.log(`  ${String(e.seq).padStart(3)} ${e.at} ${e.level.padEnd(5)} ${e.message}${fields}`);
  }
}
