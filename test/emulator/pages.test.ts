import type { Client, PageObjectResponse } from '@notionhq/client';
import { APIResponseError, isFullPage } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/manual-clock.js';
import { emulatorClient, text } from './emulator-fixture.js';

async function tasksDb(notion: Client, root: string) {
  const db = await notion.databases.create({
    parent: { type: 'page_id', page_id: root },
    title: text('Tasks'),
    initial_data_source: {
      properties: {
        Name: { title: {} },
        Notes: { rich_text: {} },
        Points: { number: { format: 'number' } },
        Kind: { select: { options: [{ name: 'Bug', color: 'red' }] } },
        Tags: { multi_select: {} },
        Status: { status: {} },
        Due: { date: {} },
        Owner: { people: {} },
        Files: { files: {} },
        Done: { checkbox: {} },
        Link: { url: {} },
        Mail: { email: {} },
        Phone: { phone_number: {} },
        Where: { place: {} },
        Created: { created_time: {} },
        Edited: { last_edited_time: {} },
        Creator: { created_by: {} },
        Ticket: { unique_id: { prefix: 'TASK' } },
        Double: { formula: { expression: 'prop("Points") * 2' } },
      },
    },
  });
  if (!('data_sources' in db)) throw new Error('partial database');
  return { db, ds: db.data_sources[0]!.id };
}

async function rejects(p: Promise<unknown>): Promise<APIResponseError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof APIResponseError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('pages', () => {
  it('creates a row with every writable property type and returns Notion response shapes', async () => {
    const { em, notion, root } = await emulatorClient();
    const { ds } = await tasksDb(notion, root);
    const ada = [...em.workspace.users.values()].find((u) => u.name === 'Ada Lovelace')!;
    const page = (await notion.pages.create({
      parent: { data_source_id: ds },
      icon: { type: 'emoji', emoji: '🐛' },
      cover: { type: 'external', external: { url: 'https://example.com/c.png' } },
      properties: {
        Name: { title: text('Fix login') },
        Notes: {
          rich_text: [
            { text: { content: 'see ' } },
            { text: { content: 'docs', link: { url: 'https://x.dev' } }, annotations: { bold: true } },
          ],
        },
        Points: { number: 3 },
        Kind: { select: { name: 'Feature' } },
        Tags: { multi_select: [{ name: 'ui' }, { name: 'auth' }] },
        Status: { status: { name: 'In progress' } },
        Due: { date: { start: '2025-01-02', end: null } },
        Owner: { people: [{ id: ada.id as string }] },
        Files: { files: [{ name: 'spec', external: { url: 'https://example.com/spec.pdf' } }] },
        Done: { checkbox: true },
        Link: { url: 'https://example.com' },
        Mail: { email: 'a@b.c' },
        Phone: { phone_number: '+1 555' },
        Where: { place: { lat: 1.5, lon: 2.5, name: 'HQ' } },
      },
    })) as PageObjectResponse;
    expect(isFullPage(page)).toBe(true);
    const p = page.properties;
    expect(p.Name).toMatchObject({
      id: 'title',
      type: 'title',
      title: [{ plain_text: 'Fix login', href: null }],
    });
    expect(p.Notes).toMatchObject({
      rich_text: [
        { plain_text: 'see ' },
        {
          plain_text: 'docs',
          href: 'https://x.dev',
          annotations: { bold: true, italic: false, color: 'default' },
        },
      ],
    });
    expect(p.Points).toMatchObject({ number: 3 });
    expect(p.Kind).toMatchObject({ select: { name: 'Feature', color: 'default' } });
    expect(p.Tags).toMatchObject({ multi_select: [{ name: 'ui' }, { name: 'auth' }] });
    expect(p.Status).toMatchObject({ status: { name: 'In progress', color: 'blue' } });
    expect(p.Due).toMatchObject({ date: { start: '2025-01-02', end: null, time_zone: null } });
    expect(p.Owner).toMatchObject({
      people: [{ object: 'user', id: ada.id, person: { email: 'ada@example.com' } }],
    });
    expect(p.Files).toMatchObject({
      files: [{ name: 'spec', type: 'external', external: { url: 'https://example.com/spec.pdf' } }],
    });
    expect(p.Done).toMatchObject({ checkbox: true });
    expect(p.Where).toMatchObject({ place: { lat: 1.5, lon: 2.5, name: 'HQ' } });
    expect(p.Ticket).toMatchObject({ unique_id: { prefix: 'TASK', number: 1 } });
    expect(p.Double).toMatchObject({ formula: { type: 'number', number: 6 } });
    expect(p.Creator).toMatchObject({ created_by: { object: 'user', id: em.botId } });
    expect(p.Created).toMatchObject({ created_time: page.created_time });
    expect(page.icon).toEqual({ type: 'emoji', emoji: '🐛' });
    // Unknown select / multi_select options were added to the schema.
    const schema = await notion.dataSources.retrieve({ data_source_id: ds });
    if (!('title' in schema)) throw new Error('partial');
    const kind = schema.properties.Kind!;
    expect(kind.type === 'select' && kind.select.options.map((o) => o.name)).toEqual(['Bug', 'Feature']);
    // A second row gets the next unique id; defaults are Notion's empty values.
    const second = (await notion.pages.create({
      parent: { data_source_id: ds },
      properties: {},
    })) as PageObjectResponse;
    expect(second.properties.Ticket).toMatchObject({ unique_id: { number: 2 } });
    expect(second.properties.Status).toMatchObject({ status: { name: 'Not started' } });
    expect(second.properties.Tags).toMatchObject({ multi_select: [] });
    expect(second.properties.Kind).toMatchObject({ select: null });
    expect(second.properties.Done).toMatchObject({ checkbox: false });
  });

  it('accepts native Notion icons ({type: "icon"}) on pages and databases, and refuses malformed ones', async () => {
    const { notion, root } = await emulatorClient();
    const { db, ds } = await tasksDb(notion, root);
    const page = (await notion.pages.create({
      parent: { data_source_id: ds },
      icon: { type: 'icon', icon: { name: 'document', color: 'blue' } },
      properties: { Name: { title: text('Spec') } },
    })) as PageObjectResponse;
    expect(page.icon).toEqual({ type: 'icon', icon: { name: 'document', color: 'blue' } });
    // `type` may be left out, as for the other icon kinds; a colour left out reads back as gray.
    const updated = (await notion.pages.update({
      page_id: page.id,
      icon: { icon: { name: 'checkmark' } },
    })) as PageObjectResponse;
    expect(updated.icon).toEqual({ type: 'icon', icon: { name: 'checkmark', color: 'gray' } });
    const retrieved = (await notion.pages.retrieve({ page_id: page.id })) as PageObjectResponse;
    expect(retrieved.icon).toEqual(updated.icon);
    const database = await notion.databases.update({
      database_id: db.id,
      icon: { type: 'icon', icon: { name: 'book', color: 'green' } },
    });
    expect('icon' in database && database.icon).toEqual({
      type: 'icon',
      icon: { name: 'book', color: 'green' },
    });
    const badColor = await rejects(
      notion.pages.update({
        page_id: page.id,
        icon: { type: 'icon', icon: { name: 'book', color: 'teal' as 'blue' } },
      }),
    );
    expect([badColor.status, badColor.code]).toEqual([400, 'validation_error']);
    expect(badColor.message).toContain('body.icon.icon.color');
    const noName = await rejects(
      notion.pages.update({ page_id: page.id, icon: { type: 'icon', icon: { name: '' } } }),
    );
    expect(noName.message).toContain('body.icon.icon.name');
  });

  it('addresses properties by id (raw or percent-decoded) and restricts output with filter_properties', async () => {
    const { notion, root } = await emulatorClient();
    const { ds } = await tasksDb(notion, root);
    const schema = await notion.dataSources.retrieve({ data_source_id: ds });
    if (!('title' in schema)) throw new Error('partial');
    const pointsId = schema.properties.Points!.id;
    const page = await notion.pages.create({
      parent: { data_source_id: ds },
      properties: { title: { title: text('By id') }, [pointsId]: { number: 7 } },
    });
    const got = (await notion.pages.retrieve({
      page_id: page.id,
      filter_properties: [pointsId, 'Name'],
    })) as PageObjectResponse;
    expect(Object.keys(got.properties).sort()).toEqual(['Name', 'Points']);
    expect(got.properties.Points).toMatchObject({ number: 7 });
    const decoded = decodeURIComponent(pointsId);
    await notion.pages.update({ page_id: page.id, properties: { [decoded]: { number: 8 } } });
    const again = (await notion.pages.retrieve({ page_id: page.id })) as PageObjectResponse;
    expect(again.properties.Points).toMatchObject({ number: 8 });
  });

  it('refuses invalid writes with Notion-style validation errors', async () => {
    const { notion, root } = await emulatorClient();
    const { ds } = await tasksDb(notion, root);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ Double: { formula: { string: 'x' } } }, /Double is a formula property/],
      [{ Ticket: { unique_id: { number: 3 } } }, /Ticket is a unique_id property/],
      [{ Status: { status: { name: 'Nope' } } }, /status option "Nope" does not exist/i],
      [{ Kind: { select: { name: 'a,b' } } }, /should not contain commas/],
      [{ Link: { url: '' } }, /body\.properties\.Link\.url\.length should be ≥ `1`/],
      [{ Mail: { email: '' } }, /Mail\.email\.length/],
      [{ Missing: { number: 1 } }, /Missing is not a property that exists\./],
      [{ Points: { rich_text: [] } }, /Points is expected to be number\./],
      [
        { Done: { checkbox: 'yes' } },
        /body\.properties\.Done\.checkbox should be a boolean, instead was `"yes"`/,
      ],
      [
        { Name: { title: [{ text: { content: 'x'.repeat(2001) } }] } },
        /body\.properties\.Name\.title\[0\]\.text\.content\.length should be ≤ `2000`, instead was `2001`\./,
      ],
      [{ Owner: { people: [{ id: '00000000-0000-0000-0000-000000000000' }] } }, /Owner\.people\[0\]\.id/],
      [
        { Tags: { multi_select: Array.from({ length: 101 }, (_, i) => ({ name: `t${i}` })) } },
        /Tags\.multi_select\.length should be ≤ `100`/,
      ],
    ];
    for (const [properties, message] of cases) {
      const e = await rejects(
        notion.pages.create({ parent: { data_source_id: ds }, properties: properties as never }),
      );
      expect(e.status, JSON.stringify(properties).slice(0, 80)).toBe(400);
      expect(e.code).toBe('validation_error');
      expect(e.message).toMatch(message);
    }
    // Nothing was half-written.
    const rows = await notion.dataSources.query({ data_source_id: ds });
    expect(rows.results).toHaveLength(0);
  });

  it('rounds timestamps down to the minute and bumps last_edited_time on property and block edits', async () => {
    const clock = new ManualClock(Date.parse('2025-03-04T10:42:37.123Z'));
    const { notion, root } = await emulatorClient({ clock });
    const { ds } = await tasksDb(notion, root);
    const page = (await notion.pages.create({
      parent: { data_source_id: ds },
      properties: { Name: { title: text('t') } },
    })) as PageObjectResponse;
    expect(page.created_time).toBe('2025-03-04T10:42:00.000Z');
    expect(page.last_edited_time).toBe('2025-03-04T10:42:00.000Z');
    clock.set(Date.parse('2025-03-04T10:45:10.000Z'));
    const updated = (await notion.pages.update({
      page_id: page.id,
      properties: { Points: { number: 1 } },
    })) as PageObjectResponse;
    expect(updated.last_edited_time).toBe('2025-03-04T10:45:00.000Z');
    expect(updated.created_time).toBe('2025-03-04T10:42:00.000Z');
    expect(updated.properties.Edited).toMatchObject({ last_edited_time: '2025-03-04T10:45:00.000Z' });
    clock.set(Date.parse('2025-03-04T11:00:59.000Z'));
    const appended = await notion.blocks.children.append({
      block_id: page.id,
      children: [{ paragraph: { rich_text: text('body') } }],
    });
    const block = appended.results[0]!;
    expect('last_edited_time' in block && block.last_edited_time).toBe('2025-03-04T11:00:00.000Z');
    const after = (await notion.pages.retrieve({ page_id: page.id })) as PageObjectResponse;
    expect(after.last_edited_time).toBe('2025-03-04T11:00:00.000Z');
    clock.set(Date.parse('2025-03-04T11:07:00.000Z'));
    await notion.blocks.update({ block_id: block.id, paragraph: { rich_text: text('edited') } });
    const b = await notion.blocks.retrieve({ block_id: block.id });
    expect('last_edited_time' in b && b.last_edited_time).toBe('2025-03-04T11:07:00.000Z');
    expect(((await notion.pages.retrieve({ page_id: page.id })) as PageObjectResponse).last_edited_time).toBe(
      '2025-03-04T11:07:00.000Z',
    );
  });

  it('trashes, refuses edits while trashed, and restores', async () => {
    const { notion, root } = await emulatorClient();
    const { ds } = await tasksDb(notion, root);
    const page = await notion.pages.create({
      parent: { data_source_id: ds },
      properties: { Name: { title: text('gone soon') } },
    });
    const trashed = (await notion.pages.update({ page_id: page.id, in_trash: true })) as PageObjectResponse;
    expect(trashed.in_trash).toBe(true);
    expect(trashed.archived).toBe(true);
    expect(((await notion.pages.retrieve({ page_id: page.id })) as PageObjectResponse).in_trash).toBe(true);
    expect((await notion.dataSources.query({ data_source_id: ds })).results).toHaveLength(0);
    expect((await notion.dataSources.query({ data_source_id: ds, in_trash: true })).results).toHaveLength(1);
    expect((await notion.search({ query: 'gone soon' })).results).toHaveLength(0);
    expect(
      (await notion.search({ query: 'gone soon', filter: { in_trash: true } as never })).results,
    ).toHaveLength(1);
    const e = await rejects(notion.pages.update({ page_id: page.id, properties: { Points: { number: 1 } } }));
    expect(e.code).toBe('validation_error');
    expect(e.message).toBe("Can't edit block that is archived. You must unarchive the block before editing.");
    const restored = (await notion.pages.update({ page_id: page.id, archived: false })) as PageObjectResponse;
    expect(restored.in_trash).toBe(false);
    await notion.pages.update({ page_id: page.id, properties: { Points: { number: 1 } } });
    expect((await notion.dataSources.query({ data_source_id: ds })).results).toHaveLength(1);
  });

  it('answers 404 for unknown and unshared pages, and ids with or without dashes', async () => {
    const { em, notion, root } = await emulatorClient();
    const page = await notion.pages.create({
      parent: { page_id: root },
      properties: { title: { title: text('Secret') } },
    });
    const undashed = page.id.replace(/-/g, '').toUpperCase();
    expect((await notion.pages.retrieve({ page_id: undashed })).id).toBe(page.id);
    em.setUnshared(page.id, true);
    const e = await rejects(notion.pages.retrieve({ page_id: page.id }));
    expect(e.status).toBe(404);
    expect(e.code).toBe('object_not_found');
    expect(e.message).toContain(`Could not find page with ID: ${page.id}`);
    expect((await rejects(notion.blocks.children.list({ block_id: page.id }))).code).toBe('object_not_found');
    expect((await notion.search({ query: 'Secret' })).results).toHaveLength(0);
    const missing = await rejects(notion.pages.retrieve({ page_id: '0123456789abcdef0123456789abcdef' }));
    expect(missing.code).toBe('object_not_found');
  });

  it('moves a page between parents and erases content', async () => {
    const { notion, root } = await emulatorClient();
    const { ds } = await tasksDb(notion, root);
    const a = await notion.pages.create({
      parent: { page_id: root },
      properties: { title: { title: text('A') } },
      children: [{ paragraph: { rich_text: text('p') } }],
    });
    const moved = (await notion.pages.move({
      page_id: a.id,
      parent: { data_source_id: ds },
    })) as PageObjectResponse;
    expect(moved.parent).toMatchObject({ type: 'data_source_id', data_source_id: ds });
    expect(moved.properties.Name).toMatchObject({ title: [{ plain_text: 'A' }] });
    expect((await notion.dataSources.query({ data_source_id: ds })).results.map((r) => r.id)).toEqual([a.id]);
    const rootChildren = await notion.blocks.children.list({ block_id: root });
    expect(rootChildren.results.map((b) => b.id)).not.toContain(a.id);
    await notion.pages.update({ page_id: a.id, erase_content: true });
    expect((await notion.blocks.children.list({ block_id: a.id })).results).toHaveLength(0);
  });
});
