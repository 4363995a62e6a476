import { hostname } from 'node:os';
import { Worker } from '@notionhq/workers';
import * as Builder from '@notionhq/workers/builder';
import * as Schema from '@notionhq/workers/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getDatabaseBinding } from '../../src/push/push-records.js';
import { runSyncCycle } from '../../src/push/run-sync-cycle.js';
import { runLeaseHolder } from '../../src/schedule/lease-holder.js';
import { expectedRow, startPushHarness, testWorker, TestSource, type PushHarness } from './push-harness.js';

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
    // No page call, and no schema read either: the schema was checked less than an hour ago.
    expect(second.apiCalls).toBe(0);
  });
});

describe('replace mode', () => {
  it('sweeps rows missing from a complete cycle and sends only changed properties', async () => {
    const source = new TestSource();
    source.upsert(
      { id: 'a', title: 'Alpha', tags: ['a'] },
      { id: 'b', title: 'Beta' },
      { id: 'c', title: 'Gamma' },
      { id: 'd', title: 'Delta' },
    );
    const worker = testWorker(source);
    await h.run(worker, 'itemsReplace');
    const before = await h.rows('items', 'Key');
    // Someone edits Tags in Notion; the source changes only Name: Tags must be left alone.
    await h.notion.pages.update({
      page_id: before.get('a')?.id as string,
      properties: { Tags: { multi_select: [{ name: 'b' }] } },
    });
    source.upsert({ id: 'a', title: 'Alpha 2', tags: ['a'] });
    source.remove('c');
    const outcome = await h.run(worker, 'itemsReplace');
    expect(outcome).toMatchObject({ status: 'succeeded', sweep: { trashed: 1 } });
    expect(outcome.counts).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    const after = await h.rows('items', 'Key');
    expect([...after.keys()].sort()).toEqual(['a', 'b', 'd']);
    expect(after.get('a')?.properties).toMatchObject({ Name: 'Alpha 2', Tags: ['b'] });
    expect(after.get('a')?.id).toBe(before.get('a')?.id);
    const trashed = await h.notion.pages.retrieve({ page_id: before.get('c')?.id as string });
    expect((trashed as { in_trash: boolean }).in_trash).toBe(true);
  });

  it('a cycle that fails halfway sweeps nothing, and the next run resumes it', async () => {
    const source = new TestSource();
    source.upsert(
      { id: 'a', title: 'A' },
      { id: 'b', title: 'B' },
      { id: 'c', title: 'C' },
      { id: 'd', title: 'D' },
      { id: 'e', title: 'E' },
      { id: 'f', title: 'F' },
      { id: 'g', title: 'G' },
    );
    const worker = testWorker(source);
    await h.run(worker, 'itemsReplace');
    // Rows b..g disappear upstream; of the new rows, the first create (x) fails with a 4xx (not retried).
    for (const id of ['b', 'c', 'd', 'e', 'f', 'g']) source.remove(id);
    source.upsert({ id: 'x', title: 'X' }, { id: 'y', title: 'Y' }, { id: 'z', title: 'Z' });
    const fault = h.emulator.faults.add({ route: 'pages.create', kind: 'error', status: 400, times: 1 });
    const failed = await h.run(worker, 'itemsReplace');
    expect(failed.status).toBe('partial');
    expect(failed.sweep.trashed).toBe(0);
    expect(failed.counts.failed).toBe(1);
    expect(failed.error?.message).toMatch(/failed to write/);
    // z's batch was already being written when x's batch failed (the pipeline): it is kept, and nothing swept.
    expect([...(await h.rows('items', 'Key')).keys()].sort()).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
      'g',
      'y',
      'z',
    ]);
    h.emulator.faults.remove(fault);
    const resumed = await h.run(worker, 'itemsReplace');
    expect(resumed).toMatchObject({ status: 'succeeded', sweep: { trashed: 6 } });
    expect([...(await h.rows('items', 'Key')).keys()].sort()).toEqual(['a', 'x', 'y', 'z']);
  });
});

describe('incremental mode', () => {
  it('applies delete markers, restores a re-upserted key on its old page, and keeps the cursor', async () => {
    const source = new TestSource();
    source.upsert(
      { id: 'a', title: 'A' },
      { id: 'b', title: 'B' },
      { id: 'c', title: 'C' },
      { id: 'd', title: 'D' },
    );
    const worker = testWorker(source);
    const first = await h.run(worker, 'itemsDelta');
    expect(first.counts.created).toBe(4);
    const pageOfB = (await h.rows('items', 'Key')).get('b')?.id;
    source.remove('b');
    const second = await h.run(worker, 'itemsDelta');
    expect(second.counts).toMatchObject({ deleted: 1, created: 0, updated: 0 });
    expect(second.batches).toBe(1); // continued from the persisted cursor
    expect((await h.rows('items', 'Key')).has('b')).toBe(false);
    source.upsert({ id: 'b', title: 'B again' });
    const third = await h.run(worker, 'itemsDelta');
    expect(third.counts).toMatchObject({ created: 0, updated: 1 });
    const rows = await h.rows('items', 'Key');
    expect(rows.get('b')).toMatchObject({ id: pageOfB, properties: { Name: 'B again' } });
    // The worker's console output is in the run's events.
    const events = await h.store.runs.listEvents(third.runId, { limit: 100 });
    expect(events.some((e) => e.message.startsWith('delta from') && e.fields?.source === 'worker')).toBe(
      true,
    );
  });

  it('skips an upsert whose upstreamUpdatedAt is older than the one written', async () => {
    const source = new TestSource();
    source.upsert({ id: 'a', title: 'new', updatedAt: '2026-01-02T00:00:00Z' });
    const worker = testWorker(source);
    await h.run(worker, 'itemsDelta');
    source.upsert({ id: 'a', title: 'old', updatedAt: '2026-01-01T00:00:00Z' });
    const outcome = await h.run(worker, 'itemsDelta');
    expect(outcome.counts).toMatchObject({ skippedStale: 1, updated: 0 });
    expect((await h.rows('items', 'Key')).get('a')?.properties.Name).toBe('new');
  });
});

describe('backfill + delta on one database', () => {
  it('ends equal to the source, relations and bodies included, without duplicates', async () => {
    const source = new TestSource();
    source.upsert(
      { id: 'p1', title: 'Parent', body: 'Intro\n\n- one\n- two' },
      { id: 'c1', title: 'Child 1', parent: 'p1', status: 'Open' },
      { id: 'c2', title: 'Child 2', parent: 'p9' },
    );
    const worker = testWorker(source);
    const backfill = await h.run(worker, 'itemsReplace');
    expect(backfill.status).toBe('succeeded');
    expect(backfill.unresolvedRelations).toEqual([
      expect.objectContaining({ key: 'c2', property: 'Parent', primaryKeys: ['p9'] }),
    ]);
    // The delta writes the missing parent; the link completes at the end of its batch? No: it is c2's
    // backlog (the backfill's), completed by the backfill's next cycle. The delta's own links complete in it.
    source.upsert(
      { id: 'p9', title: 'Late parent' },
      { id: 'c3', title: 'Child 3', parent: 'p9', status: 'Done' },
    );
    source.remove('c1');
    const delta = await h.run(worker, 'itemsDelta');
    expect(delta.status).toBe('succeeded');
    const backfill2 = await h.run(worker, 'itemsReplace');
    expect(backfill2.unresolvedRelations).toEqual([]);
    const rows = await h.rows('items', 'Key');
    const pageOf = (k: string): string | undefined => rows.get(k)?.id;
    expect([...rows.keys()].sort()).toEqual([...source.items.keys()].sort());
    for (const item of source.items.values()) {
      expect(rows.get(item.id)?.properties).toMatchObject(expectedRow(item, pageOf));
    }
    expect(await h.body(pageOf('p1') as string)).toEqual([
      'paragraph:Intro',
      'bulleted_list_item:one',
      'bulleted_list_item:two',
    ]);
  });
});

describe('page bodies', () => {
  it('updates only changed blocks, leaves an omitted body alone, clears an empty one', async () => {
    const source = new TestSource();
    const paragraphs = Array.from({ length: 20 }, (_, i) => `Paragraph ${i}`);
    source.upsert({ id: 'a', title: 'A', body: paragraphs.join('\n\n') });
    const worker = testWorker(source);
    await h.run(worker, 'itemsReplace');
    const page = (await h.rows('items', 'Key')).get('a')?.id as string;
    paragraphs[7] = 'Paragraph seven, edited';
    source.upsert({ id: 'a', title: 'A', body: paragraphs.join('\n\n') });
    const before = h.gateway.metrics.snapshot().endpoints;
    const edited = await h.run(worker, 'itemsReplace');
    const after = h.gateway.metrics.snapshot().endpoints;
    const callsOf = (name: string): number => (after[name]?.calls ?? 0) - (before[name]?.calls ?? 0);
    expect(edited.counts.updated).toBe(1);
    expect(callsOf('blocks.update')).toBe(1);
    expect(callsOf('blocks.children.append') + callsOf('blocks.delete') + callsOf('pages.update')).toBe(0);
    expect((await h.body(page))[7]).toBe('paragraph:Paragraph seven, edited');

    source.upsert({ id: 'a', title: 'A2' }); // no pageContentMarkdown: the body stays
    await h.run(worker, 'itemsReplace');
    expect(await h.body(page)).toHaveLength(20);
    source.upsert({ id: 'a', title: 'A2', body: '' });
    await h.run(worker, 'itemsReplace');
    expect(await h.body(page)).toEqual([]);
  });
});

describe('icons and covers', () => {
  it('sets the database icon, page icons and covers, and changes only what changed', async () => {
    let cover = 'https://images.example.com/a.png';
    const worker = new Worker();
    const notes = worker.database('notes', {
      type: 'managed',
      initialTitle: 'Notes',
      primaryKeyProperty: 'Slug',
      schema: { databaseIcon: Builder.emojiIcon('📚'), properties: { Slug: Schema.title() } },
    });
    worker.sync('notesSync', {
      database: notes,
      execute: async () => ({
        changes: [
          {
            type: 'upsert' as const,
            key: 'n1',
            properties: { Slug: Builder.title('n1') },
            icon: Builder.emojiIcon('📝'),
            cover: Builder.imageCover(cover),
          },
        ],
        hasMore: false,
      }),
    });
    await h.run(worker, 'notesSync');
    const binding = await getDatabaseBinding(h.store, 'notes');
    const database = await h.notion.databases.retrieve({ database_id: binding?.databaseId as string });
    expect((database as { icon: unknown }).icon).toMatchObject({ type: 'emoji', emoji: '📚' });
    const page = (await h.rows('notes', 'Slug')).get('n1')?.page;
    expect(page?.icon).toMatchObject({ type: 'emoji', emoji: '📝' });
    expect(page?.cover).toMatchObject({ type: 'external', external: { url: cover } });
    expect((await h.run(worker, 'notesSync')).counts).toMatchObject({ unchanged: 1 });
    cover = 'https://images.example.com/b.png';
    expect((await h.run(worker, 'notesSync')).counts).toMatchObject({ updated: 1 });
    expect((await h.rows('notes', 'Slug')).get('n1')?.page.cover).toMatchObject({ external: { url: cover } });
  });
});

describe('a held push lease', () => {
  it('refuses the cycle, naming the run and process that hold it and how to clear it', async () => {
    const source = new TestSource();
    source.upsert({ id: 'a', title: 'Alpha' });
    const held = runLeaseHolder('deadbeef-run', { host: hostname(), pid: 2 ** 22 + 1 });
    const lease = await h.store.leases.acquire('push:itemsReplace', held, 600_000);
    const outcome = await h.run(testWorker(source), 'itemsReplace');
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({ code: 'lease_held' });
    const error = outcome.error as { message: string; hint: string };
    expect(error.message).toBe(
      `Sync "itemsReplace" is refused: lease "push:itemsReplace" is held by run deadbeef (pid ${2 ** 22 + 1} on host ${hostname()}), a process that is no longer running, since ${lease.acquired ? lease.lease.acquiredAt : ''}, until ${lease.acquired ? lease.lease.expiresAt : ''}.`,
    );
    expect(error.hint).toContain('`notion-sync runs release sync:itemsReplace`');
    expect(outcome.apiCalls).toBe(0);
  });
});
