/**
 * Batches written as a pipeline: the next batch is fetched and written while the previous one's writes are in
 * flight, yet every batch commits in order, writes to one page stay ordered, and a row written by a batch still
 * in flight is read as Notion now holds it (hashes, `upstreamUpdatedAt`, page id for relations).
 */
import { Worker } from '@notionhq/workers';
import * as Builder from '@notionhq/workers/builder';
import * as Schema from '@notionhq/workers/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBatchPipeline } from '../../src/push/batch-pipeline.js';
import { runSyncCycle } from '../../src/push/run-sync-cycle.js';
import { startPushHarness, type PushHarness } from './push-harness.js';

describe(runBatchPipeline, () => {
  /** A pipeline over `count` batches that logs what it does; batch `failAt` fails to commit. */
  async function trace(
    count: number,
    options: { depth: number; failAt?: number; fetchFailsAt?: number },
  ): Promise<{ log: string[]; error?: unknown }> {
    const log: string[] = [];
    let n = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    try {
      await runBatchPipeline<number>(options.depth, {
        next: async () => {
          if (n === count) return undefined;
          n += 1;
          if (n === options.fetchFailsAt) throw new Error(`fetch ${n}`);
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          log.push(`fetch ${n}`);
          return n;
        },
        commit: async (b) => {
          await new Promise((r) => setTimeout(r, 1));
          inFlight -= 1;
          log.push(`commit ${b}`);
          if (b === options.failAt) throw new Error(`commit ${b}`);
        },
        salvage: async (b) => {
          inFlight -= 1;
          log.push(`salvage ${b}`);
        },
      });
    } catch (error) {
      return { log: [...log, `max ${maxInFlight}`], error };
    }
    return { log: [...log, `max ${maxInFlight}`] };
  }

  it('fetches ahead up to the depth and commits in order', async () => {
    expect((await trace(4, { depth: 2 })).log).toEqual([
      'fetch 1',
      'fetch 2',
      'commit 1',
      'fetch 3',
      'commit 2',
      'fetch 4',
      'commit 3',
      'commit 4',
      'max 2',
    ]);
    expect((await trace(3, { depth: 1 })).log).toEqual([
      'fetch 1',
      'commit 1',
      'fetch 2',
      'commit 2',
      'fetch 3',
      'commit 3',
      'max 1',
    ]);
  });

  it('a failed commit stops fetching and salvages the batches already started', async () => {
    const { log, error } = await trace(5, { depth: 3, failAt: 2 });
    expect((error as Error).message).toBe('commit 2');
    expect(log).toEqual([
      'fetch 1',
      'fetch 2',
      'fetch 3',
      'commit 1',
      'fetch 4',
      'commit 2',
      'salvage 3',
      'salvage 4',
      'max 3',
    ]);
  });

  it('a failed fetch still commits the batches already started, then fails', async () => {
    const { log, error } = await trace(5, { depth: 2, fetchFailsAt: 3 });
    expect((error as Error).message).toBe('fetch 3');
    expect(log).toEqual(['fetch 1', 'fetch 2', 'commit 1', 'commit 2', 'max 2']);
  });
});

let h: PushHarness;
beforeEach(async () => {
  // Every call takes a while, so the batches' writes really overlap.
  h = await startPushHarness({ emulator: { latencyMs: 30 } });
});
afterEach(async () => {
  await h.close();
});

interface Row {
  readonly key: string;
  readonly title: string;
  readonly at?: string;
  readonly parent?: string;
}

/** A worker replaying fixed batches (one per execute) into database `rows`, logging each execute. */
function batchesWorker(batches: readonly (readonly (Row | { delete: string })[])[], log: string[]): Worker {
  const worker = new Worker();
  const rows = worker.database('rows', {
    type: 'managed',
    initialTitle: 'Rows',
    primaryKeyProperty: 'Key',
    schema: {
      properties: { Key: Schema.title(), Name: Schema.richText(), Parent: Schema.relation('rows') },
    },
  });
  worker.sync('rowsSync', {
    database: rows,
    mode: 'incremental',
    execute: async (state: { i: number } | undefined) => {
      const i = state?.i ?? 0;
      log.push(`execute ${i + 1}`);
      const batch = batches[i] ?? [];
      return {
        changes: batch.map((r) =>
          'delete' in r
            ? { type: 'delete' as const, key: r.delete }
            : {
                type: 'upsert' as const,
                key: r.key,
                properties: {
                  Key: Builder.title(r.key),
                  Name: Builder.richText(r.title),
                  ...(r.parent ? { Parent: [Builder.relation(r.parent)] } : {}),
                },
                ...(r.at ? { upstreamUpdatedAt: r.at } : {}),
              },
        ),
        hasMore: i + 1 < batches.length,
        nextState: { i: i + 1 },
      };
    },
  });
  return worker;
}

describe(runSyncCycle, () => {
  it('writes one row across consecutive batches in order, skipping a stale one, with no duplicate', async () => {
    const log: string[] = [];
    const worker = batchesWorker(
      [
        [
          { key: 'k', title: 'v1', at: '2026-01-01T00:00:02Z' },
          { key: 'p', title: 'parent' },
          { key: 'gone', title: 'soon deleted' },
        ],
        [
          { key: 'k', title: 'v2', at: '2026-01-01T00:00:03Z' },
          { key: 'c', title: 'child', parent: 'p' },
          { delete: 'gone' },
        ],
        [{ key: 'k', title: 'v0 (stale)', at: '2026-01-01T00:00:01Z' }],
        [{ key: 'k', title: 'v2', at: '2026-01-01T00:00:03Z' }],
      ],
      log,
    );
    const outcome = await h.run(worker, 'rowsSync', {
      logger: (_level, message, fields) => {
        const facts = typeof fields === 'function' ? fields() : fields;
        if (message === 'batch committed') log.push(`commit ${String(facts?.batch)}`);
      },
    });
    expect([outcome.status, outcome.error?.message]).toEqual(['succeeded', undefined]);
    // Batch 2 was fetched (and its writes started) before batch 1 committed.
    expect(log.indexOf('execute 2')).toBeLessThan(log.indexOf('commit 1'));
    expect(log.filter((l) => l.startsWith('commit'))).toEqual([
      'commit 1',
      'commit 2',
      'commit 3',
      'commit 4',
    ]);
    expect(outcome.counts).toMatchObject({
      created: 4,
      updated: 1,
      skippedStale: 1,
      unchanged: 1,
      deleted: 1,
      failed: 0,
    });
    // The child's parent was created by the batch before, still in flight: linked at once, not by a later pass.
    expect(outcome.unresolvedRelations).toEqual([]);
    const rows = await h.rows('rows', 'Key');
    expect([...rows.keys()].sort()).toEqual(['c', 'k', 'p']);
    expect(rows.get('k')?.properties.Name).toBe('v2');
    expect(rows.get('c')?.properties.Parent).toEqual([rows.get('p')?.id]);
    // One create per row, one update for v2, one trash: nothing sent twice.
    const calls = h.emulator.stats().calls;
    expect([calls['pages.create'], calls['pages.update']]).toEqual([4, 2]);
  });
});
