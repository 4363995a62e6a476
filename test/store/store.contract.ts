/**
 * The store's contract: the same cases on every dialect (SQLite file, SQLite `:memory:`, PostgreSQL),
 * like Kysely's DIALECTS loop. `store.test.ts` runs it once per target.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/manual-clock.js';
import { StoreError } from '../../src/errors.js';
import type { Clock } from '../../src/clock.js';
import type { KeyMapEntry } from '../../src/store/key-map-repository.js';
import { storeMigrations } from '../../src/store/migrations/index.js';
import type { PageInput } from '../../src/store/replica-repository.js';
import type { Store } from '../../src/store/store.js';

/** One database the contract runs on. */
export interface StoreTarget {
  readonly name: string;
  /** True when two `open()` calls reach the same database (false for `:memory:`). */
  readonly shared: boolean;
  /** Called once before the cases (create a temp dir or a fresh schema). */
  setup(): Promise<void>;
  /** Opens a store on the target's database. */
  open(options?: { clock?: Clock }): Promise<Store>;
  /** Called once after the cases (remove the temp dir or drop the schema). */
  teardown(): Promise<void>;
}

/** Rows a batch-ingest case writes (the 100k run is `bench/store-ingest.bench.ts`). */
export const CONTRACT_INGEST_ROWS = 20_000;

function entry(target: string, key: string, pageId: string, extra: Partial<KeyMapEntry> = {}): KeyMapEntry {
  return {
    target,
    key,
    pageId,
    contentHash: null,
    bodyHash: null,
    upstreamUpdatedAt: null,
    lastCycleSeen: null,
    deleted: false,
    lastWrittenAt: null,
    ...extra,
  };
}

/** The text of a title/rich_text plain value (`{ text, richText }`) or a string. */
function plainText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { text?: unknown }).text === 'string') {
    return (value as { text: string }).text;
  }
  return undefined;
}

function page(
  dataSourceId: string,
  id: string,
  properties: Record<string, unknown>,
  extra: Partial<PageInput> = {},
) {
  return {
    id,
    dataSourceId,
    properties,
    title: plainText(properties['Name']) ?? id,
    createdTime: '2026-01-01T00:00:00.000Z',
    lastEditedTime: '2026-01-02T00:00:00.000Z',
    inTrash: false,
    contentHash: JSON.stringify(properties),
    ...extra,
  } satisfies PageInput;
}

const TASKS_SCHEMA = {
  Name: { id: 'title', name: 'Name', type: 'title' },
  Status: { id: 'st', name: 'Status', type: 'status' },
  Points: { id: 'pt', name: 'Points', type: 'number' },
  Done: { id: 'dn', name: 'Done', type: 'checkbox' },
  Due: { id: 'du', name: 'Due', type: 'date' },
  Tags: { id: 'tg', name: 'Tags', type: 'multi_select' },
  Order: { id: 'or', name: 'Order', type: 'rich_text' },
  'Due Start': { id: 'ds', name: 'Due Start', type: 'rich_text' },
  'Owner\'s "nick"': { id: 'nk', name: 'Owner\'s "nick"', type: 'rich_text' },
};

/** Runs every contract case on `target`. */
export function runStoreContract(target: StoreTarget): void {
  let store: Store;
  const clock = new ManualClock(Date.parse('2026-03-01T00:00:00.000Z'));

  beforeAll(async () => {
    await target.setup();
    store = await target.open({ clock });
  });
  afterAll(async () => {
    await store?.close();
    await target.teardown();
  });

  describe('migrations', () => {
    it('records every migration once and is idempotent on reopen', async () => {
      const names = Object.keys(storeMigrations);
      const rows = await store.replicaViews.query('select name from kysely_migration order by name');
      expect(rows.map((r) => r['name'])).toEqual(names);
      if (target.shared) {
        const again = await target.open();
        await again.close();
        const after = await store.replicaViews.query('select name from kysely_migration order by name');
        expect(after.map((r) => r['name'])).toEqual(names);
      }
    });
  });

  describe('transaction', () => {
    it('commits everything together', async () => {
      const target1 = randomUUID();
      const run = await store.transaction(async (tx) => {
        const r = await tx.runs.start({ kind: 'sync', target: target1, trigger: 'manual' });
        await tx.keyMap.insert(entry(target1, 'k1', 'page-1'));
        return r;
      });
      expect(await store.runs.get(run.id)).toBeDefined();
      expect(await store.keyMap.get(target1, 'k1')).toBeDefined();
    });

    it('rolls everything back when the callback throws, and rethrows', async () => {
      const target1 = randomUUID();
      let runId = '';
      await expect(
        store.transaction(async (tx) => {
          runId = (await tx.runs.start({ kind: 'sync', target: target1, trigger: 'manual' })).id;
          await tx.keyMap.insert(entry(target1, 'k1', 'page-1'));
          await tx.syncState.save(target1, { cycle: 7 });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.runs.get(runId)).toBeUndefined();
      expect(await store.keyMap.get(target1, 'k1')).toBeUndefined();
      expect(await store.syncState.get(target1)).toBeUndefined();
    });

    it('reuses the outer transaction in nested calls: an inner failure rolls back the outer work', async () => {
      const target1 = randomUUID();
      await expect(
        store.transaction(async (tx) => {
          expect(tx.isTransaction).toBe(true);
          await tx.keyMap.insert(entry(target1, 'outer', 'page-o'));
          await tx.transaction(async (inner) => {
            expect(inner).toBe(tx);
            await inner.keyMap.insert(entry(target1, 'inner', 'page-i'));
          });
          expect(await tx.keyMap.count(target1)).toBe(2);
          throw new Error('after inner');
        }),
      ).rejects.toThrow('after inner');
      expect(await store.keyMap.count(target1)).toBe(0);
    });

    it('rolls back a failing repository batch as a whole', async () => {
      const target1 = randomUUID();
      await store.keyMap.insert(entry(target1, 'taken', 'page-taken'));
      await expect(
        store.keyMap.upsertMany([entry(target1, 'a', 'page-a'), entry(target1, 'b', 'page-taken')]),
      ).rejects.toThrow();
      expect(await store.keyMap.get(target1, 'a')).toBeUndefined();
    });
  });

  describe('runs', () => {
    it('records a run, its ordered events and its outcome', async () => {
      const target1 = randomUUID();
      const run = await store.runs.start({ kind: 'mirror', target: target1, trigger: 'schedule' });
      expect(run.status).toBe('running');
      expect(run.counts).toEqual({
        created: 0,
        updated: 0,
        unchanged: 0,
        deleted: 0,
        restored: 0,
        failed: 0,
      });
      for (const message of ['batch committed', 'batch committed', 'run finished']) {
        await store.runs.appendEvent(run.id, { level: 'info', message, fields: { n: message.length } });
      }
      const events = await store.runs.listEvents(run.id);
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(events[2]).toMatchObject({ message: 'run finished', fields: { n: 12 }, level: 'info' });
      expect((await store.runs.listEvents(run.id, { afterSeq: 2 })).map((e) => e.seq)).toEqual([3]);

      await store.runs.updateProgress(run.id, { counts: { created: 5 }, apiCalls: 9 });
      await clock.advance(1_000);
      await store.runs.finish(run.id, {
        status: 'partial',
        counts: { created: 10, failed: 2 },
        apiCalls: 12,
        error: { code: 'notion_api', message: 'rate limited' },
      });
      const finished = await store.runs.get(run.id);
      expect(finished).toMatchObject({
        status: 'partial',
        counts: { created: 10, failed: 2, updated: 0 },
        apiCalls: 12,
        error: { code: 'notion_api', message: 'rate limited' },
        finishedAt: '2026-03-01T00:00:01.000Z',
      });

      const second = await store.runs.start({ kind: 'mirror', target: target1, trigger: 'manual' });
      const listed = await store.runs.list({ target: target1 });
      expect(listed.map((r) => r.id)).toEqual([second.id, run.id]);
      expect((await store.runs.list({ target: target1, status: 'partial' })).map((r) => r.id)).toEqual([
        run.id,
      ]);
    });
  });

  describe('abandoned runs', () => {
    it('fails the runs of a target left running, and only those', async () => {
      const t = randomUUID();
      const stale = await store.runs.start({ kind: 'sync', target: t, trigger: 'schedule' });
      const done = await store.runs.start({ kind: 'sync', target: t, trigger: 'schedule' });
      await store.runs.finish(done.id, { status: 'succeeded' });
      const elsewhere = await store.runs.start({ kind: 'sync', target: randomUUID(), trigger: 'schedule' });
      const error = { code: 'cancelled', message: 'the process running it stopped' };
      expect(await store.runs.failAbandoned(t, error)).toEqual([stale.id]);
      expect(await store.runs.get(stale.id)).toMatchObject({ status: 'failed', error });
      expect((await store.runs.get(done.id))?.status).toBe('succeeded');
      expect((await store.runs.get(elsewhere.id))?.status).toBe('running');
    });
  });

  describe('run events', () => {
    it('numbers concurrent appends to one run 1…n without gaps or duplicates', async () => {
      const run = await store.runs.start({ kind: 'sync', target: randomUUID(), trigger: 'api' });
      const seqs = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.runs.appendEvent(run.id, { level: 'debug', message: `e${i}` }),
        ),
      );
      expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await store.runs.listEvents(run.id, { limit: 100 })).toHaveLength(20);
    });
  });

  describe('sync state', () => {
    it('round-trips state, cycle and scheduling fields, and patches keep the rest', async () => {
      const key = randomUUID();
      expect(await store.syncState.get(key)).toBeUndefined();
      const cursor = { cursor: 'abc', nested: { list: [1, 2, 3], flag: true }, text: 'é ✓' };
      await store.syncState.save(key, {
        state: cursor,
        cycle: 3,
        cycleStartedAt: '2026-03-01T00:00:00.000Z',
        status: 'running',
        nextRunAt: '2026-03-01T00:05:00.000Z',
      });
      await store.syncState.save(key, { consecutiveFailures: 2, status: 'failed' });
      const saved = await store.syncState.get(key);
      expect(saved).toMatchObject({
        syncKey: key,
        state: cursor,
        cycle: 3,
        cycleStartedAt: '2026-03-01T00:00:00.000Z',
        status: 'failed',
        consecutiveFailures: 2,
        nextRunAt: '2026-03-01T00:05:00.000Z',
      });
      // A patch with a new state replaces it and keeps the other fields (read without the old state).
      const next = { cursor: 'def' };
      const kept = {
        cycle: 3,
        status: 'failed',
        consecutiveFailures: 2,
        nextRunAt: '2026-03-01T00:05:00.000Z',
      };
      expect(await store.syncState.save(key, { state: next })).toMatchObject({ state: next, ...kept });
      expect(await store.syncState.get(key)).toMatchObject({ state: next, ...kept });
      expect((await store.syncState.listDue('2026-03-01T00:05:00.000Z')).map((s) => s.syncKey)).toContain(
        key,
      );
      expect((await store.syncState.listDue('2026-03-01T00:04:59.999Z')).map((s) => s.syncKey)).not.toContain(
        key,
      );
      expect(await store.syncState.delete(key)).toBe(true);
      expect(await store.syncState.get(key)).toBeUndefined();
    });
  });

  describe('leases', () => {
    it('acquires, excludes, renews, expires and is taken over after expiry with a higher fence', async () => {
      const name = `sync:${randomUUID()}`;
      const first = await store.leases.acquire(name, 'a', 10_000);
      expect(first).toMatchObject({ acquired: true, lease: { holder: 'a', fence: 1 } });
      const blocked = await store.leases.acquire(name, 'b', 10_000);
      expect(blocked).toMatchObject({ acquired: false, heldBy: { holder: 'a' } });

      await clock.advance(5_000);
      expect(await store.leases.renew(name, 'a', 10_000)).toMatchObject({ holder: 'a', fence: 1 });
      expect(await store.leases.renew(name, 'b', 10_000)).toBeUndefined();
      await clock.advance(9_999);
      expect((await store.leases.acquire(name, 'b', 10_000)).acquired).toBe(false);

      await clock.advance(1);
      expect(await store.leases.renew(name, 'a', 10_000)).toBeUndefined();
      const stolen = await store.leases.acquire(name, 'b', 10_000);
      expect(stolen).toMatchObject({ acquired: true, lease: { holder: 'b', fence: 2 } });
      expect(await store.leases.release(name, 'a')).toBe(false);
      expect(await store.leases.release(name, 'b')).toBe(true);
      const again = await store.leases.acquire(name, 'a', 10_000);
      expect(again).toMatchObject({ acquired: true, lease: { holder: 'a', fence: 3 } });
    });

    it('lets exactly one of many racing holders win, across two store instances', async () => {
      const name = `race:${randomUUID()}`;
      const other = target.shared ? await target.open({ clock }) : store;
      try {
        const attempts = Array.from({ length: 16 }, (_, i) =>
          (i % 2 === 0 ? store : other).leases.acquire(name, `holder-${i}`, 60_000),
        );
        const results = await Promise.all(attempts);
        const winners = results.filter((r) => r.acquired);
        expect(winners).toHaveLength(1);
        const holder = winners[0]?.acquired ? winners[0].lease.holder : '';
        for (const r of results) if (!r.acquired) expect(r.heldBy?.holder).toBe(holder);
      } finally {
        if (other !== store) await other.close();
      }
    });
  });

  describe('key map', () => {
    it('is unique on (target, key) and on (target, page id), and upserts update', async () => {
      const t = randomUUID();
      await store.keyMap.insert(entry(t, 'k1', 'p1', { contentHash: 'h1', lastCycleSeen: 1 }));
      await expect(store.keyMap.insert(entry(t, 'k1', 'p2'))).rejects.toThrow();
      await expect(store.keyMap.insert(entry(t, 'k2', 'p1'))).rejects.toThrow();
      await store.keyMap.insert(entry(randomUUID(), 'k1', 'p1'));

      await store.keyMap.upsertMany([entry(t, 'k1', 'p1', { contentHash: 'h2' }), entry(t, 'k2', 'p2')]);
      expect((await store.keyMap.get(t, 'k1'))?.contentHash).toBe('h2');
      expect((await store.keyMap.findByPageId(t, 'p2'))?.key).toBe('k2');
      const many = await store.keyMap.getMany(t, ['k1', 'k2', 'missing']);
      expect([...many.keys()].sort()).toEqual(['k1', 'k2']);
    });

    it('tracks the cycle each key was seen in and lists the unseen for a sweep', async () => {
      const t = randomUUID();
      await store.keyMap.upsertMany(
        Array.from({ length: 5 }, (_, i) => entry(t, `k${i}`, `p${i}`, { lastCycleSeen: 1 })),
      );
      await store.keyMap.markSeen(t, ['k0', 'k2', 'k4'], 2);
      const unseen = await store.keyMap.listNotSeenSince(t, 2);
      expect(unseen.map((e) => e.key)).toEqual(['k1', 'k3']);
      expect((await store.keyMap.listNotSeenSince(t, 2, { afterKey: 'k1' })).map((e) => e.key)).toEqual([
        'k3',
      ]);
      await store.keyMap.markDeleted(t, ['k1']);
      expect((await store.keyMap.listNotSeenSince(t, 2)).map((e) => e.key)).toEqual(['k3']);
      expect(await store.keyMap.count(t)).toBe(4);
      expect(await store.keyMap.count(t, { includeDeleted: true })).toBe(5);
    });
  });

  describe('pending writes', () => {
    it('records one intent per key, refuses a second, and resolves', async () => {
      const t = randomUUID();
      const intent = { properties: { Name: 'x' }, key: 'k1' };
      await store.pendingWrites.record(t, 'k1', intent);
      await expect(store.pendingWrites.record(t, 'k1', intent)).rejects.toBeInstanceOf(StoreError);
      await store.pendingWrites.record(t, 'k2', { n: 2 });
      expect((await store.pendingWrites.get(t, 'k1'))?.intent).toEqual(intent);
      expect((await store.pendingWrites.list(t)).map((p) => p.key)).toEqual(['k1', 'k2']);
      expect(await store.pendingWrites.resolve(t, 'k1')).toBe(true);
      expect(await store.pendingWrites.resolve(t, 'k1')).toBe(false);
      expect((await store.pendingWrites.list(t)).map((p) => p.key)).toEqual(['k2']);
    });
  });

  describe('replica pages and history', () => {
    it('appends a version only when content or body changed, and on delete and restore', async () => {
      const ds = randomUUID();
      await store.replica.upsertDataSource({ id: ds, title: 'History', schema: TASKS_SCHEMA });
      const id = randomUUID();
      const body = { markdown: '# Hello', json: [{ type: 'heading_1' }], hash: 'b1' };
      const created = await store.replica.upsertPage(page(ds, id, { Name: 'A', Points: 1 }, { body }), {
        runId: 'run-1',
      });
      expect(created).toEqual({
        pageId: id,
        change: 'created',
        version: 1,
        changedProperties: ['Name', 'Points'],
      });

      const same = await store.replica.upsertPage(page(ds, id, { Name: 'A', Points: 1 }));
      expect(same).toMatchObject({ change: 'unchanged', version: 1 });
      expect((await store.replica.getPage(id))?.bodyMarkdown).toBe('# Hello');

      const updated = await store.replica.upsertPage(page(ds, id, { Name: 'A', Points: 2, Done: true }));
      expect(updated).toEqual({
        pageId: id,
        change: 'updated',
        version: 2,
        changedProperties: ['Done', 'Points'],
      });

      const bodyOnly = await store.replica.upsertPage(
        page(
          ds,
          id,
          { Name: 'A', Points: 2, Done: true },
          { body: { ...body, markdown: '# Bye', hash: 'b2' } },
        ),
      );
      expect(bodyOnly).toMatchObject({ change: 'updated', version: 3, changedProperties: [] });

      expect(
        await store.replica.markDeleted([id, 'unknown-page'], 'missing_upstream', { runId: 'run-2' }),
      ).toBe(1);
      expect(await store.replica.markDeleted([id], 'missing_upstream')).toBe(0);
      expect((await store.replica.getPage(id))?.deletedReason).toBe('missing_upstream');
      expect(await store.replica.listPageIds(ds)).toEqual([]);
      expect(await store.replica.listPageIds(ds, { includeDeleted: true })).toEqual([id]);

      const back = await store.replica.upsertPage(page(ds, id, { Name: 'A', Points: 2, Done: true }));
      expect(back).toMatchObject({ change: 'restored', version: 5 });
      await store.replica.markDeleted([id], 'in_trash');
      expect(await store.replica.restore([id])).toBe(1);

      const versions = await store.replica.listVersions(id);
      expect(versions.map((v) => [v.version, v.changeKind])).toEqual([
        [1, 'created'],
        [2, 'updated'],
        [3, 'updated'],
        [4, 'deleted'],
        [5, 'restored'],
        [6, 'deleted'],
        [7, 'restored'],
      ]);
      expect(versions[0]).toMatchObject({
        runId: 'run-1',
        bodyHash: 'b1',
        properties: { Name: 'A', Points: 1 },
      });
      expect(versions[2]?.bodyHash).toBe('b2');
      expect(versions[3]).toMatchObject({ runId: 'run-2', properties: { Name: 'A', Points: 2, Done: true } });
      const stored = await store.replica.getPage(id);
      expect(stored).toMatchObject({
        version: 7,
        deletedAt: null,
        bodyMarkdown: '# Bye',
        bodyJson: body.json,
      });
    });

    it('refreshes last_seen_at and metadata of unchanged pages without a version', async () => {
      const ds = randomUUID();
      const id = randomUUID();
      await store.replica.upsertPage(page(ds, id, { Name: 'same' }));
      const firstSeen = (await store.replica.getPage(id))?.lastSeenAt;
      await clock.advance(60_000);
      expect(await store.replica.upsertPage(page(ds, id, { Name: 'same' }))).toMatchObject({
        change: 'unchanged',
      });
      const seen = await store.replica.getPage(id);
      expect(seen?.lastSeenAt).not.toBe(firstSeen);
      expect(seen?.firstSeenAt).toBe(firstSeen);
      const edited = page(
        ds,
        id,
        { Name: 'same' },
        { lastEditedTime: '2026-02-02T10:00:00.000Z', inTrash: true },
      );
      expect(await store.replica.upsertPage(edited)).toMatchObject({ change: 'unchanged', version: 1 });
      expect(await store.replica.getPage(id)).toMatchObject({
        lastEditedTime: '2026-02-02T10:00:00.000Z',
        inTrash: true,
        version: 1,
      });
      expect(await store.replica.listVersions(id)).toHaveLength(1);
    });

    it('keeps the last of duplicate ids in one batch', async () => {
      const ds = randomUUID();
      const id = randomUUID();
      const results = await store.replica.upsertPages([
        page(ds, id, { Name: 'first' }),
        page(ds, id, { Name: 'last' }),
      ]);
      expect(results).toHaveLength(1);
      expect((await store.replica.getPage(id))?.properties).toEqual({ Name: 'last' });
    });

    it('is append-only: the database rejects UPDATE and DELETE on page_versions', async () => {
      const ds = randomUUID();
      const id = randomUUID();
      await store.replica.upsertPage(page(ds, id, { Name: 'kept' }));
      await expect(
        store.replicaViews.query(`update page_versions set change_kind = 'updated' where page_id = '${id}'`, {
          write: true,
        }),
      ).rejects.toThrow(/append-only/);
      await expect(
        store.replicaViews.query(`delete from page_versions where page_id = '${id}'`, { write: true }),
      ).rejects.toThrow(/append-only/);
      expect(await store.replica.listVersions(id)).toHaveLength(1);
    });
  });

  describe('ad-hoc queries', () => {
    it('are read-only unless asked to write, and the store keeps working after a refused write', async () => {
      const id = randomUUID();
      await store.replica.upsertPage(page(randomUUID(), id, { Name: 'ro' }));
      await expect(
        store.replicaViews.query(`update pages set title = 'x' where id = '${id}'`),
      ).rejects.toThrow();
      await expect(store.replicaViews.query(`drop table leases`)).rejects.toThrow();
      expect((await store.replica.getPage(id))?.title).toBe('ro');
      await store.leases.acquire(`after-${id}`, 'me', 1_000);
      expect(await store.replicaViews.query(`select title from pages where id = '${id}'`)).toEqual([
        { title: 'ro' },
      ]);
    });
  });

  describe('typed views', () => {
    it('exposes one typed column per property, without deleted or trashed pages', async () => {
      const ds = randomUUID();
      await store.replica.upsertDataSource({
        id: ds,
        databaseId: randomUUID(),
        title: 'Tasks',
        schema: TASKS_SCHEMA,
      });
      const due = (start: string, end: string | null = null) => ({ start, end, time_zone: null });
      const [a, b, c, d, e] = [1, 2, 3, 4, 5].map(() => randomUUID()) as [
        string,
        string,
        string,
        string,
        string,
      ];
      await store.replica.upsertPages([
        page(ds, a, {
          Name: { text: 'Write', richText: [] },
          Status: 'Done',
          Points: 3,
          Done: true,
          Due: due('2026-01-05', '2026-01-07'),
          Tags: ['x', 'y'],
          // Title and rich text are stored in the codecs' lossless form; the view shows their text.
          Order: { text: 'first', richText: [] },
          'Owner\'s "nick"': { text: 'jo', richText: [] },
        }),
        page(ds, b, {
          Name: { text: 'Test', richText: [] },
          Status: 'Doing',
          Points: 1.5,
          Done: false,
          Due: due('2026-02-01'),
          Tags: [],
        }),
        page(ds, c, {
          Name: { text: 'Ship', richText: [] },
          Status: 'Done',
          Points: 8,
          Done: true,
          Due: null,
          Tags: ['z'],
        }),
        page(ds, d, { Name: { text: 'Gone', richText: [] }, Status: 'Done', Points: 1, Done: true }),
        page(
          ds,
          e,
          { Name: { text: 'Trashed', richText: [] }, Status: 'Done', Points: 1, Done: true },
          { inTrash: true },
        ),
      ]);
      await store.replica.markDeleted([d], 'missing_upstream');
      const view = await store.replicaViews.createOrReplaceView(ds);
      expect(view.viewName).toMatch(/^tasks(_\d+)?$/);
      // Dates split in two; "Due Start" dedupes against Due's `due_start`; keywords get a trailing `_`.
      expect(view.columnNames).toEqual([
        'page_id',
        'title',
        'page_created_time',
        'page_last_edited_time',
        'name',
        'done',
        'due_start',
        'due_end',
        'due_start_2',
        'order_',
        'owner_s_nick',
        'points',
        'status',
        'tags',
      ]);

      const v = view.viewName;
      const done = await store.replicaViews.query(
        `select title, status from ${v} where status = 'Done' order by title`,
      );
      expect(done).toEqual([
        { title: 'Ship', status: 'Done' },
        { title: 'Write', status: 'Done' },
      ]);
      const numbers = await store.replicaViews.query(
        `select title, points from ${v} where points > 1.2 order by points`,
      );
      expect(numbers).toEqual([
        { title: 'Test', points: 1.5 },
        { title: 'Write', points: 3 },
        { title: 'Ship', points: 8 },
      ]);
      const checked = await store.replicaViews.query(`select title from ${v} where done order by title`);
      expect(checked.map((r) => r['title'])).toEqual(['Ship', 'Write']);
      const row = (await store.replicaViews.query(`select * from ${v} where page_id = '${a}'`))[0] ?? {};
      expect(Boolean(row['done'])).toBe(true);
      expect(row).toMatchObject({
        name: 'Write',
        due_start: '2026-01-05',
        due_end: '2026-01-07',
        order_: 'first',
        owner_s_nick: 'jo',
      });
      expect(JSON.parse(String(row['tags']))).toEqual(['x', 'y']);
      const dated = await store.replicaViews.query(`select title from ${v} where due_start >= '2026-01-31'`);
      expect(dated).toEqual([{ title: 'Test' }]);

      // Renaming a property keeps its column; a new property gets a fresh, unique column.
      const renamed = {
        ...TASKS_SCHEMA,
        Points: { id: 'pt', name: 'Estimate', type: 'number' },
        Status: { id: 'st', name: 'Status', type: 'status' },
        Extra: { id: 'ex', name: 'Points', type: 'number' },
      };
      await store.replica.upsertDataSource({ id: ds, title: 'Tasks', schema: renamed });
      const again = await store.replicaViews.createOrReplaceView(ds);
      expect(again.viewName).toBe(v);
      expect(again.columns.find((c) => c.propertyId === 'pt')?.baseName).toBe('points');
      expect(again.columns.find((c) => c.propertyId === 'ex')?.baseName).toBe('points_2');
      expect(await store.replicaViews.dropView(ds)).toBe(true);
      await expect(store.replicaViews.query(`select * from ${v}`)).rejects.toThrow();
    });
  });

  describe('full-text search', () => {
    it('finds live pages by words of their title or body, with a snippet', async () => {
      const ds = randomUUID();
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      const body = (markdown: string) => ({ markdown, json: [], hash: markdown });
      await store.replica.upsertPages([
        page(ds, a, { Name: 'Quarterly zebra report' }, { body: body('Revenue grew in every region.') }),
        page(ds, b, { Name: 'Notes' }, { body: body('The zebra crossing near the office is repainted.') }),
        page(ds, c, { Name: 'Zebra archive' }, { body: body('old') }),
      ]);
      await store.replica.markDeleted([c], 'in_trash');
      const hits = await store.replica.search('zebra', { dataSourceId: ds });
      expect(hits.map((h) => h.pageId).sort()).toEqual([a, b].sort());
      expect(hits[0]?.pageId).toBe(a); // a title match ranks first
      const hit = hits.find((h) => h.pageId === b);
      expect(hit).toMatchObject({ title: 'Notes', dataSourceId: ds });
      expect(hit?.snippet).toContain('[zebra]');
      expect(hits.find((h) => h.pageId === a)?.snippet).toMatch(/\[zebra\]|Revenue/i);
      expect(
        (await store.replica.search('revenue region', { dataSourceId: ds })).map((h) => h.pageId),
      ).toEqual([a]);

      await store.replica.upsertPage(page(ds, b, { Name: 'Notes' }, { body: body('Nothing striped here.') }));
      expect((await store.replica.search('zebra', { dataSourceId: ds })).map((h) => h.pageId)).toEqual([a]);
      expect((await store.replica.search('striped', { dataSourceId: ds })).map((h) => h.pageId)).toEqual([b]);
      // Query syntax is not interpreted: operators and quotes are ignored, every word must match.
      const plain = await store.replica.search('"revenue" zebra* -(', { dataSourceId: ds });
      expect(plain.map((h) => h.pageId)).toEqual([a]);
      expect(await store.replica.search('  ', { dataSourceId: ds })).toEqual([]);
    });
  });

  describe('batch ingest', () => {
    it(`ingests ${CONTRACT_INGEST_ROWS} pages in bounded time and streams their ids back`, async () => {
      const ds = randomUUID();
      const pages = Array.from({ length: CONTRACT_INGEST_ROWS }, (_, i) =>
        page(ds, `p-${String(i).padStart(6, '0')}`, { Name: `Page ${i}`, Points: i, Done: i % 2 === 0 }),
      );
      const started = performance.now();
      for (let i = 0; i < pages.length; i += 1_000)
        await store.replica.upsertPages(pages.slice(i, i + 1_000));
      const elapsedMs = performance.now() - started;
      expect(elapsedMs).toBeLessThan(20_000);

      let seen = 0;
      let last = '';
      for await (const ids of store.replica.iteratePageIds(ds, { pageSize: 3_000 })) {
        for (const id of ids) {
          expect(id > last).toBe(true);
          last = id;
        }
        seen += ids.length;
      }
      expect(seen).toBe(CONTRACT_INGEST_ROWS);

      const again = await store.replica.upsertPages(pages.slice(0, 1_000));
      expect(again.every((r) => r.change === 'unchanged')).toBe(true);
      expect(await store.replica.listVersions('p-000000')).toHaveLength(1);
    });
  });
}
