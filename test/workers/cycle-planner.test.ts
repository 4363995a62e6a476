import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkerError } from '../../src/errors.js';
import {
  advanceCursor,
  DEFAULT_FAILURE_BACKOFF_BASE_MS,
  DEFAULT_FAILURE_BACKOFF_MAX_MS,
  failureBackoffMs,
  foldChanges,
  INITIAL_SYNC_CURSOR,
  isStaleUpsert,
  stateForNextStep,
  syncStatus,
  upstreamUpdatedAtAfter,
  type SyncCursor,
} from '../../src/workers/cycle-planner.js';
import type { WorkerChange } from '../../src/workers/sync-driver.js';
import type { WorkerSyncMode } from '../../src/workers/worker-manifest.js';

/** Runs cycles of a fake worker over `pages` (the states its steps return), recording the states it is given. */
function runCycles(mode: WorkerSyncMode, steps: { hasMore: boolean; nextState: unknown }[][]): unknown[][] {
  let cursor: SyncCursor = INITIAL_SYNC_CURSOR;
  return steps.map((cycle) =>
    cycle.map((step) => {
      const given = stateForNextStep(mode, cursor);
      cursor = advanceCursor('s', mode, step).cursor;
      return given;
    }),
  );
}

describe(stateForNextStep, () => {
  it('replace: every cycle starts from undefined and hands nextState back within the cycle', () => {
    const cycle = [
      { hasMore: true, nextState: 'p2' },
      { hasMore: false, nextState: 'ignored' },
    ];
    expect(runCycles('replace', [cycle, cycle])).toEqual([
      [undefined, 'p2'],
      [undefined, 'p2'],
    ]);
  });

  it('incremental: the cursor persists across cycles, including the last batch of each', () => {
    expect(
      runCycles('incremental', [
        [
          { hasMore: true, nextState: 1 },
          { hasMore: false, nextState: 2 },
        ],
        [{ hasMore: false, nextState: 3 }],
        [{ hasMore: false, nextState: undefined }],
        [{ hasMore: false, nextState: 4 }],
      ]),
    ).toEqual([[undefined, 1], [2], [3], [undefined]]);
  });

  it('a cycle under way resumes from its last committed state after a restart, in both modes', () => {
    for (const mode of ['replace', 'incremental'] as const) {
      const persisted = advanceCursor('s', mode, { hasMore: true, nextState: { page: 7 } }).cursor;
      const restored: SyncCursor = JSON.parse(JSON.stringify(persisted));
      expect(stateForNextStep(mode, restored)).toEqual({ page: 7 });
    }
  });
});

describe(advanceCursor, () => {
  it('reports when the batch completed the cycle', () => {
    expect(advanceCursor('s', 'replace', { hasMore: true, nextState: 1 }).cycleComplete).toBe(false);
    expect(advanceCursor('s', 'replace', { hasMore: false, nextState: 1 })).toEqual({
      cursor: { state: undefined, cycleInProgress: false },
      cycleComplete: true,
    });
    expect(advanceCursor('s', 'incremental', { hasMore: false, nextState: 9 })).toEqual({
      cursor: { state: 9, cycleInProgress: false },
      cycleComplete: true,
    });
  });

  it('refuses hasMore without nextState, which would repeat the same batch forever', () => {
    expect(() => advanceCursor('tasksSync', 'replace', { hasMore: true, nextState: undefined })).toThrow(
      WorkerError,
    );
    expect(() => advanceCursor('tasksSync', 'incremental', { hasMore: true, nextState: undefined })).toThrow(
      'Sync "tasksSync" returned hasMore: true without a nextState',
    );
  });
});

describe(syncStatus, () => {
  it('follows consecutive failures, first cycle and pause', () => {
    const s = (completedCycles: number, consecutiveFailures: number, disabled = false) =>
      syncStatus({ completedCycles, consecutiveFailures, disabled });
    expect(s(0, 0)).toBe('INITIALIZING');
    expect(s(1, 0)).toBe('HEALTHY');
    expect(s(5, 1)).toBe('WARNING');
    expect(s(5, 2)).toBe('WARNING');
    expect(s(5, 3)).toBe('ERROR');
    expect(s(0, 7)).toBe('ERROR');
    expect(s(0, 1)).toBe('WARNING');
    expect(s(5, 9, true)).toBe('DISABLED');
  });
});

describe(failureBackoffMs, () => {
  it('doubles from the base, is capped, and waits at least retryAfter', () => {
    expect(failureBackoffMs(0)).toBe(0);
    expect([1, 2, 3, 4].map((n) => failureBackoffMs(n))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(failureBackoffMs(1_000)).toBe(DEFAULT_FAILURE_BACKOFF_MAX_MS);
    expect(failureBackoffMs(1, { retryAfterMs: 90_000 })).toBe(90_000);
    expect(failureBackoffMs(3, { retryAfterMs: 1_000 })).toBe(4 * DEFAULT_FAILURE_BACKOFF_BASE_MS);
    expect(failureBackoffMs(50, { retryAfterMs: 2 * DEFAULT_FAILURE_BACKOFF_MAX_MS })).toBe(
      2 * DEFAULT_FAILURE_BACKOFF_MAX_MS,
    );
    expect(failureBackoffMs(3, { baseMs: 10, maxMs: 25 })).toBe(25);
  });
});

const up = (key: string, note: string, db = 'tasks'): WorkerChange => ({
  kind: 'upsert',
  targetDatabaseKey: db,
  key,
  properties: { Note: [[note]] },
});
const del = (key: string, db = 'tasks'): WorkerChange => ({ kind: 'delete', targetDatabaseKey: db, key });

describe(foldChanges, () => {
  it('keeps the last change per (database, key) at its position, the rest in order', () => {
    const a1 = up('a', '1');
    const b = up('b', '1');
    const a2 = up('a', '2');
    const aOther = up('a', 'x', 'projects');
    const c = del('c');
    const cBack = up('c', 'back');
    expect(foldChanges([a1, b, aOther, a2, c, cBack])).toEqual([b, aOther, a2, cBack]);
    expect(foldChanges([a1, del('a')])).toEqual([del('a')]);
    expect(foldChanges([])).toEqual([]);
  });
});

describe(isStaleUpsert, () => {
  it('skips only strictly older upserts; equal or missing apply', () => {
    const at = (upstreamUpdatedAt?: string) => ({ upstreamUpdatedAt });
    expect(isStaleUpsert(at('2026-01-01T00:00:00Z'), '2026-01-02T00:00:00Z')).toBe(true);
    expect(isStaleUpsert(at('2026-01-02T00:00:00Z'), '2026-01-02T00:00:00.000Z')).toBe(false);
    expect(isStaleUpsert(at('2026-01-03T00:45:00+01:00'), '2026-01-02T23:30:00Z')).toBe(false);
    expect(isStaleUpsert(at('2026-01-02T23:30:00+01:00'), '2026-01-02T23:00:00Z')).toBe(true);
    expect(isStaleUpsert(at(undefined), '2026-01-02T00:00:00Z')).toBe(false);
    expect(isStaleUpsert(at('2026-01-01T00:00:00Z'), undefined)).toBe(false);
    expect(upstreamUpdatedAtAfter(at(undefined), 'last')).toBe('last');
    expect(upstreamUpdatedAtAfter(at('new'), 'last')).toBe('new');
  });
});

describe('foldChanges (property)', () => {
  it('applying the folded batch leaves the same rows as applying the whole batch in order', () => {
    const change = fc.record({
      kind: fc.constantFrom('upsert' as const, 'delete' as const),
      db: fc.constantFrom('tasks', 'projects'),
      key: fc.constantFrom('a', 'b', 'c', 'd'),
      note: fc.string({ maxLength: 3 }),
    });
    const apply = (changes: readonly WorkerChange[]): Map<string, string | null> => {
      const rows = new Map<string, string | null>();
      for (const c of changes) {
        rows.set(
          `${c.targetDatabaseKey}/${c.key}`,
          c.kind === 'delete' ? null : JSON.stringify(c.properties),
        );
      }
      return rows;
    };
    fc.assert(
      fc.property(fc.array(change, { maxLength: 30 }), (raw) => {
        const batch = raw.map((r) => (r.kind === 'delete' ? del(r.key, r.db) : up(r.key, r.note, r.db)));
        const folded = foldChanges(batch);
        expect(apply(folded)).toEqual(apply(batch));
        expect(new Set(folded.map((c) => `${c.targetDatabaseKey}/${c.key}`)).size).toBe(folded.length);
      }),
      { numRuns: 200 },
    );
  });
});
