/**
 * Crash-and-resume suite of the push engine: a child process running `runSyncCycle` of the paginated replace
 * example in a loop is SIGKILLed at seeded random moments, while the source (the JSON API, in this process)
 * gains, changes and loses rows, and while the emulator sometimes commits a `pages.create` and drops the
 * answer. After final uninterrupted cycles, the Notion database must equal the source: every key exactly once,
 * nothing lost, removed rows trashed, properties equal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@notionhq/client';
import type { PageObjectResponse } from '@notionhq/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJsonApi, type ApiItem, type JsonApi } from '../../examples/json-api-server.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { readPageProperties } from '../../src/notion/properties/codec-registry.js';
import { getDatabaseBinding } from '../../src/push/push-records.js';
import { runSyncCycle } from '../../src/push/run-sync-cycle.js';
import { openStore } from '../../src/store/open-store.js';
import { expireLeases, prng, runChild, tally } from './crash-harness.js';

const SEED = Number(process.env.CRASH_SEED ?? 20261122);
const INITIAL_ROWS = 120; // 12 batches of 10 per cycle
const KILLS = 22;
const MUTATE_EVERY = 2;
const FAULT_EVERY = 3; // every third child meets commitThenDrop on pages.create
const WORKER = fileURLToPath(new URL('../../examples/paginated-replace/worker.ts', import.meta.url));
const STATUSES = ['Open', 'In progress', 'Done'];

let emulator: EmulatorHandle;
let api: JsonApi;
let dir: string;
/** The source as the test knows it (mirrors the API's `issues` collection). */
const source = new Map<string, ApiItem>();
let nextId = 1;

function issue(n: number, version: number): ApiItem {
  return {
    id: `ISS-${n}`,
    title: `Issue ${n} v${version}`,
    status: STATUSES[(n + version) % 3] as string,
    points: (n * 7 + version) % 11,
    labels: (n + version) % 2 ? ['bug'] : ['feature', 'ui'],
    url: `https://issues.example.com/${n}`,
    updatedAt: new Date(Date.UTC(2026, 0, 1, 0, n, version)).toISOString(),
  };
}

function put(item: ApiItem): void {
  source.set(item.id, item);
  api.upsert('issues', item);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'notion-sync-crash-push-'));
  emulator = await startEmulator({ port: 0 });
  api = await startJsonApi({});
  for (; nextId <= INITIAL_ROWS; nextId++) put(issue(nextId, 0));
});

afterAll(async () => {
  await emulator?.stop();
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function mutate(rand: ReturnType<typeof prng>, round: number): string {
  const keys = [...source.keys()];
  for (let i = 0; i < 3; i++) put(issue(nextId++, 0));
  for (let i = 0; i < 5; i++) {
    const key = keys[rand.int(0, keys.length - 1)] as string;
    put(issue(Number(key.slice(4)), round));
  }
  let removed = 0;
  for (let i = 0; i < 2; i++) {
    const key = keys[rand.int(0, keys.length - 1)] as string;
    if (!source.has(key)) continue;
    source.delete(key);
    api.remove('issues', key);
    removed++;
  }
  return `added 3, changed 5, removed ${removed}; source has ${source.size} rows`;
}

/** Every page of the data source in the emulator (trashed too), through the SDK for live ones. */
async function notionRows(notion: Client, dataSourceId: string): Promise<PageObjectResponse[]> {
  const out: PageObjectResponse[] = [];
  let cursor: string | undefined;
  do {
    const page = await notion.dataSources.query({ data_source_id: dataSourceId, start_cursor: cursor });
    out.push(...(page.results as PageObjectResponse[]));
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return out;
}

const text = (v: unknown): unknown => (v !== null && typeof v === 'object' && 'text' in v ? v.text : v);

describe(runSyncCycle, () => {
  it(`survives ${KILLS} SIGKILLs and dropped create answers: Notion equals the source, no duplicates`, async () => {
    const rand = prng(SEED);
    const storePath = join(dir, 'push.db');
    const parentPageId = emulator.rootPageId as string;
    const args = [emulator.url, storePath, parentPageId, WORKER];
    const env = { EXAMPLE_API_URL: api.url };
    const log: string[] = [];
    let faultsAdded = 0;
    let runsFinished = 0;
    for (let kill = 1; kill <= KILLS; kill++) {
      if (kill % FAULT_EVERY === 0) {
        emulator.faults.add({ kind: 'commitThenDrop', route: 'pages.create', times: 2 });
        faultsAdded += 2;
      }
      const delay = rand.int(0, 3_000);
      const run = await runChild('./push-child.ts', args, {
        killAfterMs: delay,
        env,
      });
      // The dead run's lease would expire after its TTL; release it instead of waiting.
      await expireLeases(storePath);
      const finished = run.lines.filter((l) => l.status !== undefined);
      runsFinished += finished.length;
      const summary = tally(
        finished.map((l) => `${String(l.status)}${l.cycleComplete === true ? '(cycle)' : ''}`),
      );
      log.push(
        `kill ${kill}: after ${delay} ms (${run.end})${kill % FAULT_EVERY === 0 ? ' with commitThenDrop x2' : ''}; runs finished before it: ${summary}`,
      );
      expect(run.end, run.stderr).toBe('killed');
      if (kill % MUTATE_EVERY === 0) log.push(`  source: ${mutate(rand, kill)}`);
    }
    // Final: finish the cycle in progress, then one whole cycle with nothing changing.
    for (const name of ['completing', 'whole']) {
      const final = await runChild('./push-child.ts', [...args, 'once'], {
        env,
      });
      expect(final.code, final.stderr).toBe(0);
      log.push(`final ${name} cycle: ${JSON.stringify(final.lines.at(-1))}`);
    }
    const fired = emulator.stats();
    console.log(
      `push crash suite (seed ${SEED}): ${KILLS} kills, ${runsFinished} runs finished between kills, ${faultsAdded} commitThenDrop faults armed\n${log.join('\n')}\nemulator calls: ${JSON.stringify(fired.calls)}`,
    );

    const store = await openStore(storePath);
    const binding = await getDatabaseBinding(store, 'issues');
    await store.close();
    expect(binding).toBeDefined();
    const notion = new Client({ auth: 'secret_crash_check', baseUrl: emulator.url });
    const live = await notionRows(notion, binding?.dataSourceId as string);
    const perKey = new Map<string, PageObjectResponse[]>();
    for (const page of live) {
      const key = text(readPageProperties(page)['Issue ID']) as string;
      perKey.set(key, [...(perKey.get(key) ?? []), page]);
    }
    const duplicates = [...perKey].filter(([, pages]) => pages.length > 1).map(([k]) => k);
    expect(duplicates, 'keys with more than one live page').toEqual([]);
    expect([...perKey.keys()].sort()).toEqual([...source.keys()].sort());
    for (const [key, item] of source) {
      const props = readPageProperties(perKey.get(key)?.[0] as PageObjectResponse);
      expect({
        title: text(props.Title),
        status: props.Status,
        points: props.Points,
        labels: props.Labels,
        link: props.Link,
      }).toEqual({
        title: item.title,
        status: item.status,
        points: item.points,
        labels: item.labels,
        link: item.url,
      });
    }
    // Removed rows: their pages are in the trash (none live, checked above).
    const ws = emulator.workspace;
    const trashed = ws
      .getDataSource(binding?.dataSourceId as string)
      .rows.filter((id) => ws.pages.get(id)?.page.in_trash === true).length;
    console.log(
      `push crash suite: ${source.size} source rows, ${live.length} live pages, ${trashed} trashed pages`,
    );
    expect(live.length).toBe(source.size);
  }, 300_000);
});
