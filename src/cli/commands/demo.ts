import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importModule } from '../../config/import-module.js';
import { loadConfig } from '../../config/load-config.js';
import { startEmulator } from '../../emulator/index.js';
import type { DemoWorkspaceInfo } from '../../emulator/seed/demo-seed.js';
import { runMirror } from '../../mirror/run-mirror.js';
import type { MirrorRunOutcome } from '../../mirror/mirror-options.js';
import { createGateway } from '../../notion/create-gateway.js';
import { runSyncCycle } from '../../push/run-sync-cycle.js';
import type { SyncRunOutcome } from '../../push/sync-run-outcome.js';
import { openStore } from '../../store/open-store.js';
import { loadWorker } from '../../workers/load-worker.js';
import { ExitError } from '../exit-error.js';

export interface DemoOptions {
  /** Print one JSON summary instead of prose. */
  json: boolean;
  /** The SQLite file the demo writes (replaced on every run). @default ./notion-sync-demo.db */
  storePath?: string;
  /** @default process.cwd() */
  cwd?: string;
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/** What the demo did, as `--json` prints it. */
export interface DemoSummary {
  readonly mode: 'emulator' | 'notion';
  readonly store: string;
  readonly push?: Pick<SyncRunOutcome, 'status' | 'counts' | 'apiCalls'> & { readonly database: string };
  readonly firstMirror: Pick<MirrorRunOutcome, 'status' | 'counts' | 'apiCalls'>;
  readonly secondMirror?: Pick<MirrorRunOutcome, 'status' | 'counts' | 'apiCalls'>;
  readonly thirdMirror?: Pick<MirrorRunOutcome, 'status' | 'counts' | 'apiCalls'>;
  readonly views: readonly string[];
  readonly sampleQuery?: { readonly sql: string; readonly rows: readonly Record<string, unknown>[] };
  readonly editedPageId?: string;
}

/** The example worker the demo pushes into the emulator before mirroring, and the JSON API it reads. */
const EXAMPLES_DIR = fileURLToPath(new URL('../../../examples/', import.meta.url));
const DEMO_WORKER = path.join(EXAMPLES_DIR, 'paginated-replace', 'worker.ts');
const DEMO_SYNC_KEY = 'issuesSync';
/** The emulator answers as fast as the machine allows: pace well above Notion's 3 req/s. */
const EMULATOR_REQUESTS_PER_SECOND = 200;

/**
 * `npm start`: the main job on embedded defaults. Without NOTION_TOKEN it starts the built-in emulator with
 * the demo workspace, syncs an example `@notionhq/workers` module into it, mirrors every database into a fresh
 * SQLite file, then edits, trashes and restores pages in the emulator, mirrors again, and prints what changed
 * and where to look. With NOTION_TOKEN set it mirrors the databases of the config file from real Notion.
 */
export async function demo(options: DemoOptions): Promise<DemoSummary> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const storePath = path.resolve(cwd, options.storePath ?? 'notion-sync-demo.db');
  const say = (line: string): void => {
    if (!options.json) console.log(line);
  };
  const config = await loadConfig({ cwd, env });
  if (config.token !== undefined)
    return mirrorRealNotion(options, config.mirrors, config.token, storePath, say);

  await removeStore(storePath);
  say('notion-sync demo: no NOTION_TOKEN set, so everything runs against the built-in Notion emulator.');
  const emulator = await startEmulator({ port: 0, seed: 'demo' });
  const api = await startExampleApi();
  const store = await openStore(`sqlite:${storePath}`);
  try {
    const ws = emulator.demo as DemoWorkspaceInfo;
    const token = 'secret_demo_emulator_token';
    const gateway = createGateway({
      token,
      baseUrl: emulator.url,
      requestsPerSecond: EMULATOR_REQUESTS_PER_SECOND,
      burst: 20,
    });
    say(`Emulator at ${emulator.url} with a demo workspace of ${ws.pageCount} pages.`);

    // 1. Into Notion: an unmodified @notionhq/workers module, synced into a managed database.
    const previousApiUrl = process.env.EXAMPLE_API_URL;
    process.env.EXAMPLE_API_URL = api.url;
    let push: SyncRunOutcome;
    try {
      const worker = await loadWorker(DEMO_WORKER);
      push = await runSyncCycle({
        store,
        gateway,
        worker,
        workerModulePath: DEMO_WORKER,
        syncKey: DEMO_SYNC_KEY,
        parentPageId: ws.rootPageId,
        trigger: 'demo',
      });
    } finally {
      if (previousApiUrl === undefined) delete process.env.EXAMPLE_API_URL;
      else process.env.EXAMPLE_API_URL = previousApiUrl;
    }
    say(
      `\n1. Worker sync "${DEMO_SYNC_KEY}" (examples/paginated-replace) into Notion: ${push.status}, ` +
        `${push.counts.created} pages created in ${push.apiCalls} API calls.`,
    );
    if (push.status !== 'succeeded') throw failed('the worker sync', push.error);
    const issuesDb = await findDatabase(gateway.client, ws.rootPageId, 'Issues');

    // 2. Out of Notion: mirror every database into SQLite.
    const sources = [
      ws.databases.projects.databaseId,
      ws.databases.tasks.databaseId,
      ws.databases.contacts.databaseId,
      ...(issuesDb === undefined ? [] : [issuesDb]),
    ];
    const first = await runMirror({ store, gateway, sources, trigger: 'demo' });
    say(
      `2. Mirror into ${storePath}: ${first.status}, ${first.counts.created} rows created ` +
        `(with page bodies) in ${first.apiCalls} API calls.`,
    );
    if (first.status !== 'succeeded') throw failed('the first mirror', first.error);

    // 3. Change Notion: edit a task, trash a contact and a task.
    const [taskId, , trashedTask] = ws.databases.tasks.rowIds;
    const contactId = ws.databases.contacts.rowIds[0];
    if (taskId === undefined || contactId === undefined || trashedTask === undefined) {
      throw new Error('the demo workspace has fewer rows than expected');
    }
    await gateway.client.pages.update({
      page_id: taskId,
      properties: { Name: { title: [{ text: { content: 'Ship the demo (edited)' } }] } },
    });
    await gateway.client.pages.update({ page_id: contactId, in_trash: true });
    await gateway.client.pages.update({ page_id: trashedTask, in_trash: true });
    say('3. In Notion: edited a task, trashed a contact and a task.');

    // 4. Mirror again: a full reconciliation sees the edit and the deletes.
    const second = await runMirror({ store, gateway, sources, mode: 'full', trigger: 'demo' });
    say(`4. Mirror again (--full): ${describeCounts(second)}.`);
    if (second.status !== 'succeeded') throw failed('the second mirror', second.error);

    // 5. Restore the trashed task in Notion; the next mirror restores it in the replica.
    await gateway.client.pages.update({ page_id: trashedTask, in_trash: false });
    const third = await runMirror({ store, gateway, sources, mode: 'full', trigger: 'demo' });
    say(`5. Restored the task in Notion, mirrored again: ${describeCounts(third)}.`);
    if (third.status !== 'succeeded') throw failed('the third mirror', third.error);

    const views = first.dataSources.map((d) => d.view).filter((v): v is string => v !== null);
    const tasksView = first.dataSources.find((d) => d.id === ws.databases.tasks.dataSourceId)?.view;
    const sql =
      tasksView === undefined || tasksView === null
        ? undefined
        : `SELECT title, status FROM ${tasksView} ORDER BY title LIMIT 5`;
    const rows = sql === undefined ? [] : await store.replicaViews.query(sql);
    const summary: DemoSummary = {
      mode: 'emulator',
      store: storePath,
      push: { database: 'Issues', status: push.status, counts: push.counts, apiCalls: push.apiCalls },
      firstMirror: pickOutcome(first),
      secondMirror: pickOutcome(second),
      thirdMirror: pickOutcome(third),
      views,
      ...(sql === undefined ? {} : { sampleQuery: { sql, rows } }),
      editedPageId: taskId,
    };
    if (options.json) {
      console.log(JSON.stringify(summary));
      return summary;
    }
    say(`\nWhere to look:`);
    say(`  the replica:   ${storePath}  (SQLite; typed views: ${views.join(', ')})`);
    if (sql !== undefined) {
      say(`  a query:       sqlite3 ${path.relative(cwd, storePath)} "${sql}"`);
      for (const row of rows) say(`                   ${JSON.stringify(row)}`);
    }
    const storeFlag = `--store ${path.relative(cwd, storePath)}`;
    const cli = cliCommand();
    say(`  history:       ${cli} history ${taskId} ${storeFlag}`);
    say(`  runs:          ${cli} runs list ${storeFlag}`);
    say(`  search:        ${cli} search "demo" ${storeFlag}`);
    say(`  your own data: set NOTION_TOKEN and run ${cli} mirror <database URL>`);
    return summary;
  } finally {
    await store.close();
    await api.stop();
    await emulator.stop();
  }
}

async function mirrorRealNotion(
  options: DemoOptions,
  mirrors: readonly { source: string }[],
  token: string,
  storePath: string,
  say: (line: string) => void,
): Promise<DemoSummary> {
  if (mirrors.length === 0) {
    console.error(
      'NOTION_TOKEN is set, so the demo mirrors real Notion: add the databases to mirror to notion-sync.config.json\n' +
        '({ "mirrors": [{ "source": "<database URL>" }] }), or unset NOTION_TOKEN to run the demo on the emulator.',
    );
    throw new ExitError(2);
  }
  const store = await openStore(`sqlite:${storePath}`);
  try {
    const gateway = createGateway({ token });
    const outcome = await runMirror({
      store,
      gateway,
      sources: mirrors.map((m) => m.source),
      trigger: 'demo',
    });
    say(`Mirrored ${mirrors.length} source(s) into ${storePath}: ${outcome.status}.`);
    const summary: DemoSummary = {
      mode: 'notion',
      store: storePath,
      firstMirror: pickOutcome(outcome),
      views: outcome.dataSources.map((d) => d.view).filter((v): v is string => v !== null),
    };
    if (options.json) console.log(JSON.stringify(summary));
    if (outcome.status !== 'succeeded') throw failed('the mirror', outcome.error);
    return summary;
  } finally {
    await store.close();
  }
}

interface ExampleApi {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts examples/json-api-server.ts (outside `src/`, so loaded by path like any worker module). */
async function startExampleApi(): Promise<ExampleApi> {
  const mod = await importModule(path.join(EXAMPLES_DIR, 'json-api-server.ts'));
  const start = mod.startJsonApi as (seed: unknown) => Promise<ExampleApi>;
  const data = mod.demoData as () => unknown;
  return start(data());
}

/**
 * How to run the CLI from where the demo runs: from a source checkout (`npm start` runs the TypeScript through
 * tsx, and `npx notion-sync` would not find an unbuilt package) or from an installed package.
 */
function cliCommand(): string {
  return import.meta.url.endsWith('.ts') ? 'npx tsx src/cli/index.ts' : 'npx notion-sync';
}

function describeCounts(o: MirrorRunOutcome): string {
  const c = o.counts;
  return (
    `${o.status}: ${c.updated} updated, ${c.deleted} deleted, ${c.restored} restored, ` +
    `${c.unchanged} unchanged, in ${o.apiCalls} API calls`
  );
}

function pickOutcome(o: MirrorRunOutcome): Pick<MirrorRunOutcome, 'status' | 'counts' | 'apiCalls'> {
  return { status: o.status, counts: o.counts, apiCalls: o.apiCalls };
}

async function findDatabase(
  client: ReturnType<typeof createGateway>['client'],
  parentPageId: string,
  title: string,
): Promise<string | undefined> {
  const children = await client.blocks.children.list({ block_id: parentPageId, page_size: 100 });
  for (const block of children.results) {
    if ('type' in block && block.type === 'child_database' && block.child_database.title === title) {
      return block.id;
    }
  }
  return undefined;
}

async function removeStore(file: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm', '-journal']) await rm(`${file}${suffix}`, { force: true });
}

function failed(what: string, error: unknown): ExitError {
  console.error(`The demo stopped: ${what} did not succeed: ${JSON.stringify(error ?? 'unknown error')}`);
  return new ExitError(1);
}
