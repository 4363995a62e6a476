/**
 * The example workers of examples/, run through the push engine into the emulator, end to end.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoData, startJsonApi, type JsonApi } from '../../examples/json-api-server.js';
import { runSyncCycle } from '../../src/push/run-sync-cycle.js';
import { loadWorker } from '../../src/workers/load-worker.js';
import { startPushHarness, type PushHarness } from './push-harness.js';

const example = (name: string): string =>
  fileURLToPath(new URL(`../../examples/${name}/worker.ts`, import.meta.url));

let api: JsonApi;
let h: PushHarness;
beforeAll(async () => {
  api = await startJsonApi(demoData());
  process.env.EXAMPLE_API_URL = api.url;
});
afterAll(async () => {
  delete process.env.EXAMPLE_API_URL;
  await api.stop();
});
beforeEach(async () => {
  h = await startPushHarness();
});
afterEach(async () => {
  await h.close();
});

describe(runSyncCycle, () => {
  it('related-databases: the related database is created first; links complete once their rows exist', async () => {
    const worker = await loadWorker(example('related-databases'));
    const tasks = await h.run(worker, 'tasksSync');
    expect([tasks.status, tasks.error?.message]).toEqual(['succeeded', undefined]);
    // Projects exist as a database (created first, for the relation) but have no rows yet.
    expect(tasks.unresolvedRelations.map((u) => `${u.key}.${u.property}`).sort()).toEqual([
      'T-1.Project',
      'T-2.Project',
      'T-3.Project',
    ]);
    expect((await h.run(worker, 'projectsSync')).counts.created).toBe(2);
    const again = await h.run(worker, 'tasksSync');
    expect(again.unresolvedRelations).toEqual([]);
    const projects = await h.rows('projects', 'Project ID');
    const rows = await h.rows('tasks', 'Task ID');
    expect(rows.get('T-2')?.properties.Project).toEqual([projects.get('P-1')?.id]);
    expect(rows.get('T-2')?.properties['Blocked by']).toEqual([rows.get('T-1')?.id]);
    // The two-way relation shows the tasks on their project.
    expect((projects.get('P-1')?.properties.Tasks as string[]).sort()).toEqual(
      [rows.get('T-1')?.id, rows.get('T-2')?.id].sort(),
    );
  });

  it('backfill-delta: a replace backfill and an incremental delta keep one database equal to the API', async () => {
    const worker = await loadWorker(example('backfill-delta'));
    const backfill = await h.run(worker, 'ticketsBackfill');
    expect(backfill).toMatchObject({ status: 'succeeded', counts: { created: 25 } });
    api.upsert('issues', { id: 'ISS-26', title: 'New', status: 'Open', updatedAt: '2026-03-01T00:00:00Z' });
    api.remove('issues', 'ISS-3');
    const delta = await h.run(worker, 'ticketsDelta');
    expect(delta.status).toBe('succeeded');
    const rows = await h.rows('tickets', 'Ticket');
    expect(rows.size).toBe(25);
    expect(rows.has('ISS-26')).toBe(true);
    expect(rows.has('ISS-3')).toBe(false);
    expect(rows.get('ISS-2')?.properties).toMatchObject({ Summary: 'Issue 2', Status: 'In progress' });
  });
  it('page-bodies: a native database icon, page icons and covers, bodies written, edited and cleared', async () => {
    const worker = await loadWorker(example('page-bodies'));
    const first = await h.run(worker, 'notesSync');
    expect([first.status, first.error?.message]).toEqual(['succeeded', undefined]);
    expect(first.counts.created).toBe(2);
    const binding = await h.dataSourceOf('notes');
    const dataSource = await h.notion.dataSources.retrieve({ data_source_id: binding });
    const database = await h.notion.databases.retrieve({
      database_id: (dataSource as { parent: { database_id: string } }).parent.database_id,
    });
    expect('icon' in database && database.icon).toEqual({
      type: 'icon',
      icon: { name: 'document', color: 'blue' },
    });
    const rows = await h.rows('notes', 'Note ID');
    const meeting = rows.get('N-1');
    expect(meeting?.page.icon).toEqual({ type: 'emoji', emoji: '📝' });
    expect(meeting?.page.cover).toMatchObject({ external: { url: 'https://images.example.com/cover.png' } });
    expect(await h.body(meeting?.id ?? '')).toEqual([
      'heading_1:Agenda',
      'bulleted_list_item:budget',
      'bulleted_list_item:hiring',
      'paragraph:See the plan.',
    ]);
    expect(await h.body(rows.get('N-2')?.id ?? '')).toEqual([]);

    api.upsert('notes', { id: 'N-1', title: 'Meeting notes', body: '# Agenda\n\n- budget' });
    api.upsert('notes', { id: 'N-2', title: 'Empty note', body: 'Now with text.' });
    const second = await h.run(worker, 'notesSync');
    expect(second.counts).toMatchObject({ updated: 2, unchanged: 0 });
    expect(await h.body(meeting?.id ?? '')).toEqual(['heading_1:Agenda', 'bulleted_list_item:budget']);
    expect(await h.body(rows.get('N-2')?.id ?? '')).toEqual(['paragraph:Now with text.']);

    const third = await h.run(worker, 'notesSync');
    expect(third.counts).toMatchObject({ updated: 0, unchanged: 2 });
    expect((await h.rows('notes', 'Note ID')).size).toBe(2);
    for (const note of demoData().notes ?? []) api.upsert('notes', note);
  });
});
