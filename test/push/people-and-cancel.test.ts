import { Worker } from '@notionhq/workers';
import * as Builder from '@notionhq/workers/builder';
import * as Schema from '@notionhq/workers/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSyncCycle } from '../../src/push/run-sync-cycle.js';
import { startPushHarness, testWorker, TestSource, type PushHarness } from './push-harness.js';

let h: PushHarness;
beforeEach(async () => {
  h = await startPushHarness();
});
afterEach(async () => {
  await h.close();
});

function peopleWorker(emails: string[]): Worker {
  const worker = new Worker();
  const db = worker.database('tasks', {
    type: 'managed',
    initialTitle: 'Tasks',
    primaryKeyProperty: 'Id',
    schema: { properties: { Id: Schema.title(), Owners: Schema.people() } },
  });
  worker.sync('tasksSync', {
    database: db,
    execute: async () => ({
      changes: [
        {
          type: 'upsert',
          key: 't1',
          properties: { Id: Builder.title('t1'), Owners: Builder.people(...emails) },
        },
      ],
      hasMore: false,
    }),
  });
  return worker;
}

describe(runSyncCycle, () => {
  it('people are found by email among the workspace users', async () => {
    const outcome = await h.run(peopleWorker(['grace@example.com', 'ADA@example.com']), 'tasksSync');
    expect([outcome.status, outcome.error?.message]).toEqual(['succeeded', undefined]);
    const owners = (await h.rows('tasks', 'Id')).get('t1')?.properties.Owners as { email?: string }[];
    expect(owners.map((o) => o.email).sort()).toEqual(['ada@example.com', 'grace@example.com']);
  });

  it('an email no user has fails the batch before anything is written', async () => {
    const outcome = await h.run(peopleWorker(['nobody@example.com']), 'tasksSync');
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toMatch(
      /Row "t1".*no user of the workspace has the email "nobody@example.com"/,
    );
    expect(h.emulator.stats().calls['pages.create'] ?? 0).toBe(0);
  });

  it('an abort stops the cycle between batches: committed batches stay, nothing is swept', async () => {
    const source = new TestSource();
    for (let i = 0; i < 9; i++) source.upsert({ id: `k${i}`, title: `K${i}` });
    const worker = testWorker(source);
    await h.run(worker, 'itemsReplace');
    source.remove('k8');
    source.upsert({ id: 'k0', title: 'K0 changed' });
    const controller = new AbortController();
    const aborted = await h.run(worker, 'itemsReplace', {
      signal: controller.signal,
      logger: (_level, message) => {
        if (message === 'batch committed') controller.abort();
      },
    });
    // The abort came once batch 1 committed; batch 2 was already being written (the pipeline) and commits too.
    expect(aborted).toMatchObject({ status: 'cancelled', batches: 2, sweep: { trashed: 0 } });
    const rows = await h.rows('items', 'Key');
    expect(rows.get('k0')?.properties.Name).toBe('K0 changed');
    expect(rows.has('k8')).toBe(true);
    expect((await h.store.runs.get(aborted.runId))?.status).toBe('cancelled');
    // The next run resumes the cycle where it stopped, and sweeps once it completes.
    const resumed = await h.run(worker, 'itemsReplace');
    expect(resumed).toMatchObject({ status: 'succeeded', batches: 1, sweep: { trashed: 1 } });
  });
});
