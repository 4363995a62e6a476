import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitError } from '../../../src/cli/exit-error.js';
import { dbAttach } from '../../../src/cli/commands/db.js';
import { exec } from '../../../src/cli/commands/exec.js';
import { syncStateReset, syncStatusCommand, syncTrigger } from '../../../src/cli/commands/sync.js';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let emulator: EmulatorHandle;
let dir: string;
let lines: string[];
const env = {}; // no NOTION_TOKEN
const common = () => ({ cwd: dir, env, out: (line: string) => lines.push(line), emulatorUrl: emulator.url });

beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  dir = await mkdtemp(path.join(tmpdir(), 'notion-sync-push-cli-'));
  lines = [];
  await writeFile(
    path.join(dir, 'notion-sync.config.json'),
    JSON.stringify({
      store: 'sqlite:./store.db',
      workers: [{ module: fixture('notes-worker.ts'), parentPage: emulator.rootPageId }],
    }),
  );
});
afterEach(async () => {
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
});

describe(exec, () => {
  it('prints one step and writes nothing', async () => {
    const step = await exec({
      syncKey: 'notesSync',
      state: '{"page":1}',
      cwd: dir,
      env,
      out: (l) => lines.push(l),
    });
    expect(step.changes.map((c) => c.key)).toEqual(['n3']);
    expect(lines).toContain('[worker info] notes page 1');
    expect(lines).toContain('hasMore: false');
    expect(emulator.stats().requests).toBe(0);
  });

  it('refuses a module without a default Worker, naming the export it found', async () => {
    await expect(
      exec({ syncKey: 'x', worker: fixture('no-default-worker.ts'), cwd: dir, env }),
    ).rejects.toThrow(
      /no default export; expected a default export of a Worker.*exports a Worker as "worker"/,
    );
  });

  it('refuses --state that is not JSON', async () => {
    await expect(exec({ syncKey: 'notesSync', state: '{page', cwd: dir, env })).rejects.toThrow(
      /--state is not valid JSON/,
    );
  });
});

describe(syncTrigger, () => {
  it('without NOTION_TOKEN or --emulator-url tells the user what to set', async () => {
    await expect(syncTrigger({ syncKey: 'notesSync', cwd: dir, env })).rejects.toThrow(
      /NOTION_TOKEN is not set/,
    );
  });

  it('--preview lists the creates and writes nothing; a real trigger then writes them; status and reset', async () => {
    const preview = await syncTrigger({ ...common(), syncKey: 'notesSync', preview: true });
    expect(preview.preview?.creates.map((r) => r.key)).toEqual(['n1', 'n2', 'n3']);
    expect(lines).toContain('create database notes');
    expect(lines).toContain('create notes/n1: Slug, Text');
    expect(emulator.stats().calls['pages.create'] ?? 0).toBe(0);
    expect(emulator.stats().calls['databases.create'] ?? 0).toBe(0);

    const run = await syncTrigger({ ...common(), syncKey: 'notesSync' });
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 3 } });
    lines = [];
    await syncTrigger({ ...common(), syncKey: 'notesSync', preview: true });
    expect(lines[0]).toMatch(
      /planned from the key map .*checked against Notion now \(3 live page\(s\) read in 1 API call\(s\)/,
    );
    expect(lines.at(-1)).toMatch(/0 create\(s\), 0 update\(s\), 3 unchanged \(0 differing in Notion\)/);

    lines = [];
    const [report] = await syncStatusCommand({ ...common(), syncKey: 'notesSync' });
    expect(report).toMatchObject({ status: 'HEALTHY', completedCycles: 1, lastRun: { status: 'succeeded' } });
    expect(lines[0]).toMatch(/^notesSync {2}HEALTHY {2}1 cycle\(s\)/);

    expect(await syncStateReset({ ...common(), syncKey: 'notesSync' })).toBe(true);
    const [afterReset] = await syncStatusCommand({ ...common(), syncKey: 'notesSync' });
    expect(afterReset).toMatchObject({ status: 'INITIALIZING', completedCycles: 0 });
    const again = await syncTrigger({ ...common(), syncKey: 'notesSync' });
    expect(again.counts).toMatchObject({ created: 0, unchanged: 3 }); // the key map survives a reset
  });

  it('a failing run prints the error and exits non-zero', async () => {
    const error = await syncTrigger({ ...common(), syncKey: 'shelfSync' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExitError);
    expect(lines.join('\n')).toMatch(
      /not bound to a Notion database[\s\S]*hint: Run `notion-sync db attach shelf/,
    );
  });
});

describe(dbAttach, () => {
  it('binds an attached database, checks its schema, and the sync writes into it', async () => {
    const database = await new (await import('@notionhq/client')).Client({
      auth: 'x',
      baseUrl: emulator.url,
    }).databases.create({
      parent: { type: 'page_id', page_id: emulator.rootPageId as string },
      title: [{ type: 'text', text: { content: 'My shelf' } }],
      initial_data_source: { properties: { Name: { title: {} } } },
    });
    const binding = await dbAttach({
      ...common(),
      databaseKey: 'shelf',
      database: (database as { url: string }).url,
    });
    expect(binding).toMatchObject({ databaseKey: 'shelf', databaseId: database.id, lifecycle: 'attached' });
    const run = await syncTrigger({ ...common(), syncKey: 'shelfSync' });
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 2 } });
    expect(emulator.stats().calls['databases.create']).toBe(1); // ours only
  });
});

describe(syncStatusCommand, () => {
  it('--watch prints again every interval until aborted', async () => {
    const controller = new AbortController();
    let prints = 0;
    const reports = await syncStatusCommand({
      ...common(),
      syncKey: 'notesSync',
      watch: true,
      intervalMs: 5,
      signal: controller.signal,
      out: () => {
        prints += 1;
        if (prints === 3) controller.abort();
      },
    });
    expect(prints).toBe(3);
    expect(reports[0]).toMatchObject({ syncKey: 'notesSync', status: 'INITIALIZING', lastRun: null });
  });
});
