import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoData, startJsonApi, type JsonApi } from '../../examples/json-api-server.js';
import {
  advanceCursor,
  foldChanges,
  INITIAL_SYNC_CURSOR,
  stateForNextStep,
  type SyncCursor,
} from '../../src/workers/cycle-planner.js';
import { databaseCreationOf } from '../../src/workers/database-schema.js';
import { loadWorker, type LoadedWorker } from '../../src/workers/load-worker.js';
import {
  executeStep,
  WorkerRateLimitError,
  type PacerStates,
  type StepResult,
  type WorkerChange,
} from '../../src/workers/sync-driver.js';
import { tokensToPropertyValues } from '../../src/workers/token-values.js';
import { getWorkerDatabase, getWorkerSync, readWorkerManifest } from '../../src/workers/worker-manifest.js';

const example = (name: string): string =>
  fileURLToPath(new URL(`../../examples/${name}/worker.ts`, import.meta.url));

let api: JsonApi;
beforeAll(async () => {
  api = await startJsonApi(demoData());
  process.env.EXAMPLE_API_URL = api.url;
});
afterAll(async () => {
  delete process.env.EXAMPLE_API_URL;
  await api.stop();
});

/** Runs one cycle of a sync the way the push engine will: state from the cursor, cursor advanced per batch. */
async function runCycle(
  worker: LoadedWorker,
  syncKey: string,
  cursor: SyncCursor,
  pacerStates: PacerStates = {},
): Promise<{ steps: StepResult[]; cursor: SyncCursor; pacerStates: PacerStates }> {
  const description = readWorkerManifest(worker.manifest);
  const mode = getWorkerSync(description, syncKey).mode;
  const steps: StepResult[] = [];
  for (let i = 0; i < 20; i++) {
    const step = await executeStep(worker, syncKey, {
      state: stateForNextStep(mode, cursor),
      pacerStates,
      description,
    });
    steps.push(step);
    const advance = advanceCursor(syncKey, mode, step);
    cursor = advance.cursor;
    pacerStates = step.nextPacerStates;
    if (advance.cycleComplete) return { steps, cursor, pacerStates };
  }
  throw new Error('cycle did not complete in 20 steps');
}

const keysOf = (changes: readonly WorkerChange[]) => changes.map((c) => `${c.kind}:${c.key}`);

describe('example 1: paginated replace sync', () => {
  it('lists 25 issues in three steps per cycle, each cycle from the start, with console output', async () => {
    const worker = await loadWorker(example('paginated-replace'));
    const first = await runCycle(worker, 'issuesSync', INITIAL_SYNC_CURSOR);
    expect(first.steps.map((s) => s.changes.length)).toEqual([10, 10, 5]);
    expect(first.steps.map((s) => s.hasMore)).toEqual([true, true, false]);
    expect(first.steps[1]?.logs.map((l) => l.message)).toEqual(['fetched 10 issues from cursor 10']);
    expect(first.cursor).toEqual({ state: undefined, cycleInProgress: false });
    expect(Object.keys(first.pacerStates)).toEqual(['issuesApi']);
    const second = await runCycle(worker, 'issuesSync', first.cursor, first.pacerStates);
    expect(second.steps[0]?.logs[0]?.message).toBe('fetched 10 issues from cursor start');
  });

  it('converts its rows to Notion values and its database to a Notion schema', async () => {
    const worker = await loadWorker(example('paginated-replace'));
    const description = readWorkerManifest(worker.manifest);
    const db = getWorkerDatabase(description, 'issues');
    expect(databaseCreationOf(db, () => undefined).properties.Status).toEqual({
      select: {
        options: [
          { name: 'Open', color: 'red' },
          { name: 'In progress', color: 'yellow' },
          { name: 'Done', color: 'green' },
        ],
      },
    });
    const step = await executeStep(worker, 'issuesSync', { state: undefined, description });
    const change = step.changes[1];
    if (change?.kind !== 'upsert') throw new Error('expected an upsert');
    const converted = await tokensToPropertyValues(db, change.properties, {
      resolveUserId: async () => undefined,
      resolveRelatedPage: async () => undefined,
    });
    expect(converted.properties).toEqual({
      Title: { title: [{ type: 'text', text: { content: 'Issue 2' } }] },
      'Issue ID': { rich_text: [{ type: 'text', text: { content: 'ISS-2' } }] },
      Status: { select: { name: 'In progress' } },
      Points: { number: 1 },
      Labels: { multi_select: [{ name: 'bug' }] },
      Link: { url: 'https://issues.example.com/2' },
      Updated: { date: { start: '2026-01-02T00:00:00Z' } },
    });
    expect(change.upstreamUpdatedAt).toBe('2026-01-02T00:00:00.000Z');
  });

  it('turns an upstream 429 into WorkerRateLimitError with retryAfterMs', async () => {
    const worker = await loadWorker(example('paginated-replace'));
    api.failNext(429, { 'retry-after': '7' });
    const error = await executeStep(worker, 'issuesSync', { state: undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerRateLimitError);
    expect((error as WorkerRateLimitError).retryAfterMs).toBe(7_000);
  });
});

describe('example 2: backfill + delta with deletes', () => {
  it('backfills in replace mode, then follows the change feed with a cursor that persists across cycles', async () => {
    const local = await startJsonApi({ issues: demoData().issues!.slice(0, 30) });
    const saved = process.env.EXAMPLE_API_URL;
    process.env.EXAMPLE_API_URL = local.url;
    try {
      const worker = await loadWorker(example('backfill-delta'));
      const description = readWorkerManifest(worker.manifest);
      expect(description.syncs.map((s) => [s.key, s.databaseKey, s.mode, s.schedule])).toEqual([
        ['ticketsBackfill', 'tickets', 'replace', { type: 'interval', intervalMs: 86_400_000 }],
        ['ticketsDelta', 'tickets', 'incremental', { type: 'interval', intervalMs: 300_000 }],
      ]);
      const backfill = await runCycle(worker, 'ticketsBackfill', INITIAL_SYNC_CURSOR);
      expect(backfill.steps.flatMap((s) => s.changes)).toHaveLength(25);

      const delta1 = await runCycle(worker, 'ticketsDelta', INITIAL_SYNC_CURSOR, backfill.pacerStates);
      expect(delta1.steps.map((s) => s.changes.length)).toEqual([20, 5]);
      expect(delta1.cursor).toEqual({ state: { since: 25 }, cycleInProgress: false });

      local.upsert('issues', {
        id: 'ISS-3',
        title: 'Issue 3 (edited)',
        status: 'Done',
        updatedAt: '2026-02-01T00:00:00Z',
      });
      local.remove('issues', 'ISS-4');
      local.upsert('issues', {
        id: 'ISS-3',
        title: 'Issue 3 (edited twice)',
        status: 'Done',
        updatedAt: '2026-02-02T00:00:00Z',
      });
      const delta2 = await runCycle(worker, 'ticketsDelta', delta1.cursor, delta1.pacerStates);
      const changes = delta2.steps.flatMap((s) => s.changes);
      expect(keysOf(changes)).toEqual(['upsert:ISS-3', 'delete:ISS-4', 'upsert:ISS-3']);
      expect(keysOf(foldChanges(changes))).toEqual(['delete:ISS-4', 'upsert:ISS-3']);
      expect(delta2.cursor.state).toEqual({ since: 28 });
      expect(delta2.steps[0]?.logs.map((l) => [l.level, l.message])).toEqual([
        ['info', 'delta: 3 changes up to 28'],
      ]);

      const delta3 = await runCycle(worker, 'ticketsDelta', delta2.cursor, delta2.pacerStates);
      expect(delta3.steps.map((s) => s.changes.length)).toEqual([0]);
      expect(delta3.cursor.state).toEqual({ since: 28 });
    } finally {
      process.env.EXAMPLE_API_URL = saved;
      await local.stop();
    }
  });
});

describe('example 3: two related databases', () => {
  it('declares the two-way and self relations, and resolves relation keys through a key map', async () => {
    const worker = await loadWorker(example('related-databases'));
    const description = readWorkerManifest(worker.manifest);
    const tasks = getWorkerDatabase(description, 'tasks');
    expect(tasks.properties.Project).toMatchObject({
      relatedDatabaseKey: 'projects',
      twoWay: true,
      relatedPropertyName: 'Tasks',
    });
    expect(
      databaseCreationOf(tasks, (k) => (k === 'projects' ? 'ds-p' : undefined)).deferredRelations,
    ).toEqual(['Blocked by']);

    // A key map as the push engine keeps it: (database, key) → page id, filled as rows are written.
    const keyMap = new Map<string, string>();
    const resolvers = {
      resolveUserId: async () => undefined,
      resolveRelatedPage: async (db: string, key: string) => keyMap.get(`${db}/${key}`),
    };
    for (const change of (await executeStep(worker, 'projectsSync', { state: undefined, description }))
      .changes) {
      keyMap.set(`projects/${change.key}`, `page-${change.key}`);
    }
    const step = await executeStep(worker, 'tasksSync', { state: undefined, description });
    const written: Record<string, unknown> = {};
    const pending: unknown[] = [];
    for (const change of [...step.changes].reverse()) {
      if (change.kind !== 'upsert') continue;
      const converted = await tokensToPropertyValues(tasks, change.properties, resolvers);
      written[change.key] = {
        Project: converted.properties.Project,
        'Blocked by': converted.properties['Blocked by'],
      };
      pending.push(...converted.unresolvedRelations.map((u) => ({ key: change.key, ...u })));
      keyMap.set(`tasks/${change.key}`, `page-${change.key}`);
    }
    expect(written).toEqual({
      'T-3': { Project: { relation: [{ id: 'page-P-2' }] }, 'Blocked by': { relation: [] } },
      'T-2': { Project: { relation: [{ id: 'page-P-1' }] }, 'Blocked by': { relation: [] } },
      'T-1': { Project: { relation: [{ id: 'page-P-1' }] }, 'Blocked by': { relation: [] } },
    });
    // Written in reverse, T-2's blocker T-1 had no page yet: the link is returned for completion later.
    expect(pending).toEqual([
      {
        key: 'T-2',
        property: 'Blocked by',
        relatedDatabaseKey: 'tasks',
        primaryKeys: ['T-1'],
        unresolvedKeys: ['T-1'],
      },
    ]);
  });
});

describe('example 4: page bodies', () => {
  it('returns markdown bodies (an empty one to clear), icons and covers', async () => {
    const worker = await loadWorker(example('page-bodies'));
    const step = await executeStep(worker, 'notesSync', { state: undefined });
    expect(step.hasMore).toBe(false);
    expect(
      step.changes.map((c) =>
        c.kind === 'upsert' ? [c.key, c.pageContentMarkdown, c.icon, c.cover?.url] : null,
      ),
    ).toEqual([
      [
        'N-1',
        '# Agenda\n\n- budget\n- hiring\n\nSee [the plan](https://example.com/plan).',
        { type: 'emoji', value: '📝' },
        'https://images.example.com/cover.png',
      ],
      ['N-2', '', { type: 'emoji', value: '📝' }, 'https://images.example.com/cover.png'],
    ]);
    const description = readWorkerManifest(worker.manifest);
    expect(getWorkerSync(description, 'notesSync').schedule).toEqual({ type: 'manual' });
    const notes = getWorkerDatabase(description, 'notes');
    const first = step.changes[0];
    if (first?.kind !== 'upsert') throw new Error('expected an upsert');
    const converted = await tokensToPropertyValues(notes, first.properties, {
      resolveUserId: async () => undefined,
      resolveRelatedPage: async () => undefined,
    });
    expect(converted.properties.Source).toEqual({ url: 'https://notes.example.com/N-1' });
  });
});
