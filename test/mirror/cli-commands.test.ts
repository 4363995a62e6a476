/**
 * The `mirror`, `runs`, `history` and `search` commands, called as functions against an emulator and a
 * temporary SQLite store (their argument parsing lives in src/cli/cli.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@notionhq/client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MockInstance } from 'vitest';
import { ExitError } from '../../src/cli/exit-error.js';
import { history } from '../../src/cli/commands/history.js';
import { mirror } from '../../src/cli/commands/mirror.js';
import { runs } from '../../src/cli/commands/runs.js';
import { search } from '../../src/cli/commands/search.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';

let dir = '';
let emulator: EmulatorHandle;
let notion: Client;
let dataSourceId = '';
let pageId = '';
let log: MockInstance<typeof console.log>;
let error: MockInstance<typeof console.error>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'notion-sync-mirror-cli-'));
  emulator = await startEmulator({ port: 0 });
  notion = new Client({ auth: 'secret_cli_test', baseUrl: emulator.url, notionVersion: '2025-09-03' });
  const database = await notion.databases.create({
    parent: { type: 'page_id', page_id: emulator.rootPageId as string },
    title: [{ type: 'text', text: { content: 'Reading list' } }],
    initial_data_source: {
      properties: {
        Name: { title: {} },
        Status: { select: { options: [{ name: 'Todo' }, { name: 'Done' }] } },
      },
    },
  });
  dataSourceId = 'data_sources' in database ? (database.data_sources[0]?.id ?? '') : '';
  const page = await notion.pages.create({
    parent: { type: 'data_source_id', data_source_id: dataSourceId },
    properties: {
      Name: { title: [{ type: 'text', text: { content: 'Gödel, Escher, Bach' } }] },
      Status: { select: { name: 'Todo' } },
    },
    children: [
      {
        type: 'paragraph',
        paragraph: { rich_text: [{ type: 'text', text: { content: 'A braid of strange loops.' } }] },
      },
    ],
  });
  pageId = page.id;
});

afterAll(async () => {
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
});

function captureOutput(): void {
  log = vi.spyOn(console, 'log').mockImplementation(() => {});
  error = vi.spyOn(console, 'error').mockImplementation(() => {});
}
afterEach(() => vi.restoreAllMocks());

const printed = (): string => log.mock.calls.map((c) => c.join(' ')).join('\n');
const store = (): string => `sqlite:${join(dir, 'replica.db')}`;
const common = () => ({ store: store(), cwd: dir });

describe(mirror, () => {
  it('tells the user to set NOTION_TOKEN or use --emulator-url when there is no token', async () => {
    captureOutput();
    await expect(mirror({ sources: [dataSourceId], ...common(), env: {}, progress: false })).rejects.toEqual(
      new ExitError(2),
    );
    const message = error.mock.calls.flat().join('\n');
    expect(message).toMatch(/NOTION_TOKEN is not set/);
    expect(message).toMatch(/--emulator-url/);
  });

  it('mirrors from the emulator, prints one summary line per data source and the run', async () => {
    captureOutput();
    const outcome = await mirror({
      sources: [dataSourceId],
      ...common(),
      env: {},
      emulatorUrl: emulator.url,
      progress: false,
    });
    expect(outcome.status).toBe('succeeded');
    expect(printed()).toMatch(/Reading list \(backfill, view reading_list\): 1 created/);
    expect(printed()).toMatch(/mirror succeeded: 1 created/);
  });

  it('draws a progress bar on request and still prints the summary', async () => {
    captureOutput();
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const outcome = await mirror({
      sources: [dataSourceId],
      ...common(),
      env: {},
      emulatorUrl: emulator.url,
      progress: true,
    });
    expect(outcome.status).toBe('succeeded');
    expect(write.mock.calls.map((c) => String(c[0])).join('')).toMatch(/Reading list .*pages/);
    expect(printed()).toMatch(/mirror succeeded/);
  });

  it('reads discovery again on a delta when asked by --rediscover-after-ms or the config', async () => {
    captureOutput();
    const delta = async (extra: { rediscoverAfterMs?: number; config?: string }): Promise<number> => {
      const outcome = await mirror({
        sources: [dataSourceId],
        // A store of its own: the runs below must not show in `runs list` further down.
        store: `sqlite:${join(dir, 'rediscover.db')}`,
        cwd: dir,
        env: {},
        emulatorUrl: emulator.url,
        progress: false,
        ...extra,
      });
      expect(outcome.status).toBe('succeeded');
      return outcome.apiCalls;
    };
    await delta({});
    // Discovery recorded moments ago is trusted (default: one hour): the delta is one query.
    expect(await delta({})).toBe(1);
    // 0 reads it again: + dataSources.retrieve.
    expect(await delta({ rediscoverAfterMs: 0 })).toBe(2);
    await writeFile(join(dir, 'rediscover.json'), JSON.stringify({ rediscoverAfterMs: 0 }));
    expect(await delta({ config: 'rediscover.json' })).toBe(2);
    // The flag wins over the config.
    expect(await delta({ config: 'rediscover.json', rediscoverAfterMs: 3_600_000 })).toBe(1);
  });

  it('exits 1 with a hint to share the database when Notion cannot see it', async () => {
    captureOutput();
    await expect(
      mirror({
        sources: ['0123456789abcdef0123456789abcdef'],
        ...common(),
        env: {},
        emulatorUrl: emulator.url,
        progress: false,
      }),
    ).rejects.toEqual(new ExitError(1));
    expect(error.mock.calls.flat().join('\n')).toMatch(/hint: .*share the database with your integration/);
  });
});

describe(runs, () => {
  it('lists runs as TSV with the run id first, and shows one with counts and events', async () => {
    captureOutput();
    await runs({ action: 'list', plain: true, ...common() });
    const lines = printed().split('\n');
    expect(lines).toHaveLength(3); // two succeeded mirrors, one failed
    expect(lines.every((l) => l.split('\t').length === 13)).toBe(true);
    const succeeded = lines
      .map((l) => l.split('\t'))
      .find((f) => f[2] === 'succeeded' && f[6] === '1') as string[];
    expect(succeeded[1]).toBe('mirror');
    const runId = succeeded[0] as string;

    log.mockClear();
    await runs({ action: 'show', id: runId, ...common() });
    expect(printed()).toMatch(/counts +created 1, updated 0, unchanged 0, deleted 0, restored 0, failed 0/);
    expect(printed()).toMatch(/API calls \d+/);
    expect(printed()).toMatch(/mirror started/);
    expect(printed()).toMatch(/data source finished/);
  });

  it('exits 1 for an unknown run id', async () => {
    captureOutput();
    await expect(runs({ action: 'show', id: 'nope', ...common() })).rejects.toEqual(new ExitError(1));
    expect(error.mock.calls.flat().join('\n')).toMatch(/runs list/);
  });
});

describe(history, () => {
  it('shows each version with a readable diff', async () => {
    await notion.pages.update({ page_id: pageId, properties: { Status: { select: { name: 'Done' } } } });
    captureOutput();
    await mirror({
      sources: [dataSourceId],
      ...common(),
      env: {},
      emulatorUrl: emulator.url,
      progress: false,
    });
    log.mockClear();
    const versions = await history({ page: pageId.replace(/-/g, ''), ...common() });
    expect(versions.map((v) => v.changeKind)).toEqual(['created', 'updated']);
    expect(printed()).toMatch(/v1 .* created/);
    expect(printed()).toMatch(/v2 .* updated/);
    expect(printed()).toMatch(/Status: "Todo" → "Done"/);
  });
});

describe(search, () => {
  it('finds pages by words of their body', async () => {
    captureOutput();
    const hits = await search({ text: 'strange loops', ...common() });
    expect(hits.map((h) => h.pageId)).toEqual([pageId]);
    expect(printed()).toMatch(/Gödel, Escher, Bach/);
  });
});
