import { Worker } from '@notionhq/workers';
import * as Builder from '@notionhq/workers/builder';
import * as Schema from '@notionhq/workers/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDatabases } from '../../src/push/ensure-databases.js';
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
