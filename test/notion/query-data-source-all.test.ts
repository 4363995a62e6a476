import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueryCapError } from '../../src/notion/gateway-errors.js';
import { paginate } from '../../src/notion/paginate.js';
import { queryDataSourceAll, withLowerBound } from '../../src/notion/query-data-source-all.js';
import type { QueryAllCheckpoint, QueryAllPage } from '../../src/notion/query-data-source-all.js';
import { ManualClock } from '../../src/manual-clock.js';
import { createGateway } from '../../src/notion/create-gateway.js';
import { drive, fakeFetch } from './fake-fetch.js';
import { fakeDataSource, rowsAt } from './fake-data-source.js';
import type { CapFlagging } from './fake-data-source.js';

const FLAGGINGS: readonly CapFlagging[] = ['last', 'every', 'first'];

const DS = 'aaaabbbb-cccc-dddd-eeee-ffff00001111';

async function collect(iterable: AsyncIterable<QueryAllPage>): Promise<QueryAllPage[]> {
  const pages: QueryAllPage[] = [];
  for await (const page of iterable) pages.push(page);
  return pages;
}

const ids = (pages: readonly QueryAllPage[]): string[] => pages.flatMap((p) => p.results.map((r) => r.id));

describe(queryDataSourceAll, () => {
  it('reads a data source under the cap in one query, page by page', async () => {
    const rows = rowsAt([0, 1, 2, 3, 4]);
    const ds = fakeDataSource(rows, 10);
    const pages = await collect(queryDataSourceAll(ds.query, { data_source_id: DS, page_size: 2 }));
    expect(ids(pages)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(pages.map((p) => [p.windowIndex, p.done])).toEqual([
      [0, false],
      [0, false],
      [0, true],
    ]);
    expect(
      ds.queries.every(
        (q) => JSON.stringify(q.sorts) === '[{"timestamp":"created_time","direction":"ascending"}]',
      ),
    ).toBe(true);
    expect(ds.queries[0]?.filter).toBeUndefined();
  });

  it.each(FLAGGINGS)(
    'gets past the cap with created_time windows, yielding every row once, even across a shared boundary minute (cap flagged on %s page)',
    async (flagging) => {
      // Cap 10: the first window ends inside minute 3, which holds 6 rows (r7..r12).
      const minutes = [0, 0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 5, 5, 6, 7, 7, 7, 8, 9, 9, 9, 9, 10];
      const rows = rowsAt(minutes);
      const ds = fakeDataSource(rows, 10, flagging);
      const pages = await collect(queryDataSourceAll(ds.query, { data_source_id: DS, page_size: 4 }));
      const seen = ids(pages);
      expect(seen).toHaveLength(rows.length);
      expect(new Set(seen)).toEqual(new Set(rows.map((r) => r.id)));
      const times = pages.flatMap((p) => p.results.map((r) => ('created_time' in r ? r.created_time : '')));
      expect([...times].sort()).toEqual(times);
      expect(pages.at(-1)?.done).toBe(true);
      expect(pages.filter((p) => p.done)).toHaveLength(1);
      expect(Math.max(...pages.map((p) => p.windowIndex))).toBeGreaterThanOrEqual(2);
      // The second query starts at the boundary minute.
      const second = ds.queries.find((q) => q.filter !== undefined);
      expect(second?.filter).toEqual({
        timestamp: 'created_time',
        created_time: { on_or_after: '2026-01-01T00:03:00.000Z' },
      });
    },
  );

  it('keeps only the boundary minute in memory', async () => {
    const minutes = Array.from({ length: 300 }, (_, i) => Math.floor(i / 7));
    const ds = fakeDataSource(rowsAt(minutes), 50);
    const pages = await collect(queryDataSourceAll(ds.query, { data_source_id: DS, page_size: 20 }));
    expect(ids(pages)).toHaveLength(300);
    expect(Math.max(...pages.map((p) => p.checkpoint.boundary?.ids.length ?? 0))).toBeLessThanOrEqual(7);
  });

  it('combines the bound with the caller filter', () => {
    const checkbox = { property: 'Done', checkbox: { equals: true } };
    const bound = { timestamp: 'created_time', created_time: { on_or_after: 'T' } };
    expect(withLowerBound(checkbox, null)).toBe(checkbox);
    expect(withLowerBound(undefined, 'T')).toEqual(bound);
    expect(withLowerBound(checkbox, 'T')).toEqual({ and: [checkbox, bound] });
    expect(withLowerBound({ and: [checkbox, checkbox] }, 'T')).toEqual({ and: [checkbox, checkbox, bound] });
    expect(withLowerBound({ or: [checkbox] }, 'T')).toEqual({ and: [{ or: [checkbox] }, bound] });
  });

  it('throws QueryCapError, never a truncated result, when more rows than the cap share one minute', async () => {
    const ds = fakeDataSource(rowsAt([0, 1, 1, 1, 1, 1, 1, 2]), 4);
    const seen: string[] = [];
    let error: unknown;
    try {
      for await (const page of queryDataSourceAll(ds.query, { data_source_id: DS, page_size: 2 })) {
        seen.push(...page.results.map((r) => r.id));
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QueryCapError);
    expect(error).toMatchObject({
      code: 'limit_exceeded',
      dataSourceId: DS,
      createdTime: '2026-01-01T00:01:00.000Z',
    });
    expect((error as QueryCapError).hint).toContain('filter');
    expect(seen).not.toContain('r7');
  });

  it.each(FLAGGINGS)(
    'resumes from any checkpoint without repeating or skipping a row (cap flagged on %s page)',
    async (flagging) => {
      const minutes = [0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 4, 5, 5, 5];
      const rows = rowsAt(minutes);
      const full = await collect(
        queryDataSourceAll(fakeDataSource(rows, 6, flagging).query, { data_source_id: DS, page_size: 2 }),
      );
      expect(Math.max(...full.map((p) => p.windowIndex))).toBeGreaterThanOrEqual(2);
      for (let stop = 0; stop < full.length - 1; stop++) {
        const before = ids(full.slice(0, stop + 1));
        const checkpoint = JSON.parse(JSON.stringify(full[stop]?.checkpoint)) as QueryAllCheckpoint;
        const after = ids(
          await collect(
            queryDataSourceAll(
              fakeDataSource(rows, 6, flagging).query,
              { data_source_id: DS, page_size: 2 },
              { resumeFrom: checkpoint },
            ),
          ),
        );
        expect([...before, ...after].sort()).toEqual(rows.map((r) => r.id).sort());
      }
    },
  );

  it('yields each row exactly once for any distribution of created times, cap and page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 0, maxLength: 120 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(...FLAGGINGS),
        async (minutes, pageSize, capExtra, flagging) => {
          const rows = rowsAt(minutes);
          const perMinute = new Map<number, number>();
          for (const m of minutes) perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
          const cap = Math.max(...perMinute.values(), 0) + capExtra;
          const pages = await collect(
            queryDataSourceAll(fakeDataSource(rows, cap, flagging).query, {
              data_source_id: DS,
              page_size: pageSize,
            }),
          );
          expect(ids(pages).sort()).toEqual(rows.map((r) => r.id).sort());
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });

  it('runs through the gateway and the real SDK client', async () => {
    const clock = new ManualClock(0);
    const ds = fakeDataSource(rowsAt([0, 0, 1, 1, 2, 2, 3, 3]), 3);
    const fetch = fakeFetch(() => ({ status: 200, body: {} }));
    const gateway = createGateway({
      token: 'ntn_querytesttoken0123456789abcdefgh',
      clock,
      requestsPerSecond: 1_000,
      burst: 10,
      fetch: (async (input: string | URL | Request, init?: RequestInit) => {
        await fetch(input, init);
        const body = JSON.parse(String(init?.body)) as Parameters<typeof ds.query>[0];
        const dataSourceId = new URL(String(input)).pathname.split('/')[3] ?? '';
        return new Response(JSON.stringify(await ds.query({ ...body, data_source_id: dataSourceId })), {
          status: 200,
        });
      }) as typeof globalThis.fetch,
    });
    const pages = await drive(
      clock,
      collect(gateway.queryDataSourceAll({ data_source_id: DS, page_size: 2 })),
    );
    expect(ids(pages).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
    expect(
      fetch.requests.every((r) => r.method === 'POST' && r.path === `/v1/data_sources/${DS}/query`),
    ).toBe(true);
    expect(gateway.metrics.snapshot().endpoints['dataSources.query']?.calls).toBe(fetch.requests.length);
  });
});

describe(paginate, () => {
  it('refuses a capped page instead of silently truncating', async () => {
    const ds = fakeDataSource(rowsAt([0, 1, 2, 3, 4]), 3);
    const run = async (): Promise<void> => {
      for await (const _page of paginate(ds.query, { data_source_id: DS, page_size: 2 })) {
        // consume
      }
    };
    await expect(run()).rejects.toBeInstanceOf(QueryCapError);
  });

  it('starts from start_cursor and stops when next_cursor is null', async () => {
    const calls: (string | null | undefined)[] = [];
    const listFn = async (args: { start_cursor?: string | null; page_size?: number }) => {
      calls.push(args.start_cursor);
      const n = Number(args.start_cursor ?? '0');
      return { results: [n], next_cursor: n < 3 ? String(n + 1) : null, has_more: n < 3 };
    };
    const results: number[] = [];
    for await (const page of paginate(listFn, { start_cursor: '1' })) results.push(...page.results);
    expect(results).toEqual([1, 2, 3]);
    expect(calls).toEqual(['1', '2', '3']);
  });
});
