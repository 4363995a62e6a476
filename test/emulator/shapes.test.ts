import type {
  BlockObjectResponse,
  DataSourceObjectResponse,
  DatabaseObjectResponse,
  ListBlockChildrenResponse,
  PageObjectResponse,
  QueryDataSourceResponse,
  SearchResponse,
  UserObjectResponse,
} from '@notionhq/client';
import { isFullBlock, isFullDataSource, isFullDatabase, isFullPage, isFullUser } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { emulatorClient, text } from './emulator-fixture.js';

/** Required keys per object type, from the SDK's response types (5.26). */
const REQUIRED: Record<string, readonly string[]> = {
  page: [
    'object',
    'id',
    'created_time',
    'last_edited_time',
    'in_trash',
    'archived',
    'is_archived',
    'is_locked',
    'url',
    'public_url',
    'parent',
    'properties',
    'icon',
    'cover',
    'created_by',
    'last_edited_by',
  ],
  database: [
    'object',
    'id',
    'title',
    'description',
    'parent',
    'is_inline',
    'in_trash',
    'archived',
    'is_locked',
    'created_time',
    'last_edited_time',
    'data_sources',
    'icon',
    'cover',
    'url',
    'public_url',
  ],
  data_source: [
    'object',
    'id',
    'title',
    'description',
    'parent',
    'database_parent',
    'is_inline',
    'in_trash',
    'archived',
    'created_time',
    'last_edited_time',
    'created_by',
    'last_edited_by',
    'properties',
    'icon',
    'cover',
    'url',
    'public_url',
  ],
  block: [
    'object',
    'id',
    'parent',
    'created_time',
    'last_edited_time',
    'created_by',
    'last_edited_by',
    'has_children',
    'in_trash',
    'archived',
    'type',
  ],
  user: ['object', 'id', 'name', 'avatar_url', 'type'],
  list: ['object', 'results', 'next_cursor', 'has_more', 'type'],
};

function requireKeys(o: object): void {
  const object = (o as { object: string }).object;
  const keys = REQUIRED[object];
  expect(keys, `unknown object ${object}`).toBeDefined();
  for (const k of keys!) expect(o, `${object}.${k}`).toHaveProperty(k);
  if (object === 'block') expect(o).toHaveProperty((o as { type: string }).type);
  if (object === 'list') {
    expect(o).toHaveProperty((o as { type: string }).type);
    for (const r of (o as { results: object[] }).results) requireKeys(r);
  }
}

describe('response shapes', () => {
  it('satisfy the SDK response types and carry every required key', async () => {
    const { notion, root } = await emulatorClient();
    const dbResponse = await notion.databases.create({
      parent: { type: 'page_id', page_id: root },
      title: text('Shapes'),
      initial_data_source: {
        properties: { Name: { title: {} }, Tags: { multi_select: {} }, Status: { status: {} } },
      },
    });
    if (!isFullDatabase(dbResponse)) throw new Error('partial database');
    const db: DatabaseObjectResponse = dbResponse;
    const dsResponse = await notion.dataSources.retrieve({ data_source_id: db.data_sources[0]!.id });
    if (!isFullDataSource(dsResponse)) throw new Error('partial data source');
    const ds: DataSourceObjectResponse = dsResponse;
    const pageResponse = await notion.pages.create({
      parent: { data_source_id: ds.id },
      properties: { Name: { title: text('x') }, Tags: { multi_select: [{ name: 'a' }] } },
      children: [
        { heading_2: { rich_text: text('h') } },
        { to_do: { rich_text: text('t'), checked: true } },
        { code: { rich_text: text('c'), language: 'typescript' } },
        { divider: {} },
        { image: { external: { url: 'https://x/y.png' } } },
      ],
    });
    if (!isFullPage(pageResponse)) throw new Error('partial page');
    const page: PageObjectResponse = pageResponse;
    const children: ListBlockChildrenResponse = await notion.blocks.children.list({ block_id: page.id });
    const blocks: BlockObjectResponse[] = children.results.filter(isFullBlock);
    expect(blocks.map((b) => b.type)).toEqual(['heading_2', 'to_do', 'code', 'divider', 'image']);
    const me = await notion.users.me({});
    if (!isFullUser(me)) throw new Error('partial user');
    const user: UserObjectResponse = me;
    const query: QueryDataSourceResponse = await notion.dataSources.query({ data_source_id: ds.id });
    const search: SearchResponse = await notion.search({});
    const users = await notion.users.list({});
    for (const o of [db, ds, page, user, children, query, search, users, ...blocks]) requireKeys(o);
    expect(query).toMatchObject({
      type: 'page_or_data_source',
      page_or_data_source: {},
      next_cursor: null,
      has_more: false,
    });
    expect(users).toMatchObject({ type: 'user', user: {}, next_cursor: null });
    expect(
      users.results
        .filter((u) => u.type === 'person')
        .every((u) => u.type === 'person' && typeof u.person.email === 'string'),
    ).toBe(true);
    expect(page.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(page.url).toMatch(/^https:\/\/www\.notion\.so\//);
    const status = ds.properties.Status!;
    expect(status.type === 'status' && status.status.groups.map((g) => g.name)).toEqual([
      'To-do',
      'In progress',
      'Complete',
    ]);
    // Property ids: title is "title", others short opaque strings.
    for (const p of Object.values(ds.properties)) {
      if (p.type === 'title') expect(p.id).toBe('title');
      else expect(decodeURIComponent(p.id)).toMatch(/^.{4,5}$/);
    }
  });
});
