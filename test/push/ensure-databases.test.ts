import { Worker } from '@notionhq/workers';
import * as Builder from '@notionhq/workers/builder';
import * as Schema from '@notionhq/workers/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachDatabase, ensureDatabases } from '../../src/push/ensure-databases.js';
import { startPushHarness, type PushHarness } from './push-harness.js';

let h: PushHarness;
beforeEach(async () => {
  h = await startPushHarness();
});
afterEach(async () => {
  await h.close();
});

/** A worker whose database schema is `properties`, syncing one row. */
function workerWith(properties: Record<string, unknown>, row: Record<string, unknown> = {}): Worker {
  const worker = new Worker();
  const db = worker.database('things', {
    type: 'managed',
    initialTitle: 'Things',
    primaryKeyProperty: 'Id',
    schema: { properties: { Id: Schema.title(), ...properties } as never },
  });
  worker.sync('thingsSync', {
    database: db,
    execute: async () => ({
      changes: [{ type: 'upsert', key: 'x', properties: { Id: Builder.title('x'), ...row } as never }],
      hasMore: false,
    }),
  });
  return worker;
}

describe(ensureDatabases, () => {
  it('migrates a managed database: new properties and new options are added, rows keep their values', async () => {
    await h.run(
      workerWith({ Kind: Schema.select([{ name: 'a' }]) }, { Kind: Builder.select('a') }),
      'thingsSync',
    );
    const next = workerWith(
      { Kind: Schema.select([{ name: 'a' }, { name: 'b' }]), Notes: Schema.richText() },
      { Kind: Builder.select('b'), Notes: Builder.richText('hi') },
    );
    const outcome = await h.run(next, 'thingsSync');
    expect([outcome.status, outcome.error?.message]).toEqual(['succeeded', undefined]);
    const events = await h.store.runs.listEvents(outcome.runId, { limit: 50 });
    expect(events.find((e) => e.message === 'database migrated')?.fields).toMatchObject({
      databaseKey: 'things',
      properties: expect.arrayContaining(['Kind', 'Notes']),
    });
    const schema = await h.notion.dataSources.retrieve({ data_source_id: await h.dataSourceOf('things') });
    const kind = schema.properties.Kind as { select: { options: { name: string }[] } };
    expect(kind.select.options.map((o) => o.name)).toEqual(['a', 'b']);
    expect((await h.rows('things', 'Id')).get('x')?.properties).toMatchObject({ Kind: 'b', Notes: 'hi' });
  });

  it('refuses a destructive change unless allowed, and writes nothing then', async () => {
    await h.run(workerWith({ Size: Schema.number() }), 'thingsSync');
    const pagesBefore = h.emulator.stats().calls['pages.update'] ?? 0;
    const retyped = workerWith({ Size: Schema.richText() }, { Size: Builder.richText('big') });
    const refused = await h.run(retyped, 'thingsSync');
    expect(refused.status).toBe('failed');
    expect(refused.error?.message).toMatch(
      /would destroy data: property "Size" is number, declared as rich_text/,
    );
    expect(h.emulator.stats().calls['pages.update'] ?? 0).toBe(pagesBefore);
    const allowed = await h.run(retyped, 'thingsSync', { allowDestructive: true });
    expect(allowed.status).toBe('succeeded');
    expect((await h.rows('things', 'Id')).get('x')?.properties.Size).toBe('big');
  });
});

describe('schema checks', () => {
  const retrieves = (): number => h.emulator.stats().calls['dataSources.retrieve'] ?? 0;

  it('reads no schema while an unchanged declaration was checked recently; reads it when the declaration changes', async () => {
    const worker = workerWith({ Notes: Schema.richText() }, { Notes: Builder.richText('hi') });
    await h.run(worker, 'thingsSync');
    // Created whole from the declaration: nothing to read back.
    expect(retrieves()).toBe(0);
    await h.run(worker, 'thingsSync');
    expect(retrieves()).toBe(0);
    // Past the recheck interval (here: none), the schema is read again.
    await h.run(worker, 'thingsSync', { schemaRecheckMs: 0 });
    expect(retrieves()).toBe(1);
    const changed = workerWith(
      { Notes: Schema.richText(), Size: Schema.number() },
      { Notes: Builder.richText('hi') },
    );
    expect((await h.run(changed, 'thingsSync')).status).toBe('succeeded');
    // Read to plan the migration (before the first batch is validated), then again to apply it.
    expect(retrieves()).toBe(3);
    await h.run(changed, 'thingsSync');
    expect(retrieves()).toBe(3);
  });

  it('a property deleted in Notion by hand: the write fails naming it, nothing is lost, the next run restores it', async () => {
    await h.run(workerWith({ Notes: Schema.richText() }, { Notes: Builder.richText('hi') }), 'thingsSync');
    await h.notion.dataSources.update({
      data_source_id: await h.dataSourceOf('things'),
      properties: { Notes: null },
    });
    const edited = workerWith({ Notes: Schema.richText() }, { Notes: Builder.richText('edited') });
    const refused = await h.run(edited, 'thingsSync');
    expect(refused.status).toBe('failed');
    expect(refused.error?.message).toMatch(
      /Database "things" was changed in Notion and no longer fits the worker's schema: .*"Notes"/,
    );
    expect(refused.error?.hint).toMatch(/Run the sync again/);
    const again = await h.run(edited, 'thingsSync');
    expect([again.status, again.error?.message]).toEqual(['succeeded', undefined]);
    expect(again.counts).toMatchObject({ updated: 1 });
    expect((await h.rows('things', 'Id')).get('x')?.properties).toMatchObject({ Notes: 'edited' });
  });
});

describe(attachDatabase, () => {
  it('an attached database: its existing rows are adopted by key, and rows we never wrote are never swept', async () => {
    const created = (await h.notion.databases.create({
      parent: { type: 'page_id', page_id: h.parentPageId },
      title: [{ type: 'text', text: { content: 'Shelf' } }],
      initial_data_source: { properties: { Name: { title: {} }, Note: { rich_text: {} } } },
    })) as { id: string; data_sources: { id: string }[] };
    const dataSourceId = created.data_sources[0]?.id as string;
    const row = (name: string) =>
      h.notion.pages.create({
        parent: { data_source_id: dataSourceId },
        properties: { Name: { title: [{ text: { content: name } }] } },
      });
    const oak = await row('Oak');
    await row('Maple'); // the user's own row, not in the source
    const worker = new Worker();
    const shelf = worker.database('shelf', {
      type: 'attached',
      initialTitle: 'Shelf',
      primaryKeyProperty: 'Name',
      schema: { properties: { Name: Schema.title(), Note: Schema.richText() } },
    });
    worker.sync('shelfSync', {
      database: shelf,
      mode: 'replace',
      execute: async () => ({
        changes: ['Oak', 'Pine'].map((name) => ({
          type: 'upsert' as const,
          key: name,
          properties: { Name: Builder.title(name), Note: Builder.richText(`${name} note`) },
        })),
        hasMore: false,
      }),
    });
    const refused = await h.run(worker, 'shelfSync');
    expect(refused.error?.message).toMatch(/not bound to a Notion database/);
    await attachDatabase({
      store: h.store,
      gateway: h.gateway,
      databaseKey: 'shelf',
      databaseIdOrDataSourceId: created.id,
    });
    const first = await h.run(worker, 'shelfSync');
    expect(first).toMatchObject({
      status: 'succeeded',
      counts: { created: 1, updated: 1 },
      sweep: { trashed: 0 },
    });
    const second = await h.run(worker, 'shelfSync');
    expect(second).toMatchObject({ counts: { unchanged: 2 }, sweep: { trashed: 0 } });
    const rows = await h.rows('shelf', 'Name');
    expect([...rows.keys()].sort()).toEqual(['Maple', 'Oak', 'Pine']);
    expect(rows.get('Oak')).toMatchObject({ id: oak.id, properties: { Note: 'Oak note' } });
  });
});
