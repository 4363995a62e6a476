/**
 * Crash-and-resume suite of the mirror: a child process running `runMirror` in a loop is SIGKILLed at seeded
 * random moments, during the backfill and during deltas, while rows are edited, trashed and restored in the
 * emulator (which lives in this process and survives). After a final uninterrupted `full` run, the replica
 * must equal the emulator exactly, with a clean history. Once on a SQLite file, once on PostgreSQL (a fresh
 * schema; required when CI=true, skipped with a warning when PostgreSQL is not reachable otherwise).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@notionhq/client';
import type { PageObjectResponse } from '@notionhq/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropSchema,
  freshSchemaName,
  POSTGRES_TEST_URL,
  POSTGRES_TEST_WHERE,
  postgresReachable,
} from '../store/postgres-test-url.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { runMirror } from '../../src/mirror/run-mirror.js';
import { readPageProperties } from '../../src/notion/properties/codec-registry.js';
import { openStore } from '../../src/store/open-store.js';
import { expireLeases, laggingClock, prng, runChild, tally } from './crash-harness.js';
import type { CrashStore } from './crash-harness.js';

const SEED = Number(process.env.CRASH_SEED ?? 20261122);
const ROWS = 1_200;
const MINUTES = 10; // created_time spread: 120 rows per minute; the whole set is 2.4 times the cap
const QUERY_RESULT_CAP = 500;
const KILLS = 22;
const BACKFILL_KILLS = 8; // kills placed by commits of the backfill
const MUTATE_EVERY = 2; // kills between rounds of emulator edits (after the backfill kills)
const MINUTE = 60_000;

let emulator: EmulatorHandle;
let notion: Client;
let dataSourceId: string;
let dir: string;
const clock = laggingClock();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'notion-sync-crash-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh emulator with ROWS rows spread over MINUTES created_time minutes, the last one a minute ago. */
async function seed(): Promise<void> {
  clock.lagMs = (MINUTES + 1) * MINUTE;
  emulator = await startEmulator({ port: 0, clock, queryResultCap: QUERY_RESULT_CAP });
  notion = new Client({ auth: 'secret_crash_test', baseUrl: emulator.url, notionVersion: '2025-09-03' });
  const database = await notion.databases.create({
    parent: { type: 'page_id', page_id: emulator.rootPageId as string },
    title: [{ type: 'text', text: { content: 'Crash' } }],
    initial_data_source: {
      properties: {
        Name: { title: {} },
        Status: { select: { options: [{ name: 'Todo' }, { name: 'Doing' }, { name: 'Done' }] } },
        Points: { number: {} },
      },
    },
  });
  const id = 'data_sources' in database ? database.data_sources[0]?.id : undefined;
  if (id === undefined) throw new Error('databases.create returned no data source');
  dataSourceId = id;
  const perMinute = ROWS / MINUTES;
  for (let m = 0; m < MINUTES; m++) {
    for (let i = 0; i < perMinute; i++) {
      const n = m * perMinute + i;
      emulator.workspace.createPage(
        {
          parent: { type: 'data_source_id', data_source_id: dataSourceId },
          properties: {
            Name: { title: [{ type: 'text', text: { content: `Row ${n}` } }] },
            Status: { select: { name: 'Todo' } },
            Points: { number: n % 13 },
          },
        },
        n % 10 === 0
          ? [
              {
                type: 'paragraph',
                payload: { rich_text: [{ type: 'text', text: { content: `body of row ${n}` } }] },
                children: [],
              },
            ]
          : [],
      );
    }
    clock.lagMs -= MINUTE;
  }
  clock.lagMs = 0;
}

/** Every row of the data source in the emulator, trashed ones included. */
function emulatorRows(): { id: string; trashed: boolean; page: PageObjectResponse }[] {
  const ws = emulator.workspace;
  return ws.getDataSource(dataSourceId).rows.flatMap((id) => {
    const rec = ws.pages.get(id);
    if (rec === undefined || rec.unshared) return [];
    const page = ws.materialize(rec.page) as unknown as PageObjectResponse;
    return [{ id, trashed: rec.page.in_trash === true, page }];
  });
}

/** A round of edits: property changes, trashes and restores, through the API. */
async function mutate(rand: ReturnType<typeof prng>, trashed: Set<string>): Promise<string> {
  const live = emulatorRows().filter((r) => !r.trashed);
  let edited = 0;
  let trashes = 0;
  let restores = 0;
  for (let i = 0; i < 15; i++) {
    const row = live[rand.int(0, live.length - 1)];
    if (row === undefined) continue;
    await notion.pages.update({
      page_id: row.id,
      properties: {
        Status: { select: { name: ['Todo', 'Doing', 'Done'][rand.int(0, 2)] as string } },
        Points: { number: rand.int(0, 1_000) },
      },
    });
    edited++;
  }
  for (let i = 0; i < 4; i++) {
    const row = live[rand.int(0, live.length - 1)];
    if (row === undefined || trashed.has(row.id)) continue;
    await notion.pages.update({ page_id: row.id, in_trash: true });
    trashed.add(row.id);
    trashes++;
  }
  for (const id of [...trashed].slice(0, rand.int(0, 2))) {
    await notion.pages.update({ page_id: id, in_trash: false });
    trashed.delete(id);
    restores++;
  }
  return `edited ${edited}, trashed ${trashes}, restored ${restores}`;
}

/** Plain values, comparable with `toEqual` whatever the JSON round trip did. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/** The whole suite on one store: seed, kill the child KILLS times, run `full` once, compare. */
async function survivesKills(target: CrashStore): Promise<void> {
  await seed();
  try {
    await killAndCompare(target);
  } finally {
    await emulator.stop();
  }
}

async function killAndCompare(target: CrashStore): Promise<void> {
  const rand = prng(SEED);
  const storePath = target.url;
  const env: Record<string, string> =
    target.schema === undefined ? {} : { CRASH_STORE_SCHEMA: target.schema };
  const trashed = new Set<string>();
  const log: string[] = [];
  let runsFinished = 0;
  for (let kill = 1; kill <= KILLS; kill++) {
    // Early kills land in the backfill (startup to first commits); later ones in deltas after edits.
    // Backfill kills: after the child has committed 1 to 4 pages of results, plus 0 to 40 ms, so they land
    // just before, during and just after a commit. Delta kills: 0 to 2.5 s after start.
    const backfill = kill <= BACKFILL_KILLS;
    const commits = rand.int(1, 4);
    const delay = backfill ? rand.int(0, 40) : rand.int(0, 2_500);
    let seen = 0;
    const run = await runChild('./mirror-child.ts', [emulator.url, storePath, dataSourceId], {
      env,
      killAfterMs: delay,
      ...(backfill
        ? { killFrom: (l) => (l.phase === 'scan' && ++seen === commits) || l.status !== undefined }
        : {}),
    });
    // The dead run's lease would expire after its TTL; release it instead of waiting.
    await expireLeases(target);
    const finished = run.lines.filter((l) => l.status !== undefined);
    runsFinished += finished.length;
    const modes = tally(finished.map((l) => `${String(l.mode)}:${String(l.status)}`));
    const pages = run.lines.filter((l) => l.phase === 'scan').length;
    const point = backfill ? `${delay} ms after commit ${commits}` : `${delay} ms after start`;
    log.push(
      `kill ${kill}: ${point} (${run.end}); pages committed: ${pages}; runs finished before it: ${modes}`,
    );
    expect(run.end, run.stderr).toBe('killed');
    for (const l of finished) expect(l.error, JSON.stringify(l)).toBeUndefined();
    if (kill >= BACKFILL_KILLS && kill % MUTATE_EVERY === 0)
      log.push(`  emulator: ${await mutate(rand, trashed)}`);
    if (kill === BACKFILL_KILLS) {
      // Let the resumed backfill complete once, so that the later kills land in deltas.
      const done = await runChild('./mirror-child.ts', [emulator.url, storePath, dataSourceId, 'once'], {
        env,
      });
      expect(done.code, done.stderr).toBe(0);
      log.push(`uninterrupted run completing the backfill: ${JSON.stringify(done.lines.at(-1))}`);
    }
  }
  const final = await runChild('./mirror-child.ts', [emulator.url, storePath, dataSourceId, 'full'], {
    env,
  });
  log.push(`final full run: ${JSON.stringify(final.lines.at(-1))}`);
  console.log(
    `mirror crash suite on ${target.name} (seed ${SEED}): ${KILLS} kills, ${runsFinished} runs finished between kills\n${log.join('\n')}`,
  );
  expect(final.end, final.stderr).toBe('exited');
  expect(final.code, final.stderr).toBe(0);
  expect(final.lines.at(-1)).toMatchObject({ status: 'succeeded' });

  const store = await openStore(storePath, target.schema === undefined ? {} : { schema: target.schema });
  try {
    const rows = emulatorRows();
    let live = 0;
    for (const row of rows) {
      const stored = await store.replica.getPage(row.id);
      if (row.trashed) {
        // A row trashed before the backfill reached it may never have been mirrored.
        if (stored !== undefined && stored !== null)
          expect(stored.inTrash || stored.deletedAt !== null, row.id).toBe(true);
        continue;
      }
      live++;
      expect(stored, `row ${row.id} missing from the replica`).toBeTruthy();
      if (!stored) continue;
      expect([stored.inTrash, stored.deletedAt]).toEqual([false, null]);
      expect(plain(stored.properties)).toEqual(plain(readPageProperties(row.page)));
      const n = Number(/Row (\d+)/.exec(stored.title)?.[1]);
      if (n % 10 === 0) expect(stored.bodyMarkdown).toContain(`body of row ${n}`);
      const versions = await store.replica.listVersions(row.id);
      expect(versions.map((v) => v.version)).toEqual(versions.map((_, i) => i + 1));
      expect(versions.at(-1)?.version).toBe(stored.version);
      for (let i = 1; i < versions.length; i++) {
        const [a, b] = [versions[i - 1], versions[i]];
        const same =
          a?.changeKind === b?.changeKind &&
          JSON.stringify(a?.properties) === JSON.stringify(b?.properties) &&
          a?.bodyHash === b?.bodyHash;
        expect(same, `page ${row.id}: versions ${i} and ${i + 1} repeat`).toBe(false);
      }
    }
    const replicaLive: string[] = [];
    for await (const ids of store.replica.iteratePageIds(dataSourceId, { pageSize: 5_000 })) {
      for (const id of ids) {
        const p = await store.replica.getPage(id);
        if (p && !p.inTrash && p.deletedAt === null) replicaLive.push(id);
      }
    }
    expect(replicaLive.length).toBe(live);
    console.log(
      `mirror crash suite on ${target.name}: ${live} live rows and ${rows.length - live} trashed rows compared`,
    );
  } finally {
    await store.close();
  }
}

const TITLE = `survives ${KILLS} SIGKILLs across a backfill and deltas: the replica equals the emulator`;

describe(`${runMirror.name} on sqlite`, () => {
  it(TITLE, () => survivesKills({ name: 'sqlite', url: `sqlite:${join(dir, 'replica.db')}` }), 300_000);
});

const postgres: CrashStore = {
  name: 'postgres',
  url: POSTGRES_TEST_URL,
  schema: freshSchemaName('mirror_crash'),
};
const postgresTest = (): Promise<void> =>
  survivesKills(postgres).finally(() => dropSchema(postgres.schema as string).catch(() => {}));
if (await postgresReachable()) {
  describe(`${runMirror.name} on postgres`, () => {
    it(TITLE, postgresTest, 300_000);
  });
} else if (process.env['CI'] === 'true') {
  describe(`${runMirror.name} on postgres`, () => {
    beforeAll(() => {
      throw new Error(
        `PostgreSQL not reachable at ${POSTGRES_TEST_WHERE}: CI requires it (set NOTION_SYNC_TEST_POSTGRES_URL).`,
      );
    });
    it(TITLE, postgresTest, 300_000);
  });
} else {
  console.warn(
    `PostgreSQL not reachable at ${POSTGRES_TEST_WHERE}: skipping the PostgreSQL mirror crash suite.`,
  );
  describe.skip(`${runMirror.name} on postgres`, () => {
    it(TITLE, postgresTest, 300_000);
  });
}
