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

describe(runSyncCycle, () => {
  it('replace mode: creates the database and rows, then a second cycle changes nothing', async () => {
    const source = new TestSource();
    source.upsert(
      { id: 'a', title: 'Alpha', status: 'Open', tags: ['a'] },
      { id: 'b', title: 'Beta', status: 'Done', parent: 'a' },
      { id: 'c', title: 'Gamma' },
      { id: 'd', title: 'Delta', parent: 'e' },
      { id: 'e', title: 'Epsilon', body: '# Hello\n\nSome *text*.' },
    );
    const worker = testWorker(source);
    const first = await h.run(worker, 'itemsReplace');
    expect(first.error).toBeUndefined();
    expect(first).toMatchObject({ status: 'succeeded', batches: 2, cycleComplete: true });
    expect(first.counts).toMatchObject({ created: 5, failed: 0 });
    const rows = await h.rows('items', 'Key');
    expect([...rows.keys()].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(rows.get('b')?.properties.Parent).toEqual([rows.get('a')?.id]);
    expect(rows.get('d')?.properties.Parent).toEqual([rows.get('e')?.id]);
    expect(await h.body(rows.get('e')?.id as string)).toEqual(['heading_1:Hello', 'paragraph:Some text.']);

    const second = await h.run(worker, 'itemsReplace');
    expect(second.counts).toMatchObject({ created: 0, updated: 0, unchanged: 5 });
    expect(second.apiCalls).toBe(1); // the schema check; no page call
  });
});
