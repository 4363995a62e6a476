/**
 * The query runner's caches (result snapshots patched row by row after writes, cached row JSON, cached
 * result pages) must answer exactly what a fresh, uncached evaluation answers, whatever writes happen
 * between the pages of a paginated read.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import type { JsonObject } from '../../src/emulator/json.js';
import { QueryRunner } from '../../src/emulator/query-runner.js';
import type { DataSourceRecord } from '../../src/emulator/records.js';
import { ManualClock } from '../../src/manual-clock.js';
import type { NotionVersion } from '../../src/notion/limits.js';

const DAY_MS = 86_400_000;
/** A low result cap, so that writes move queries across it (`request_status: incomplete`). */
const CAP = 14;
const VERSIONS: readonly NotionVersion[] = ['2025-09-03', '2022-06-28'];

/** Queries of the model: filters and sorts over every property the writes below change. */
const QUERIES: readonly JsonObject[] = [
  {},
  { sorts: [{ property: 'N', direction: 'descending' }] },
  {
    filter: { property: 'Done', checkbox: { equals: true } },
    sorts: [{ property: 'Tag', direction: 'ascending' }],
  },
  {
    filter: {
      or: [
        { property: 'N', number: { greater_than: 50 } },
        { property: 'Tag', select: { equals: 'b' } },
      ],
    },
    sorts: [{ timestamp: 'last_edited_time', direction: 'descending' }],
  },
  { in_trash: true, sorts: [{ property: 'Name', direction: 'ascending' }] },
  { filter: { property: 'When', date: { past_week: {} } } },
  {
    filter: { property: 'Double', formula: { number: { less_than: 100 } } },
    sorts: [{ property: 'Double', direction: 'ascending' }],
  },
  { filter: { property: 'Rel', relation: { is_not_empty: true } } },
  { filter: { property: 'Extra', number: { is_empty: true } } },
];

type Source = 'A' | 'B';

type Step =
  | { kind: 'query'; ds: Source; query: number; size: number; version: number; picked: boolean }
  | { kind: 'create'; ds: Source; n: number; tag: string; done: boolean; when: number }
  | { kind: 'update'; row: number; n?: number; tag?: string; done?: boolean; when?: number; name?: string }
  | { kind: 'relate'; row: number; targets: number[] }
  | { kind: 'trash'; row: number; flag: boolean }
  | { kind: 'move'; row: number; to: Source }
  | { kind: 'unshare'; row: number; flag: boolean }
  | { kind: 'schema'; change: 'addExtra' | 'removeExtra' | 'reverseTags' }
  | { kind: 'clock'; minutes: number };

const source = fc.constantFrom<Source>('A', 'B');
const tag = fc.constantFrom('a', 'b', 'c');
const row = fc.nat(200);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('query' as const),
      ds: source,
      query: fc.nat(QUERIES.length - 1),
      size: fc.integer({ min: 1, max: 6 }),
      version: fc.nat(VERSIONS.length - 1),
      picked: fc.boolean(),
    }),
  },
  fc.record({
    kind: fc.constant('create' as const),
    ds: source,
    n: fc.integer({ min: 0, max: 100 }),
    tag,
    done: fc.boolean(),
    when: fc.integer({ min: -10, max: 3 }),
  }),
  {
    weight: 3,
    arbitrary: fc.record(
      {
        kind: fc.constant('update' as const),
        row,
        n: fc.integer({ min: 0, max: 100 }),
        tag,
        done: fc.boolean(),
        when: fc.integer({ min: -10, max: 3 }),
        name: fc.constantFrom('apple', 'Banana', 'cherry', ''),
      },
      { requiredKeys: ['kind', 'row'] },
    ),
  },
  fc.record({ kind: fc.constant('relate' as const), row, targets: fc.array(row, { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('trash' as const), row, flag: fc.boolean() }),
  fc.record({ kind: fc.constant('move' as const), row, to: source }),
  fc.record({ kind: fc.constant('unshare' as const), row, flag: fc.boolean() }),
  fc.record({
    kind: fc.constant('schema' as const),
    change: fc.constantFrom('addExtra' as const, 'removeExtra' as const, 'reverseTags' as const),
  }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('clock' as const),
      // Mostly minutes (last_edited_time moves), sometimes days (relative dates move).
      minutes: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0, max: 90 }) },
        fc.integer({ min: 0, max: 3_000 }),
      ),
    }),
  },
);

const COMMON = {
  Name: { title: {} },
  N: { number: {} },
  Tag: { select: { options: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } },
  Done: { checkbox: {} },
  When: { date: {} },
  Double: { formula: { expression: 'prop("N") * 2' } },
};

/** An emulator with data sources A and B (A.Rel ↔ B, two-way), the cached runner and a reference. */
class World {
  readonly rows: string[] = [];
  readonly cursors = new Map<string, string | undefined>();
  readonly cached: QueryRunner;
  readonly sources: Record<Source, DataSourceRecord>;

  constructor(
    readonly em: EmulatorHandle,
    readonly clock: ManualClock,
  ) {
    const ws = em.workspace;
    const database = (properties: JsonObject): DataSourceRecord => {
      const db = ws.createDatabase(
        {
          parent: { type: 'page_id', page_id: em.rootPageId },
          initial_data_source: { properties },
        },
        '2025-09-03',
      );
      return ws.getDataSource(db.dataSourceIds[0] as string);
    };
    const b = database(COMMON);
    const a = database({
      ...COMMON,
      Rel: { relation: { data_source_id: b.ds.id, type: 'dual_property', dual_property: {} } },
    });
    this.sources = { A: a, B: b };
    this.cached = new QueryRunner(ws, CAP);
  }

  #page(index: number) {
    const id = this.rows[index % Math.max(1, this.rows.length)];
    return id === undefined ? undefined : this.em.workspace.pages.get(id);
  }

  #date(days: number): { start: string } {
    return { start: new Date(this.clock.now() + days * DAY_MS).toISOString().slice(0, 10) };
  }

  /** Applies a write; a write Notion refuses (to a trashed page, …) changes nothing and is ignored. */
  write(s: Exclude<Step, { kind: 'query' }>): void {
    const ws = this.em.workspace;
    try {
      switch (s.kind) {
        case 'create': {
          const rec = ws.createPage(
            {
              parent: { data_source_id: this.sources[s.ds].ds.id },
              properties: {
                Name: { title: [{ text: { content: `row ${this.rows.length}` } }] },
                N: { number: s.n },
                Tag: { select: { name: s.tag } },
                Done: { checkbox: s.done },
                When: { date: this.#date(s.when) },
              },
            },
            [],
          );
          this.rows.push(rec.page.id as string);
          return;
        }
        case 'update': {
          const rec = this.#page(s.row);
          if (!rec) return;
          const properties: JsonObject = {};
          if (s.n !== undefined) properties.N = { number: s.n };
          if (s.tag !== undefined) properties.Tag = { select: { name: s.tag } };
          if (s.done !== undefined) properties.Done = { checkbox: s.done };
          if (s.when !== undefined) properties.When = { date: this.#date(s.when) };
          if (s.name !== undefined) properties.Name = { title: [{ text: { content: s.name } }] };
          ws.updatePage(rec, { properties });
          return;
        }
        case 'relate': {
          const rec = this.#page(s.row);
          const relation = s.targets.map((t) => this.#page(t)?.page.id).filter((id) => id !== undefined);
          if (rec) ws.updatePage(rec, { properties: { Rel: { relation: relation.map((id) => ({ id })) } } });
          return;
        }
        case 'trash': {
          const rec = this.#page(s.row);
          if (rec) ws.updatePage(rec, { in_trash: s.flag });
          return;
        }
        case 'move': {
          const rec = this.#page(s.row);
          if (rec) ws.movePage(rec, { parent: { data_source_id: this.sources[s.to].ds.id } });
          return;
        }
        case 'unshare': {
          const rec = this.#page(s.row);
          if (rec) this.em.setUnshared(rec.page.id as string, s.flag);
          return;
        }
        case 'schema': {
          const a = this.sources.A;
          const has = 'Extra' in (a.ds.properties as JsonObject);
          if (s.change === 'addExtra' && !has)
            ws.updateDataSource(a, { properties: { Extra: { number: {} } } });
          else if (s.change === 'removeExtra' && has) ws.updateDataSource(a, { properties: { Extra: null } });
          else if (s.change === 'reverseTags') {
            const tags = (a.ds.properties as Record<string, JsonObject>).Tag!.select as JsonObject;
            const options = [...(tags.options as JsonObject[])]
              .reverse()
              .map((o) => ({ id: o.id, name: o.name }));
            ws.updateDataSource(a, { properties: { Tag: { select: { options } } } });
          }
          return;
        }
        case 'clock':
          this.clock.set(this.clock.now() + s.minutes * 60_000);
          return;
      }
    } catch (e) {
      if (!(e instanceof Error && 'code' in e && e.code === 'validation_error')) throw e;
    }
  }

  /** The next page of a paginated read, from the cached runner and from a fresh one: they must agree. */
  query(s: Extract<Step, { kind: 'query' }>): void {
    const key = `${s.ds}:${s.query}:${s.size}`;
    const cursor = this.cursors.get(key);
    const body = { ...QUERIES[s.query], page_size: s.size, ...(cursor ? { start_cursor: cursor } : {}) };
    const version = VERSIONS[s.version] as NotionVersion;
    const picked = s.picked ? ['N'] : [];
    const answer = (runner: QueryRunner): string => {
      try {
        return runner.query(this.sources[s.ds], body, picked, version).text;
      } catch (e) {
        return `error: ${e instanceof Error ? e.message : String(e)}`;
      }
    };
    const got = answer(this.cached);
    expect(got).toBe(answer(new QueryRunner(this.em.workspace, CAP)));
    this.cursors.set(
      key,
      got.startsWith('{')
        ? (((JSON.parse(got) as JsonObject).next_cursor as string | null) ?? undefined)
        : undefined,
    );
  }
}

async function world(): Promise<World> {
  const clock = new ManualClock(Date.parse('2026-03-01T09:00:00Z'));
  const em = await startEmulator({ port: 0, clock });
  const w = new World(em, clock);
  for (let i = 0; i < 24; i++) {
    if (i % 4 === 0) clock.set(clock.now() + 60_000);
    w.write({
      kind: 'create',
      ds: i % 3 === 0 ? 'B' : 'A',
      n: (i * 37) % 101,
      tag: 'abc'[i % 3] as string,
      done: i % 2 === 0,
      when: (i % 14) - 10,
    });
  }
  return w;
}

describe('QueryRunner caches', () => {
  it('answer as a fresh evaluation does, with writes, moves, trash, schema changes and days passing between pages', async () => {
    await fc.assert(
      fc.asyncProperty(
        // A few queries per run, so that each is read often and its snapshot patched between reads.
        fc.uniqueArray(fc.nat(QUERIES.length - 1), { minLength: 1, maxLength: 3 }),
        fc.array(step, { minLength: 20, maxLength: 120 }),
        async (focus, steps) => {
          const w = await world();
          try {
            for (const s of steps) {
              if (s.kind === 'query') w.query({ ...s, query: focus[s.query % focus.length] as number });
              else w.write(s);
            }
            // Then every query from its first page, in both versions, before and after a day passes with
            // no write (relative dates move: a snapshot of the same revision is stale then).
            for (const days of [0, 1, 6]) {
              w.write({ kind: 'clock', minutes: days * 24 * 60 });
              for (let q = 0; q < QUERIES.length; q++)
                for (const ds of ['A', 'B'] as const)
                  for (let version = 0; version < VERSIONS.length; version++) {
                    w.cursors.clear();
                    w.query({ kind: 'query', ds, query: q, size: 5, version, picked: false });
                  }
            }
          } finally {
            await w.em.stop();
          }
        },
      ),
      { numRuns: 100, seed: 20261122 },
    );
  });

  it('keeps queries of 25,000 rows cheap when a write comes between them', async () => {
    const clock = new ManualClock(Date.parse('2026-03-01T09:00:00Z'));
    const em = await startEmulator({ port: 0, clock });
    try {
      const w = new World(em, clock);
      for (let i = 0; i < 25_000; i++) {
        if (i % 100 === 0) clock.set(clock.now() + 60_000);
        w.write({
          kind: 'create',
          ds: 'A',
          n: i % 1_000,
          tag: 'abc'[i % 3] as string,
          done: i % 2 === 0,
          when: 0,
        });
      }
      const ds = w.sources.A;
      const body = { sorts: [{ property: 'N', direction: 'descending' }], page_size: 100 };
      w.cached.query(ds, body, [], '2025-09-03');
      const started = performance.now();
      for (let i = 0; i < 200; i++) {
        w.write({ kind: 'update', row: i * 97, n: (i * 13) % 1_000 });
        w.cached.query(ds, body, [], '2025-09-03');
      }
      // A full filter and sort of 25,000 rows takes ≈ 5 ms on a quiet machine: 200 would take ≈ 1 s.
      expect(performance.now() - started).toBeLessThan(400);
      expect(w.cached.query(ds, body, [], '2025-09-03').text).toBe(
        new QueryRunner(em.workspace, CAP).query(ds, body, [], '2025-09-03').text,
      );
    } finally {
      await em.stop();
    }
  });
});
