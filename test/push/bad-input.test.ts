/**
 * Bad input gets a clear error naming what is wrong, and writes nothing to Notion (DESIGN invariant 7).
 */
import { RateLimitError, Worker } from '@notionhq/workers';
import * as Builder from '@notionhq/workers/builder';
import * as Schema from '@notionhq/workers/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { runSyncCycle } from '../../src/push/run-sync-cycle.js';
import { startPushHarness, testWorker, TestSource, type PushHarness } from './push-harness.js';

let h: PushHarness;
beforeEach(async () => {
  h = await startPushHarness();
});
afterEach(async () => {
  await h.close();
});

/** A worker with one managed database `things` (title `Id`) and one sync `thingsSync` running `execute`. */
function thingsWorker(
  execute: () => Promise<{ changes: never[]; hasMore: boolean }>,
  properties: Record<string, Schema.PropertyConfiguration> = {},
  declare?: (w: Worker) => void,
): Worker {
  const worker = new Worker();
  declare?.(worker);
  const db = worker.database('things', {
    type: 'managed',
    initialTitle: 'Things',
    primaryKeyProperty: 'Id',
    schema: { properties: { Id: Schema.title(), ...properties } },
  });
  worker.sync('thingsSync', { database: db, execute });
  return worker;
}

/** A worker whose one sync returns `changes` once. */
function returning(changes: unknown[], declare?: (w: Worker) => void): Worker {
  return thingsWorker(
    async () => ({ changes: changes as never[], hasMore: false }),
    {
      Count: Schema.number(),
      Stage: Schema.status({ groups: [{ name: 'To-do', options: [{ name: 'New' }] }] }),
    },
    declare,
  );
}

const good = { type: 'upsert', key: 'ok', properties: { Id: Builder.title('ok') } };

async function expectNothingWritten(
  outcomePromise: ReturnType<typeof runSyncCycle>,
  message: RegExp,
): Promise<void> {
  const outcome = await outcomePromise;
  expect(outcome.status).toBe('failed');
  expect(outcome.error?.message).toMatch(message);
  expect(outcome.error?.hint).toBeTruthy();
  const stats = h.emulator.stats();
  expect(stats.calls['pages.create'] ?? 0).toBe(0);
  expect(stats.calls['databases.create'] ?? 0).toBe(0);
  expect(stats.calls['pages.update'] ?? 0).toBe(0);
  const run = await h.store.runs.get(outcome.runId);
  expect(run).toMatchObject({ status: 'failed' });
}

describe('bad input', () => {
  it('an unknown sync key', async () => {
    await expectNothingWritten(
      h.run(testWorker(new TestSource()), 'nope'),
      /Unknown sync "nope". Known syncs: "itemsReplace", "itemsDelta"/,
    );
  });

  it('a key that does not match its primary-key property', async () => {
    const change = { type: 'upsert', key: 'a', properties: { Id: Builder.title('b') } };
    await expectNothingWritten(
      h.run(returning([good, change]), 'thingsSync'),
      /key "a" does not match its primary key property "Id"/,
    );
  });

  it('a value of the wrong type', async () => {
    const change = {
      type: 'upsert',
      key: 'x',
      properties: { Id: Builder.title('x'), Count: Builder.richText('many') },
    };
    await expectNothingWritten(
      h.run(returning([good, change]), 'thingsSync'),
      /Row "x".*"Count".*not a finite number/,
    );
  });

  it('an unknown status option', async () => {
    const change = {
      type: 'upsert',
      key: 'x',
      properties: { Id: Builder.title('x'), Stage: Builder.status('Shipped') },
    };
    await expectNothingWritten(
      h.run(returning([good, change]), 'thingsSync'),
      /status "Shipped" is not an option of "Stage" \(options: "New"\)/,
    );
  });

  it('a relation to an undeclared database', async () => {
    const worker = thingsWorker(async () => ({ changes: [good as never], hasMore: false }), {
      Owner: Schema.relation('people'),
    });
    await expectNothingWritten(
      h.run(worker, 'thingsSync'),
      /relation to "people", which is neither a database nor a sync/,
    );
  });

  it('a failing execute fails the run, backs off, and reports WARNING then ERROR', async () => {
    const worker = thingsWorker(async () => {
      console.error('upstream is down');
      throw new Error('HTTP 503 from upstream');
    });
    const first = await h.run(worker, 'thingsSync');
    expect(first).toMatchObject({ status: 'failed', syncStatus: 'WARNING' });
    expect(first.error?.message).toMatch(/HTTP 503 from upstream/);
    expect(Date.parse(first.nextRunAt as string)).toBeGreaterThan(Date.now() + 50_000);
    const events = await h.store.runs.listEvents(first.runId, { limit: 50 });
    expect(events.map((e) => e.message)).toContain('upstream is down');
    await h.run(worker, 'thingsSync');
    const third = await h.run(worker, 'thingsSync');
    expect(third.syncStatus).toBe('ERROR');
    expect(h.emulator.stats().calls['pages.create'] ?? 0).toBe(0);
  });

  it("a worker's RateLimitError backs off at least its retryAfter", async () => {
    const worker = thingsWorker(async () => {
      throw new RateLimitError({ retryAfter: 7_200 });
    });
    const outcome = await h.run(worker, 'thingsSync');
    expect(outcome.status).toBe('failed');
    // Two hours: more than the first failure's exponential backoff (1 minute).
    expect(Date.parse(outcome.nextRunAt as string)).toBeGreaterThanOrEqual(Date.now() + 7_190_000);
  });
});
