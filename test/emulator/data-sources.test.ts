import { APIResponseError, type PageObjectResponse } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { emulatorClient, text } from './emulator-fixture.js';

async function failure(p: Promise<unknown>): Promise<APIResponseError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof APIResponseError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('databases and data sources', () => {
  it('creates a database with its initial data source and retrieves both', async () => {
    const { notion, root } = await emulatorClient();
    const db = await notion.databases.create({
      parent: { type: 'page_id', page_id: root },
      title: text('Inventory'),
      icon: { type: 'emoji', emoji: '📦' },
      initial_data_source: {
        properties: { Item: { title: {} }, Qty: { number: { format: 'number_with_commas' } } },
      },
    });
    expect(db).toMatchObject({
      object: 'database',
      is_inline: false,
      in_trash: false,
      parent: { type: 'page_id', page_id: root },
    });
    expect('properties' in db).toBe(false);
    if (!('data_sources' in db)) throw new Error('partial');
    expect(db.data_sources).toEqual([{ id: expect.any(String), name: 'Inventory' }]);
    const ds = await notion.dataSources.retrieve({ data_source_id: db.data_sources[0]!.id });
    expect(ds).toMatchObject({
      object: 'data_source',
      parent: { type: 'database_id', database_id: db.id },
      database_parent: { type: 'page_id', page_id: root },
      properties: {
        Item: { id: 'title', name: 'Item', type: 'title', title: {}, description: null },
        Qty: { name: 'Qty', type: 'number', number: { format: 'number_with_commas' } },
      },
    });
    const again = await notion.databases.retrieve({ database_id: db.id });
    expect(again).toEqual(db);
    const rootChildren = await notion.blocks.children.list({ block_id: root });
    expect(rootChildren.results.at(-1)).toMatchObject({
      id: db.id,
      type: 'child_database',
      child_database: { title: 'Inventory' },
    });
    const updated = await notion.databases.update({ database_id: db.id, title: text('Stock') });
    expect(updated).toMatchObject({ title: [{ plain_text: 'Stock' }] });
  });

  it('adds, renames and removes properties by name or id; rows follow', async () => {
    const { notion, root } = await emulatorClient();
    const db = await notion.databases.create({
      parent: { type: 'page_id', page_id: root },
      title: text('T'),
      initial_data_source: {
        properties: {
          Name: { title: {} },
          Color: {
            select: {
              options: [
                { name: 'red', color: 'red' },
                { name: 'blue', color: 'blue' },
              ],
            },
          },
          Old: { rich_text: {} },
        },
      },
    });
    const dsId = ('data_sources' in db && db.data_sources[0]!.id) as string;
    const row = await notion.pages.create({
      parent: { data_source_id: dsId },
      properties: {
        Name: { title: text('r') },
        Color: { select: { name: 'blue' } },
        Old: { rich_text: text('keep') },
      },
    });
    const schema = await notion.dataSources.retrieve({ data_source_id: dsId });
    if (!('title' in schema)) throw new Error('partial');
    const oldId = schema.properties.Old!.id;
    const updated = await notion.dataSources.update({
      data_source_id: dsId,
      properties: {
        [oldId]: { name: 'Renamed' },
        Estimate: { number: {} },
        Color: { select: { options: [{ name: 'red' }, { name: 'green', color: 'green' }] } },
        Stage: {
          status: {
            options: [
              { name: 'Not started' },
              { name: 'In progress' },
              { name: 'Done' },
              { name: 'Blocked', color: 'red' },
            ],
          },
        } as never,
      },
    });
    if (!('title' in updated)) throw new Error('partial');
    expect(Object.keys(updated.properties)).toEqual(['Name', 'Color', 'Renamed', 'Estimate', 'Stage']);
    expect(updated.properties.Renamed!.id).toBe(oldId);
    const color = updated.properties.Color!;
    expect(color.type === 'select' && color.select.options.map((o) => [o.name, o.color])).toEqual([
      ['red', 'red'],
      ['green', 'green'],
    ]);
    let page = (await notion.pages.retrieve({ page_id: row.id })) as PageObjectResponse;
    expect(page.properties.Renamed).toMatchObject({ id: oldId, rich_text: [{ plain_text: 'keep' }] });
    expect(page.properties.Color).toMatchObject({ select: null });
    expect(page.properties.Estimate).toMatchObject({ number: null });
    await notion.pages.update({ page_id: row.id, properties: { Stage: { status: { name: 'Blocked' } } } });
    await notion.dataSources.update({ data_source_id: dsId, properties: { Renamed: null } });
    page = (await notion.pages.retrieve({ page_id: row.id })) as PageObjectResponse;
    expect(page.properties.Renamed).toBeUndefined();
    expect(page.properties.Stage).toMatchObject({ status: { name: 'Blocked', color: 'red' } });
    expect(
      (await failure(notion.dataSources.update({ data_source_id: dsId, properties: { Name: null } }))).code,
    ).toBe('validation_error');
    expect(
      (
        await failure(
          notion.dataSources.update({ data_source_id: dsId, properties: { Nope: { name: 'x' } } }),
        )
      ).message,
    ).toBe('Nope is not a property that exists.');
  });

  it('creates a second data source; a 2022-06-28 caller then gets multiple_data_sources_for_database', async () => {
    const { em, notion, root } = await emulatorClient();
    const db = await notion.databases.create({
      parent: { type: 'page_id', page_id: root },
      title: text('Multi'),
      initial_data_source: { properties: { Name: { title: {} } } },
    });
    const second = await notion.dataSources.create({
      parent: { type: 'database_id', database_id: db.id },
      title: text('Second'),
      properties: { Title: { title: {} } },
    });
    const again = await notion.databases.retrieve({ database_id: db.id });
    expect('data_sources' in again && again.data_sources.map((d) => d.id)).toContain(second.id);
    const legacy = new (await import('@notionhq/client')).Client({
      auth: 'secret_test_token',
      baseUrl: em.url,
      notionVersion: '2022-06-28',
      retry: false,
      logLevel: (await import('@notionhq/client')).LogLevel.ERROR,
    });
    const e = await failure(legacy.databases.retrieve({ database_id: db.id }));
    expect(e.code).toBe('validation_error');
    expect(e.additional_data).toMatchObject({
      error_type: 'multiple_data_sources_for_database',
      database_id: db.id,
      minimum_api_version: '2025-09-03',
    });
    const viaDb = await failure(notion.pages.create({ parent: { database_id: db.id }, properties: {} }));
    expect(viaDb.additional_data).toMatchObject({ error_type: 'multiple_data_sources_for_database' });
    expect((await legacy.search({})).results.map((r) => r.id)).not.toContain(db.id);
  });

  it('trashes a database and its data sources', async () => {
    const { notion, root } = await emulatorClient();
    const db = await notion.databases.create({
      parent: { type: 'page_id', page_id: root },
      title: text('Bin'),
      initial_data_source: { properties: { Name: { title: {} } } },
    });
    const trashed = await notion.databases.update({ database_id: db.id, in_trash: true });
    expect(trashed).toMatchObject({ in_trash: true });
    const dsId = ('data_sources' in db && db.data_sources[0]!.id) as string;
    expect(await notion.dataSources.retrieve({ data_source_id: dsId })).toMatchObject({ in_trash: true });
    expect((await notion.search({ query: 'Bin' })).results).toHaveLength(0);
  });
});
