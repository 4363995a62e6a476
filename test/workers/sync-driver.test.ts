import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RateLimitError, Worker } from '@notionhq/workers';
import * as Builder from '@notionhq/workers/builder';
import * as Schema from '@notionhq/workers/schema';
import { describe, expect, it } from 'vitest';
import { CancelledError, WorkerError, registerSecret } from '../../src/errors.js';
import { ManualClock } from '../../src/manual-clock.js';
import { loadWorker, type LoadedWorker } from '../../src/workers/load-worker.js';
import { executeStep, stepLogsOf, WorkerRateLimitError } from '../../src/workers/sync-driver.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

type Execute = (state: unknown) => Promise<{ changes: unknown[]; hasMore: boolean; nextState?: unknown }>;

/** A worker with one database (primary key "Key") and one sync running `execute`. */
function workerWith(execute: Execute, setup?: (w: Worker) => void): Worker {
  const worker = new Worker();
  setup?.(worker);
  const items = worker.database('items', {
    type: 'managed',
    initialTitle: 'Items',
    primaryKeyProperty: 'Key',
    schema: { properties: { Key: Schema.title(), Note: Schema.richText() } },
  });
  worker.database('other', {
    type: 'managed',
    initialTitle: 'Other',
    primaryKeyProperty: 'Id',
    schema: { properties: { Id: Schema.title() } },
  });
  worker.sync('itemsSync', { database: items, execute: execute as never });
  return worker;
}

const upsert = (key: string, extra: Record<string, unknown> = {}) => ({
  type: 'upsert' as const,
  key,
  properties: { Key: Builder.title(key) },
  ...extra,
});

/** Records the context each run receives. */
function recording(worker: LoadedWorker): { worker: LoadedWorker; contexts: unknown[] } {
  const contexts: unknown[] = [];
  return {
    contexts,
    worker: {
      manifest: worker.manifest,
      run: (key, context, options) => {
        contexts.push(structuredClone(context));
        return worker.run(key, context, options);
      },
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(Error);
  return e as Error;
}

describe(executeStep, () => {
  it('drives a loaded worker step by step, handing the state back, until hasMore is false', async () => {
    const worker = await loadWorker(fixture('good-worker.ts'));
    let state: unknown = undefined;
    const keys: string[] = [];
    for (let i = 0; i < 10; i++) {
      const step = await executeStep(worker, 'thingsSync', { state });
      keys.push(...step.changes.map((c) => c.key));
      state = step.nextState;
      if (!step.hasMore) break;
    }
    expect(keys).toEqual(['t1', 't2', 't3']);
    expect(state).toBe(3);
  });

  it('returns typed upserts and deletes with every optional field', async () => {
    const worker = workerWith(async () => ({
      changes: [
        upsert('a', {
          icon: Builder.emojiIcon('🎯'),
          cover: Builder.imageCover('https://c.example/c.png'),
          pageContentMarkdown: '# A',
          upstreamUpdatedAt: '2026-01-01T00:00:00Z',
        }),
        { type: 'delete', key: 'b' },
        { type: 'upsert', key: 'x', targetDatabaseKey: 'other', properties: { Id: Builder.title('x') } },
      ],
      hasMore: false,
    }));
    const step = await executeStep(worker, 'itemsSync', { state: undefined });
    expect(step.changes).toEqual([
      {
        kind: 'upsert',
        targetDatabaseKey: 'items',
        key: 'a',
        properties: { Key: [['a']] },
        icon: { type: 'emoji', value: '🎯' },
        cover: { type: 'image', url: 'https://c.example/c.png', position: 0.5 },
        pageContentMarkdown: '# A',
        upstreamUpdatedAt: '2026-01-01T00:00:00Z',
      },
      { kind: 'delete', targetDatabaseKey: 'items', key: 'b' },
      { kind: 'upsert', targetDatabaseKey: 'other', key: 'x', properties: { Id: [['x']] } },
    ]);
    expect(step.hasMore).toBe(false);
    expect(step.nextState).toBeUndefined();
  });

  it('passes every declared pacer on every call, also one declared after the sync, and returns their states', async () => {
    let early!: ReturnType<Worker['pacer']>;
    const worker = workerWith(
      async () => {
        await early.wait();
        await late.wait();
        return { changes: [], hasMore: false };
      },
      (w) => (early = w.pacer('early', { allowedRequests: 1000, intervalMs: 1000 })),
    );
    const late = worker.pacer('late', { allowedRequests: 500, intervalMs: 1000 });
    const rec = recording(worker);
    const first = await executeStep(rec.worker, 'itemsSync', { state: undefined });
    expect(Object.keys(first.nextPacerStates).sort()).toEqual(['early', 'late']);
    expect(first.nextPacerStates.late).toMatchObject({ allowedRequests: 500, intervalMs: 1000 });
    expect(first.nextPacerStates.late?.lastScheduledAtMs).toBeGreaterThan(0);
    const stored = { early: { ...first.nextPacerStates.early!, allowedRequests: 1 } };
    await executeStep(rec.worker, 'itemsSync', { state: 's', pacerStates: stored });
    expect(rec.contexts).toEqual([
      {
        state: undefined,
        pacers: {
          early: { lastScheduledAtMs: 0, allowedRequests: 1000, intervalMs: 1000 },
          late: { lastScheduledAtMs: 0, allowedRequests: 500, intervalMs: 1000 },
        },
      },
      {
        state: 's',
        pacers: {
          // the schedule comes from the stored state, the budget from the declaration
          early: {
            lastScheduledAtMs: first.nextPacerStates.early!.lastScheduledAtMs,
            allowedRequests: 1000,
            intervalMs: 1000,
          },
          late: { lastScheduledAtMs: 0, allowedRequests: 500, intervalMs: 1000 },
        },
      },
    ]);
  });

  it('captures console output with levels and clock timestamps, redacts secrets, and restores the console', async () => {
    registerSecret('ntn_supersecretvalue1234567890');
    const original = { log: console.log, info: console.info, warn: console.warn, error: console.error };
    const worker = workerWith(async () => {
      console.log('fetched %d items', 3);
      console.info({ page: 2 });
      console.warn('slow upstream');
      console.error('token ntn_supersecretvalue1234567890 refused');
      console.debug('details');
      return { changes: [], hasMore: false };
    });
    const clock = new ManualClock(1_700_000_000_000);
    const live: string[] = [];
    const step = await executeStep(worker, 'itemsSync', {
      state: undefined,
      clock,
      onLog: (e) => live.push(e.message),
    });
    expect(step.logs).toEqual([
      { level: 'info', message: 'fetched 3 items', atMs: 1_700_000_000_000 },
      { level: 'info', message: '{ page: 2 }', atMs: 1_700_000_000_000 },
      { level: 'warn', message: 'slow upstream', atMs: 1_700_000_000_000 },
      { level: 'error', message: 'token [REDACTED] refused', atMs: 1_700_000_000_000 },
      { level: 'debug', message: 'details', atMs: 1_700_000_000_000 },
    ]);
    expect(live).toHaveLength(5);
    expect({ log: console.log, info: console.info, warn: console.warn, error: console.error }).toEqual(
      original,
    );
  });

  it('keeps the console output of concurrent steps of two modules apart', async () => {
    const a = await loadWorker(fixture('logging-worker.ts'));
    const b = await loadWorker(fixture('logging-worker.ts'));
    const [ra, rb] = await Promise.all([
      executeStep(a, 'itemsSync', { state: { tag: 'A' } }),
      executeStep(b, 'itemsSync', { state: { tag: 'B' } }),
    ]);
    expect(ra.logs.map((l) => l.message)).toEqual(['start A', 'end A']);
    expect(rb.logs.map((l) => l.message)).toEqual(['start B', 'end B']);
  });

  it('never runs two steps of the same module at once', async () => {
    let active = 0;
    let maxActive = 0;
    const worker = workerWith(async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 10));
      active -= 1;
      return { changes: [], hasMore: false };
    });
    await Promise.all([1, 2, 3].map((i) => executeStep(worker, 'itemsSync', { state: i })));
    expect(maxActive).toBe(1);
  });

  it('sets NOTION_API_TOKEN and NOTION_API_BASE_URL for the step so context.notion talks to our Notion', async () => {
    const before = process.env.NOTION_API_TOKEN;
    let seen: unknown;
    const worker = new Worker();
    const db = worker.database('items', {
      type: 'managed',
      initialTitle: 'Items',
      primaryKeyProperty: 'Key',
      schema: { properties: { Key: Schema.title() } },
    });
    worker.sync('itemsSync', {
      database: db,
      execute: async (_state, { notion }) => {
        seen = [process.env.NOTION_API_TOKEN, process.env.NOTION_API_BASE_URL, typeof notion.pages.create];
        return { changes: [], hasMore: false };
      },
    });
    await executeStep(worker, 'itemsSync', {
      state: undefined,
      env: { NOTION_API_TOKEN: 'ntn_testtoken000000000000000000', NOTION_API_BASE_URL: 'http://127.0.0.1:9' },
    });
    expect(seen).toEqual(['ntn_testtoken000000000000000000', 'http://127.0.0.1:9', 'function']);
    expect(process.env.NOTION_API_TOKEN).toBe(before);
  });

  it('passes our state even when NOTION_INPUT_PAYLOAD_PATH is set (the SDK would read its input from that file)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ns-payload-'));
    const payload = join(dir, 'input.json');
    await writeFile(payload, JSON.stringify({ state: 'from-file' }));
    process.env.NOTION_INPUT_PAYLOAD_PATH = payload;
    try {
      let seen: unknown;
      const worker = workerWith(async (state) => {
        seen = state;
        return { changes: [], hasMore: false };
      });
      await executeStep(worker, 'itemsSync', { state: 'ours' });
      expect(seen).toBe('ours');
      expect(process.env.NOTION_INPUT_PAYLOAD_PATH).toBe(payload);
    } finally {
      delete process.env.NOTION_INPUT_PAYLOAD_PATH;
    }
  });

  it('maps a throwing execute (the SDK ExecutionError) to a WorkerError with the cause and the step logs', async () => {
    const boom = new Error('upstream exploded');
    const worker = workerWith(async () => {
      console.log('about to fail');
      throw boom;
    });
    const e = await failure(executeStep(worker, 'itemsSync', { state: undefined }));
    expect(e).toBeInstanceOf(WorkerError);
    expect(e.message).toBe(`Sync "itemsSync" failed in the worker's execute: Error: upstream exploded`);
    expect(e.cause).toBe(boom);
    expect(stepLogsOf(e).map((l) => l.message)).toEqual(['about to fail']);
  });

  it('maps RateLimitError to WorkerRateLimitError with retryAfterMs', async () => {
    const limited = workerWith(async () => {
      throw new RateLimitError({ retryAfter: 30 });
    });
    const e = await failure(executeStep(limited, 'itemsSync', { state: undefined }));
    expect(e).toBeInstanceOf(WorkerRateLimitError);
    expect((e as WorkerRateLimitError).retryAfterMs).toBe(30_000);
    expect((e as WorkerRateLimitError).code).toBe('worker_error');
    const bare = workerWith(async () => {
      throw new RateLimitError();
    });
    const e2 = (await failure(executeStep(bare, 'itemsSync', { state: undefined }))) as WorkerRateLimitError;
    expect(e2.retryAfterMs).toBeUndefined();
  });

  it('refuses a change whose key does not match its primary key value, naming the sync and key', async () => {
    const worker = workerWith(async () => ({
      changes: [upsert('a'), { ...upsert('b'), key: 'c' }],
      hasMore: false,
    }));
    const e = await failure(executeStep(worker, 'itemsSync', { state: undefined }));
    expect(e).toBeInstanceOf(WorkerError);
    expect(e.message).toBe(
      'Sync "itemsSync" returned an invalid change #1: key "c" does not match its primary key property "Key" ("b")',
    );
  });

  it('refuses an unknown target database, an upsert without its primary key, and a bad upstreamUpdatedAt', async () => {
    const run = (changes: unknown[]) =>
      failure(
        executeStep(
          workerWith(async () => ({ changes, hasMore: false })),
          'itemsSync',
          { state: undefined },
        ),
      );
    expect((await run([{ ...upsert('a'), targetDatabaseKey: 'ghost' }])).message).toContain(
      'targetDatabaseKey "ghost" is not a database of the worker ("items", "other")',
    );
    expect(
      (await run([{ type: 'upsert', key: 'a', properties: { Note: Builder.richText('n') } }])).message,
    ).toContain('the primary key property "Key" is missing');
    expect((await run([upsert('a', { upstreamUpdatedAt: 'yesterday' })])).message).toContain(
      'upstreamUpdatedAt "yesterday" is not an ISO 8601 time',
    );
  });

  it('fails a step that outlives its timeout, yet keeps the module locked until its execute really ends', async () => {
    let finish!: () => void;
    let calls = 0;
    const worker = workerWith(async () => {
      calls += 1;
      if (calls === 1) await new Promise<void>((r) => (finish = r));
      return { changes: [], hasMore: false };
    });
    const clock = new ManualClock(0);
    const hung = failure(executeStep(worker, 'itemsSync', { state: undefined, clock, timeoutMs: 5_000 }));
    await clock.advance(5_000);
    const e = await hung;
    expect(e).toBeInstanceOf(WorkerError);
    expect(e.message).toBe('Sync "itemsSync" did not finish its execute within 5000 ms');
    const next = executeStep(worker, 'itemsSync', { state: undefined, clock });
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(1); // still waiting for the hung execute
    finish();
    await next;
    expect(calls).toBe(2);
  });

  it('stops waiting with a CancelledError when the signal aborts', async () => {
    let finish!: () => void;
    const worker = workerWith(async () => {
      await new Promise<void>((r) => (finish = r));
      return { changes: [], hasMore: false };
    });
    const controller = new AbortController();
    const step = executeStep(worker, 'itemsSync', { state: undefined, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect(await failure(step)).toBeInstanceOf(CancelledError);
    finish();
  });

  it('hands nextState over as JSON, as Notion does, and refuses one that is not JSON', async () => {
    const dated = workerWith(async () => ({
      changes: [],
      hasMore: true,
      nextState: { at: new Date(Date.UTC(2026, 0, 2)), gone: undefined, page: 2 },
    }));
    const step = await executeStep(dated, 'itemsSync', { state: undefined });
    expect(step.nextState).toEqual({ at: '2026-01-02T00:00:00.000Z', page: 2 });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad = workerWith(async () => ({ changes: [], hasMore: true, nextState: cyclic }));
    expect((await failure(executeStep(bad, 'itemsSync', { state: undefined }))).message).toMatch(
      /^Sync "itemsSync" returned a nextState that is not JSON/,
    );
  });

  it('refuses a property the target database does not declare', async () => {
    const worker = workerWith(async () => ({
      changes: [upsert('a', { properties: { Key: Builder.title('a'), Colour: Builder.select('red') } })],
      hasMore: false,
    }));
    expect((await failure(executeStep(worker, 'itemsSync', { state: undefined }))).message).toBe(
      'Sync "itemsSync" returned an invalid change #0: key "a": database "items" declares no property "Colour"',
    );
  });

  it('refuses an unknown sync key, listing the known ones', async () => {
    const worker = workerWith(async () => ({ changes: [], hasMore: false }));
    await expect(executeStep(worker, 'nope', { state: undefined })).rejects.toThrow(
      'Unknown sync "nope". Known syncs: "itemsSync"',
    );
  });
});
