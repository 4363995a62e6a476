/**
 * `runMirror`'s contract against the in-process emulator: the same cases on every store dialect.
 */
import { hostname } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { mirrorLeaseName } from '../../src/mirror/mirror-data-source.js';
import { runLeaseHolder } from '../../src/schedule/lease-holder.js';
import { runMirror } from '../../src/mirror/run-mirror.js';
import { mirrorStateKey, type ScanState } from '../../src/mirror/scan-state.js';
import type { MirrorOptions } from '../../src/mirror/mirror-options.js';
import type { MirrorStoreTarget, MirrorWorld } from './mirror-harness.js';
import {
  addRowsDirectly,
  addTask,
  callsSince,
  createDatabase,
  emulatorRowIds,
  openWorld,
  replicaIds,
  TASK_PROPERTIES,
} from './mirror-harness.js';

const MINUTE = 60_000;

function mirror(world: MirrorWorld, sources: string[], extra: Partial<MirrorOptions> = {}) {
  return runMirror({ store: world.store, gateway: world.gateway, sources, clock: world.clock, ...extra });
}

/** A backfill without bodies, cancelled once `rows` rows are done; checks that it stopped cleanly. */
async function mirrorInterrupted(world: MirrorWorld, dataSourceId: string, rows: number) {
  const controller = new AbortController();
  const outcome = await mirror(world, [dataSourceId], {
    bodies: false,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.pagesDone >= rows) controller.abort();
    },
  });
  expect(outcome.error).toBeUndefined();
  expect(outcome.status).toBe('cancelled');
  return outcome;
}

export function runMirrorContract(target: MirrorStoreTarget): void {
  afterAll(() => target.teardown());

  /** Adds `rows` rows, `perMinute` to each `created_time` minute, and mirrors them in one backfill. */
  async function backfillPastCap(world: MirrorWorld, rows: number, perMinute: number) {
    const { dataSourceId } = await createDatabase(world, 'Big', { Name: { title: {} } });
    for (let first = 0; first < rows; first += perMinute) {
      addRowsDirectly(
        world,
        dataSourceId,
        Array.from({ length: Math.min(perMinute, rows - first) }, (_, i) => `Row ${first + i}`),
      );
      await world.clock.advance(MINUTE);
    }
    const outcome = await mirror(world, [dataSourceId], { bodies: false });
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe('succeeded');
    expect(outcome.dataSources[0]?.mode).toBe('backfill');
    expect(outcome.counts.created).toBe(rows);
    const ids = await replicaIds(world.store, dataSourceId);
    expect(ids).toEqual(emulatorRowIds(world, dataSourceId));
    const view = outcome.dataSources[0]?.view as string;
    const counted = await world.store.replicaViews.query(`select count(*) as n from ${view}`);
    expect(Number(counted[0]?.['n'])).toBe(rows);
    for (const sample of [ids[0], ids[Math.floor(rows / 2)], ids.at(-1)] as string[])
      expect((await world.store.replica.listVersions(sample)).map((v) => v.changeKind)).toEqual(['created']);
    return outcome;
  }

  it("backfills 25,000 rows past Notion's 10,000-result cap: exactly the emulator rows, one version each", async () => {
    const world = await openWorld(target); // the emulator's default cap: Notion's 10,000
    try {
      const outcome = await backfillPastCap(world, 25_000, 500);
      // 250 pages of 100 rows; each of the 2 cap splits repeats the boundary minute's page(s) (500 rows).
      expect(outcome.apiCalls).toBeLessThanOrEqual(1 + 250 + 2 * 6);
    } finally {
      await world.close();
    }
  }, 180_000);

  it('backfills 5,000 rows past a query cap of 1,000 (several splits): exactly the emulator rows', async () => {
    const world = await openWorld(target, { queryResultCap: 1_000 });
    try {
      const outcome = await backfillPastCap(world, 5_000, 100);
      // 50 pages of 100 rows, plus per cap split (~5) one page repeating the boundary minute and one short
      // last page: within 25% of the minimum.
      expect(outcome.apiCalls).toBeLessThanOrEqual(Math.ceil(1.25 * (1 + 50)));
    } finally {
      await world.close();
    }
  }, 120_000);

  it('a delta after edits in the same minute as the previous run misses nothing; a no-op delta costs one query', async () => {
    const world = await openWorld(target);
    try {
      const { dataSourceId } = await createDatabase(world, 'Tasks', TASK_PROPERTIES);
      const a = await addTask(world, dataSourceId, 'A', { status: 'Todo', paragraphs: ['alpha body'] });
      await addTask(world, dataSourceId, 'B', { status: 'Todo', paragraphs: ['beta body'] });
      const first = await mirror(world, [dataSourceId]);
      expect(first.status).toBe('succeeded');
      expect(first.counts.created).toBe(2);
      expect((await world.store.replica.getPage(a.id))?.bodyMarkdown).toContain('alpha body');

      await world.clock.advance(10_000); // still the same minute as the backfill
      await world.notion.pages.update({
        page_id: a.id,
        properties: { Status: { select: { name: 'Done' } } },
      });
      await world.clock.advance(5_000);
      const before = world.emulator.stats().calls;
      const second = await mirror(world, [dataSourceId]);
      expect(second.dataSources[0]?.mode).toBe('delta');
      expect(second.counts).toMatchObject({ updated: 1, unchanged: 1, created: 0 });
      const a2 = await world.store.replica.getPage(a.id);
      expect(a2?.properties['Status']).toBe('Done');
      // Only the edited page's body was read again; the stored schema was reused (the rows agree with it).
      expect(callsSince(world, before)).toEqual({
        'dataSources.query': 1,
        'blocks.children.list': 1,
      });

      // A body edit bumps the page's last_edited_time: its body is read again, its properties are unchanged.
      await world.clock.advance(MINUTE);
      await world.notion.blocks.children.append({
        block_id: a.id,
        children: [
          {
            type: 'paragraph',
            paragraph: { rich_text: [{ type: 'text', text: { content: 'more alpha' } }] },
          },
        ],
      });
      await world.clock.advance(MINUTE);
      const bodyEdit = await mirror(world, [dataSourceId]);
      expect(bodyEdit.counts).toMatchObject({ updated: 1 });
      const a3 = await world.store.replica.getPage(a.id);
      expect(a3?.bodyMarkdown).toContain('more alpha');
      const aVersions = await world.store.replica.listVersions(a.id);
      expect(aVersions.at(-1)?.changedProperties).toEqual([]);
      expect(aVersions.at(-1)?.bodyHash).not.toBe(aVersions.at(-2)?.bodyHash);

      // The next delta re-reads the overlap before its watermark: those rows cost nothing but the query.
      await world.clock.advance(10 * MINUTE);
      const third = await mirror(world, [dataSourceId]);
      expect(third.counts).toMatchObject({ created: 0, updated: 0, unchanged: 2 }); // both in the overlap
      await world.clock.advance(10 * MINUTE);
      const noOpBefore = world.emulator.stats().calls;
      const fourth = await mirror(world, [dataSourceId]);
      expect(fourth.counts).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
      expect(callsSince(world, noOpBefore)).toEqual({ 'dataSources.query': 1 });
      expect(fourth.apiCalls).toBe(1);

      const rows = await world.store.replicaViews.query(
        `select title, status from ${third.dataSources[0]?.view as string} where status = 'Done'`,
      );
      expect(rows).toEqual([{ title: 'A', status: 'Done' }]);
    } finally {
      await world.close();
    }
  });

  it('detects trashed and unshared rows only in a complete scan, and restores them when they come back', async () => {
    const world = await openWorld(target);
    try {
      const { databaseId, dataSourceId } = await createDatabase(world, 'Tasks', TASK_PROPERTIES);
      const trashed = await addTask(world, dataSourceId, 'Trashed');
      const unshared = await addTask(world, dataSourceId, 'Unshared');
      const kept = await addTask(world, dataSourceId, 'Kept');
      const moved = await addTask(world, dataSourceId, 'Moved');
      await mirror(world, [databaseId], { bodies: false });
      const versionsBefore = await world.store.replica.listVersions(kept.id);

      await world.clock.advance(MINUTE);
      await world.notion.pages.update({ page_id: trashed.id, in_trash: true });
      world.emulator.setUnshared(unshared.id, true);
      await world.notion.pages.move({
        page_id: moved.id,
        parent: { type: 'page_id', page_id: world.emulator.rootPageId as string },
      });
      await world.clock.advance(MINUTE);
      const delta = await mirror(world, [databaseId], { bodies: false });
      expect(delta.dataSources[0]?.mode).toBe('delta');
      expect(delta.counts.deleted).toBe(0);
      expect((await world.store.replica.getPage(trashed.id))?.deletedAt).toBeNull();

      const full = await mirror(world, [databaseId], { bodies: false, mode: 'full' });
      expect(full.dataSources[0]?.mode).toBe('full');
      expect(full.counts.deleted).toBe(3);
      expect((await world.store.replica.getPage(trashed.id))?.deletedReason).toBe('trashed');
      expect((await world.store.replica.getPage(moved.id))?.deletedReason).toBe('moved_out');
      expect((await world.store.replica.getPage(unshared.id))?.deletedReason).toBe('gone_or_unshared');
      expect(await replicaIds(world.store, dataSourceId)).toEqual([kept.id]);

      await world.clock.advance(MINUTE);
      await world.notion.pages.update({ page_id: trashed.id, in_trash: false });
      world.emulator.setUnshared(unshared.id, false);
      const back = await mirror(world, [databaseId], { bodies: false, mode: 'full' });
      expect(back.counts.restored).toBe(2);
      expect((await world.store.replica.listVersions(trashed.id)).map((v) => v.changeKind)).toEqual([
        'created',
        'deleted',
        'restored',
      ]);
      // History is append-only: earlier versions are exactly as they were.
      expect((await world.store.replica.listVersions(kept.id)).slice(0, versionsBefore.length)).toEqual(
        versionsBefore,
      );
    } finally {
      await world.close();
    }
  });

  it('keeps history across a property rename and serves the renamed property in the same view column', async () => {
    const world = await openWorld(target);
    try {
      const { dataSourceId } = await createDatabase(world, 'Tasks', TASK_PROPERTIES);
      const page = await addTask(world, dataSourceId, 'A', { status: 'Done' });
      const first = await mirror(world, [dataSourceId], { bodies: false });
      const view = first.dataSources[0]?.view as string;

      await world.clock.advance(MINUTE);
      await world.notion.dataSources.update({
        data_source_id: dataSourceId,
        properties: { Status: { name: 'State' }, Points: null },
      });
      // The delta's results show the new schema (the row is in its overlap window): the run reads the schema,
      // stores it with a scheduled re-read of the rows, and fails on that re-read's first query; the next
      // run still re-reads them.
      const beforeFailed = world.emulator.stats().calls;
      const failed = await mirror(world, [dataSourceId], {
        bodies: false,
        logger: (_level, message) => {
          if (message.startsWith('query results differ from the stored schema'))
            world.emulator.faults.add({ route: 'dataSources.query', kind: 'error', status: 400, times: 1 });
        },
      });
      expect(failed.status).toBe('failed');
      expect(callsSince(world, beforeFailed)).toEqual({ 'dataSources.query': 2, 'dataSources.retrieve': 1 });
      const second = await mirror(world, [dataSourceId], { bodies: false });
      expect(second.dataSources[0]?.mode).toBe('full');
      const versions = await world.store.replica.listVersions(page.id);
      expect(versions.map((v) => v.changeKind)).toEqual(['created', 'updated']);
      expect(versions[0]?.properties['Status']).toBe('Done');
      expect(versions[1]?.properties['State']).toBe('Done');
      expect(versions[1]?.changedProperties).toEqual(['Points', 'State', 'Status']);
      const rows = await world.store.replicaViews.query(
        `select title, status from ${view} where status = 'Done'`,
      );
      expect(rows).toEqual([{ title: 'A', status: 'Done' }]);
      const events = await world.store.runs.listEvents(failed.runId);
      expect(events.map((e) => e.message)).toContain('schema changed');
    } finally {
      await world.close();
    }
  });

  it('notices a schema change no row shows once the stored schema is older than rediscoverAfterMs, or on a full run', async () => {
    const world = await openWorld(target);
    try {
      const { databaseId, dataSourceId } = await createDatabase(world, 'Tasks', TASK_PROPERTIES);
      const page = await addTask(world, dataSourceId, 'A', { status: 'Done' });
      let before = world.emulator.stats().calls;
      const first = await mirror(world, [databaseId], { bodies: false });
      expect(first.status).toBe('succeeded');
      // A database seen for the first time: its data source's rows show the schema.
      expect(callsSince(world, before)).toEqual({ 'databases.retrieve': 1, 'dataSources.query': 1 });
      const view = first.dataSources[0]?.view as string;
      await world.clock.advance(10 * MINUTE);
      await mirror(world, [databaseId], { bodies: false }); // past the backfill's overlap window

      await world.clock.advance(10 * MINUTE);
      await world.notion.dataSources.update({
        data_source_id: dataSourceId,
        properties: { Status: { name: 'State' } },
      });
      await world.clock.advance(10 * MINUTE);
      before = world.emulator.stats().calls;
      const blind = await mirror(world, [databaseId], { bodies: false });
      expect(callsSince(world, before)).toEqual({ 'dataSources.query': 1 }); // no row changed, none read
      expect(blind.dataSources[0]?.mode).toBe('delta');

      before = world.emulator.stats().calls;
      const stale = await mirror(world, [databaseId], { bodies: false, rediscoverAfterMs: 5 * MINUTE });
      expect(callsSince(world, before)).toMatchObject({ 'databases.retrieve': 1, 'dataSources.retrieve': 1 });
      expect(stale.dataSources[0]?.mode).toBe('full'); // the rename made the stored rows stale
      expect((await world.store.replica.getPage(page.id))?.properties['State']).toBe('Done');
      expect(await world.store.replicaViews.query(`select title, status from ${view}`)).toEqual([
        { title: 'A', status: 'Done' },
      ]);

      await world.clock.advance(MINUTE);
      before = world.emulator.stats().calls;
      const full = await mirror(world, [databaseId], { bodies: false, mode: 'full' });
      expect(full.status).toBe('succeeded');
      expect(callsSince(world, before)).toMatchObject({ 'databases.retrieve': 1, 'dataSources.retrieve': 1 });
    } finally {
      await world.close();
    }
  });

  it('reads the schema again when a delta row shows a new property, and adds its view column without a re-read', async () => {
    const world = await openWorld(target);
    try {
      const { dataSourceId } = await createDatabase(world, 'Tasks', TASK_PROPERTIES);
      await addTask(world, dataSourceId, 'A', { status: 'Todo' });
      const first = await mirror(world, [dataSourceId], { bodies: false });
      const view = first.dataSources[0]?.view as string;
      await world.clock.advance(10 * MINUTE);
      await mirror(world, [dataSourceId], { bodies: false }); // past the backfill's overlap window
      await world.clock.advance(10 * MINUTE);
      await world.notion.dataSources.update({
        data_source_id: dataSourceId,
        properties: { Owner: { rich_text: {} } },
      });
      const b = await addTask(world, dataSourceId, 'B', { status: 'Done' });
      await world.notion.pages.update({
        page_id: b.id,
        properties: { Owner: { rich_text: [{ type: 'text', text: { content: 'Ada' } }] } },
      });
      await world.clock.advance(MINUTE);
      const before = world.emulator.stats().calls;
      const delta = await mirror(world, [dataSourceId], { bodies: false });
      expect(delta.dataSources[0]?.mode).toBe('delta');
      expect(delta.counts).toMatchObject({ created: 1, updated: 0 });
      expect(callsSince(world, before)).toEqual({ 'dataSources.query': 1, 'dataSources.retrieve': 1 });
      expect(await world.store.replicaViews.query(`select title, owner from ${view} order by title`)).toEqual(
        [
          { title: 'A', owner: null },
          { title: 'B', owner: 'Ada' },
        ],
      );
    } finally {
      await world.close();
    }
  });

  it('reads the schema of an empty data source seen for the first time, so that it has a view', async () => {
    const world = await openWorld(target);
    try {
      const { databaseId } = await createDatabase(world, 'Empty', TASK_PROPERTIES);
      const before = world.emulator.stats().calls;
      const outcome = await mirror(world, [databaseId], { bodies: false });
      expect(outcome.status).toBe('succeeded');
      expect(callsSince(world, before)).toEqual({
        'databases.retrieve': 1,
        'dataSources.query': 1,
        'dataSources.retrieve': 1,
      });
      const view = outcome.dataSources[0]?.view as string;
      expect(await world.store.replicaViews.query(`select title, status, points from ${view}`)).toEqual([]);
    } finally {
      await world.close();
    }
  });

  it('falls back to a full scan when a delta reaches the query cap, never truncating', async () => {
    const world = await openWorld(target, { queryResultCap: 50 });
    try {
      const { dataSourceId } = await createDatabase(world, 'Bulk', { Name: { title: {} } });
      const ids: string[] = [];
      for (let chunk = 0; chunk < 4; chunk++) {
        ids.push(
          ...addRowsDirectly(
            world,
            dataSourceId,
            Array.from({ length: 30 }, (_, i) => `R${chunk}-${i}`),
          ),
        );
        await world.clock.advance(MINUTE);
      }
      await mirror(world, [dataSourceId], { bodies: false });
      await world.clock.advance(5 * MINUTE);
      for (const id of ids) {
        await world.notion.pages.update({
          page_id: id,
          properties: { Name: { title: [{ type: 'text', text: { content: `${id} edited` } }] } },
        });
      }
      await world.clock.advance(MINUTE);
      const outcome = await mirror(world, [dataSourceId], { bodies: false });
      expect(outcome.dataSources[0]?.mode).toBe('full');
      expect(outcome.counts.updated).toBe(120);
      const events = await world.store.runs.listEvents(outcome.runId);
      expect(events.map((e) => e.message)).toContain('delta capped, falling back to a full scan');
    } finally {
      await world.close();
    }
  });

  it('completes a relation with 60 targets', async () => {
    const world = await openWorld(target);
    try {
      const targets = await createDatabase(world, 'Targets', { Name: { title: {} } });
      const targetIds = addRowsDirectly(
        world,
        targets.dataSourceId,
        Array.from({ length: 60 }, (_, i) => `T${i}`),
      );
      const source = await createDatabase(world, 'Sources', {
        Name: { title: {} },
        Links: { relation: { data_source_id: targets.dataSourceId, single_property: {} } },
      });
      const page = await world.notion.pages.create({
        parent: { type: 'data_source_id', data_source_id: source.dataSourceId },
        properties: {
          Name: { title: [{ type: 'text', text: { content: 'Linked' } }] },
          Links: { relation: targetIds.map((id) => ({ id })) },
        },
      });
      const before = world.emulator.stats().calls;
      const outcome = await mirror(world, [source.dataSourceId], { bodies: false });
      expect(outcome.status).toBe('succeeded');
      const stored = await world.store.replica.getPage(page.id);
      const links = stored?.properties['Links'] as unknown[];
      expect(links).toHaveLength(60);
      expect(callsSince(world, before)['pages.properties.retrieve']).toBeGreaterThanOrEqual(1);
    } finally {
      await world.close();
    }
  });

  it('never loses an edit while the query index lags 5 s behind writes', async () => {
    const world = await openWorld(target, { consistencyLagMs: 5_000 });
    try {
      const { dataSourceId } = await createDatabase(world, 'Tasks', TASK_PROPERTIES);
      const page = await addTask(world, dataSourceId, 'A', { status: 'Todo' });
      await world.clock.advance(10_000);
      await mirror(world, [dataSourceId], { bodies: false });

      await world.clock.advance(3 * MINUTE);
      await world.notion.pages.update({
        page_id: page.id,
        properties: { Status: { select: { name: 'Done' } } },
      });
      const late = await addTask(world, dataSourceId, 'Late');
      await world.clock.advance(1_000); // the index has not caught up yet
      const blind = await mirror(world, [dataSourceId], { bodies: false });
      expect(blind.counts.updated + blind.counts.created).toBe(0);

      await world.clock.advance(MINUTE);
      const caught = await mirror(world, [dataSourceId], { bodies: false });
      expect(caught.counts).toMatchObject({ updated: 1, created: 1 });
      expect((await world.store.replica.getPage(page.id))?.properties['Status']).toBe('Done');
      expect(await world.store.replica.getPage(late.id)).toBeDefined();
    } finally {
      await world.close();
    }
  });

  it('resumes an interrupted backfill, repeating at most one page and creating no duplicate versions', async () => {
    const world = await openWorld(target, { queryResultCap: 1_000 });
    try {
      const { dataSourceId } = await createDatabase(world, 'Resume', { Name: { title: {} } });
      for (let chunk = 0; chunk < 5; chunk++) {
        addRowsDirectly(
          world,
          dataSourceId,
          Array.from({ length: 500 }, (_, i) => `Row ${chunk * 500 + i}`),
        );
        await world.clock.advance(MINUTE);
      }
      const first = await mirrorInterrupted(world, dataSourceId, 1_200);
      const done = first.counts.created;
      expect(done).toBeGreaterThanOrEqual(1_200);
      expect(done).toBeLessThan(2_500);
      // The saved checkpoint leaves the boundary minute's ids (hundreds here) to the replica.
      const saved = (await world.store.syncState.get(mirrorStateKey(dataSourceId)))?.state as ScanState;
      expect(saved.checkpoint?.boundary).toMatchObject({ ids: [] });
      expect(saved.checkpoint?.boundary?.createdTime).toMatch(/^\d{4}-/);

      const second = await mirror(world, [dataSourceId], { bodies: false });
      expect(second.status).toBe('succeeded');
      expect(second.dataSources[0]?.mode).toBe('backfill');
      expect(second.counts.created).toBe(2_500 - done);
      expect(second.counts.unchanged).toBeLessThanOrEqual(100);
      expect(second.counts.deleted).toBe(0); // rows committed by the first run count as seen by the scan
      expect(await replicaIds(world.store, dataSourceId)).toEqual(emulatorRowIds(world, dataSourceId));
      for (const id of (await replicaIds(world.store, dataSourceId)).slice(0, 50)) {
        expect(await world.store.replica.listVersions(id)).toHaveLength(1);
      }
      // The next run is a delta, not another backfill.
      await world.clock.advance(MINUTE);
      const third = await mirror(world, [dataSourceId], { bodies: false });
      expect(third.dataSources[0]?.mode).toBe('delta');
    } finally {
      await world.close();
    }
  }, 30_000);

  it('mirrors a bulk-imported minute holding more rows than the cap, also when interrupted inside it', async () => {
    const world = await openWorld(target, { queryResultCap: 1_000 });
    try {
      const { dataSourceId } = await createDatabase(world, 'Imported', { Name: { title: {} } });
      await world.clock.advance(MINUTE);
      const ids = addRowsDirectly(
        world,
        dataSourceId,
        Array.from({ length: 2_500 }, (_, i) => `Imported ${i}`),
      );
      // Three later minutes of edits spread the rows' last_edited_time: 700, 700, 600 and 500 unedited.
      for (const [from, to] of [
        [500, 1_200],
        [1_200, 1_900],
        [1_900, 2_500],
      ] as const) {
        await world.clock.advance(MINUTE);
        for (const id of ids.slice(from, to)) {
          const ws = world.emulator.workspace;
          ws.updatePage(ws.getPage(id), {
            properties: { Name: { title: [{ type: 'text', text: { content: `Edited ${id}` } }] } },
          });
        }
      }
      await world.clock.advance(2 * MINUTE); // edits made before the read began do not make it read again
      const first = await mirrorInterrupted(world, dataSourceId, 1_500);
      const second = await mirror(world, [dataSourceId], { bodies: false });
      expect(second.status).toBe('succeeded');
      expect(first.counts.created + second.counts.created).toBe(2_500);
      expect(second.counts.unchanged).toBe(0); // nothing read twice across the interruption
      expect(await replicaIds(world.store, dataSourceId)).toEqual(emulatorRowIds(world, dataSourceId));
      for (const id of [ids[0], ids[1_000], ids[2_499]] as string[])
        expect(await world.store.replica.listVersions(id)).toHaveLength(1);
    } finally {
      await world.close();
    }
  }, 60_000);

  it('starts an interrupted scan over when its rows show a rename: no row keeps the old property name', async () => {
    const world = await openWorld(target);
    try {
      const { dataSourceId } = await createDatabase(world, 'Renamed', { Name: { title: {} } });
      addRowsDirectly(
        world,
        dataSourceId,
        Array.from({ length: 300 }, (_, i) => `Row ${i}`),
      );
      const controller = new AbortController();
      const first = await mirror(world, [dataSourceId], {
        bodies: false,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.pagesDone >= 100) controller.abort();
        },
      });
      expect(first.status).toBe('cancelled');
      await world.clock.advance(MINUTE);
      await world.notion.dataSources.update({
        data_source_id: dataSourceId,
        properties: { Name: { name: 'Title' } },
      });
      const second = await mirror(world, [dataSourceId], { bodies: false });
      expect(second.status).toBe('succeeded');
      const ids = await replicaIds(world.store, dataSourceId);
      expect(ids).toHaveLength(300);
      for (const id of ids) {
        const page = await world.store.replica.getPage(id);
        expect(Object.keys(page?.properties ?? {}), id).toEqual(['Title']);
      }
    } finally {
      await world.close();
    }
  });

  it('says what to do for a database that is not shared and for a wrong token; records every run', async () => {
    const world = await openWorld(target);
    try {
      const missing = await mirror(world, ['0123456789abcdef0123456789abcdef']);
      expect(missing.status).toBe('failed');
      expect(JSON.stringify(missing.error)).toMatch(/share the database with your integration/);
      const bad = await mirror(world, ['not an id']);
      expect(bad.status).toBe('failed');
      expect(JSON.stringify(bad.error)).toMatch(/not a Notion ID/);

      const run = await world.store.runs.get(missing.runId);
      expect(run?.status).toBe('failed');
      const events = await world.store.runs.listEvents(missing.runId);
      expect(events.map((e) => e.message)).toEqual([
        'mirror started',
        'source not resolved',
        'mirror finished',
      ]);
    } finally {
      await world.close();
    }
  });

  it('leaves a data source alone while another run holds its lease', async () => {
    const world = await openWorld(target);
    try {
      const { dataSourceId } = await createDatabase(world, 'Tasks', TASK_PROPERTIES);
      await addTask(world, dataSourceId, 'A');
      const lease = mirrorLeaseName(dataSourceId);
      const other = runLeaseHolder('0ther-run-id', { host: hostname(), pid: process.pid });
      await world.store.leases.acquire(lease, other, 60_000);
      const blocked = await mirror(world, [dataSourceId], { bodies: false });
      expect(blocked.status).toBe('failed');
      expect(blocked.error).toMatchObject({ code: 'lease_held' });
      expect((blocked.error as { message: string }).message).toContain(
        `held by run 0ther-ru (pid ${process.pid} on host ${hostname()})`,
      );
      expect(await world.store.replica.countPages(dataSourceId)).toBe(0);
      await world.store.leases.release(lease, other);
      const free = await mirror(world, [dataSourceId], { bodies: false });
      expect(free.status).toBe('succeeded');
      expect(await world.store.leases.get(lease)).toMatchObject({ holder: runLeaseHolder(free.runId) });
      expect((await world.store.leases.listActive()).map((l) => l.name)).not.toContain(lease);
    } finally {
      await world.close();
    }
  });

  describe('with a token the emulator refuses', () => {
    it('fails with a hint to check NOTION_TOKEN', async () => {
      const world = await openWorld(target, { token: 'secret_the_only_valid_token_here' });
      try {
        const outcome = await mirror(world, ['0123456789abcdef0123456789abcdef']);
        expect(outcome.status).toBe('failed');
        expect(JSON.stringify(outcome.error)).toMatch(/NOTION_TOKEN/);
      } finally {
        await world.close();
      }
    });
  });
}
