/**
 * Filter semantics end to end: the official SDK's `dataSources.query` against the emulator over a data
 * source holding every filterable property type, table-driven (one or two cases per type). The query
 * engine's unit tests (test/emulator/query/) cover each condition in depth; this proves the HTTP wiring:
 * body parsing, schema lookup by name and id, computed values (formula, rollup, unique_id, created_*),
 * compound filters, and that an invalid filter is a 400 rather than ignored.
 */
import {
  APIResponseError,
  Client,
  LogLevel,
  type PageObjectResponse,
  type QueryDataSourceParameters,
} from '@notionhq/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { ManualClock } from '../../src/manual-clock.js';
import { text } from '../emulator/emulator-fixture.js';

type Filter = NonNullable<QueryDataSourceParameters['filter']>;

interface Fixture {
  readonly notion: Client;
  readonly dataSourceId: string;
  readonly personId: string;
  readonly botId: string;
  readonly targetId: string;
  /** Row label → page id. */
  readonly ids: ReadonlyMap<string, string>;
}

const T0 = Date.parse('2026-02-10T08:00:00Z');
let fx: Fixture;
let em: EmulatorHandle | undefined;

// One emulator for the whole table (the shared fixture stops its emulators after each test).
afterAll(() => em?.stop());

beforeAll(async () => {
  const clock = new ManualClock(T0);
  em = await startEmulator({ port: 0, clock });
  const root = em.rootPageId as string;
  const notion = new Client({
    auth: 'secret_filters',
    baseUrl: em.url,
    retry: false,
    logLevel: LogLevel.ERROR,
  });
  const users = await notion.users.list({});
  const personId = users.results.find((u) => u.type === 'person')!.id;
  const targets = await notion.databases.create({
    parent: { type: 'page_id', page_id: root },
    title: text('Targets'),
    initial_data_source: { properties: { Name: { title: {} } } },
  });
  const targetsDs = ('data_sources' in targets && targets.data_sources[0]!.id) as string;
  const target = await notion.pages.create({
    parent: { data_source_id: targetsDs },
    properties: { Name: { title: text('target') } },
  });
  const db = await notion.databases.create({
    parent: { type: 'page_id', page_id: root },
    title: text('Every type'),
    initial_data_source: {
      properties: {
        Name: { title: {} },
        Notes: { rich_text: {} },
        Score: { number: {} },
        Done: { checkbox: {} },
        Tag: { select: { options: [{ name: 'red' }, { name: 'blue' }] } },
        Labels: { multi_select: { options: [{ name: 'x' }, { name: 'y' }] } },
        Stage: { status: {} },
        Due: { date: {} },
        Owner: { people: {} },
        Attachments: { files: {} },
        Link: { relation: { data_source_id: targetsDs, single_property: {} } },
        Site: { url: {} },
        Mail: { email: {} },
        Phone: { phone_number: {} },
        Made: { created_time: {} },
        Edited: { last_edited_time: {} },
        Creator: { created_by: {} },
        Editor: { last_edited_by: {} },
        Double: { formula: { expression: 'prop("Score") * 2' } },
        Links: {
          rollup: { relation_property_name: 'Link', rollup_property_name: 'Name', function: 'count' },
        },
        Ref: { unique_id: { prefix: 'T' } },
        Checked: { verification: {} },
      },
    },
  });
  const dataSourceId = ('data_sources' in db && db.data_sources[0]!.id) as string;
  const ids = new Map<string, string>();
  const rows: [string, Record<string, unknown>][] = [
    [
      'A',
      {
        Notes: { rich_text: text('Quarterly report') },
        Score: { number: 5 },
        Done: { checkbox: true },
        Tag: { select: { name: 'red' } },
        Labels: { multi_select: [{ name: 'x' }, { name: 'y' }] },
        Stage: { status: { name: 'Done' } },
        Due: { date: { start: '2026-03-01' } },
        Owner: { people: [{ id: personId }] },
        Attachments: { files: [{ name: 'a.pdf', external: { url: 'https://example.com/a.pdf' } }] },
        Link: { relation: [{ id: target.id }] },
        Site: { url: 'https://alpha.example' },
        Mail: { email: 'a@example.com' },
        Phone: { phone_number: '+1 555 0100' },
        Checked: { verification: { state: 'verified' } },
      },
    ],
    [
      'B',
      {
        Notes: { rich_text: text('weekly notes') },
        Score: { number: 12 },
        Done: { checkbox: false },
        Tag: { select: { name: 'blue' } },
        Labels: { multi_select: [{ name: 'y' }] },
        Due: { date: { start: '2026-04-15T10:00:00.000Z', end: '2026-04-20T10:00:00.000Z' } },
        Site: { url: 'https://beta.example' },
      },
    ],
    ['C', {}],
  ];
  for (const [label, properties] of rows) {
    clock.set(clock.now() + 60_000);
    const page = await notion.pages.create({
      parent: { data_source_id: dataSourceId },
      properties: { Name: { title: text(`row ${label}`) }, ...properties } as never,
    });
    ids.set(label, page.id);
  }
  fx = { notion, dataSourceId, personId, botId: em.botId, targetId: target.id, ids };
});

/** Runs a query and answers the labels of the rows it returned, sorted. */
async function labels(filter: Filter): Promise<string[]> {
  const res = await fx.notion.dataSources.query({ data_source_id: fx.dataSourceId, filter });
  const byId = new Map([...fx.ids].map(([label, id]) => [id, label]));
  return (res.results as PageObjectResponse[]).map((p) => byId.get(p.id) ?? p.id).sort();
}

const minute = (n: number): string => new Date(T0 + n * 60_000).toISOString();

/** [property type, filter (built lazily: it may need fixture ids), rows expected]. */
const CASES: readonly [string, () => Filter, string[]][] = [
  ['title', () => ({ property: 'Name', title: { ends_with: 'B' } }), ['B']],
  ['title (is_not_empty)', () => ({ property: 'Name', title: { is_not_empty: true } }), ['A', 'B', 'C']],
  ['rich_text', () => ({ property: 'Notes', rich_text: { contains: 'REPORT' } }), ['A']],
  [
    'rich_text (does_not_contain)',
    () => ({ property: 'Notes', rich_text: { does_not_contain: 'weekly' } }),
    ['A', 'C'],
  ],
  ['number', () => ({ property: 'Score', number: { greater_than: 6 } }), ['B']],
  ['number (is_empty)', () => ({ property: 'Score', number: { is_empty: true } }), ['C']],
  ['checkbox', () => ({ property: 'Done', checkbox: { equals: false } }), ['B', 'C']],
  ['select', () => ({ property: 'Tag', select: { equals: 'red' } }), ['A']],
  ['select (does_not_equal)', () => ({ property: 'Tag', select: { does_not_equal: 'red' } }), ['B', 'C']],
  ['multi_select', () => ({ property: 'Labels', multi_select: { contains: 'y' } }), ['A', 'B']],
  [
    'multi_select (does_not_contain)',
    () => ({ property: 'Labels', multi_select: { does_not_contain: 'x' } }),
    ['B', 'C'],
  ],
  ['status', () => ({ property: 'Stage', status: { equals: 'Done' } }), ['A']],
  ['status (default option)', () => ({ property: 'Stage', status: { equals: 'Not started' } }), ['B', 'C']],
  ['date', () => ({ property: 'Due', date: { on_or_after: '2026-03-01' } }), ['A', 'B']],
  ['date (range overlaps equals)', () => ({ property: 'Due', date: { equals: '2026-04-17' } }), ['B']],
  ['people', () => ({ property: 'Owner', people: { contains: fx.personId } }), ['A']],
  ['files', () => ({ property: 'Attachments', files: { is_not_empty: true } }), ['A']],
  ['relation', () => ({ property: 'Link', relation: { contains: fx.targetId } }), ['A']],
  ['relation (is_empty)', () => ({ property: 'Link', relation: { is_empty: true } }), ['B', 'C']],
  ['url', () => ({ property: 'Site', url: { starts_with: 'https://beta' } }), ['B']],
  ['email', () => ({ property: 'Mail', email: { equals: 'a@example.com' } }), ['A']],
  ['phone_number', () => ({ property: 'Phone', phone_number: { is_empty: true } }), ['B', 'C']],
  ['created_time (property)', () => ({ property: 'Made', created_time: { after: minute(1) } }), ['B', 'C']],
  [
    'created_time (timestamp)',
    () => ({ timestamp: 'created_time', created_time: { on_or_before: minute(2) } }),
    ['A', 'B'],
  ],
  [
    'last_edited_time',
    () => ({ timestamp: 'last_edited_time', last_edited_time: { equals: minute(3) } }),
    ['C'],
  ],
  ['created_by', () => ({ property: 'Creator', created_by: { contains: fx.botId } }), ['A', 'B', 'C']],
  ['last_edited_by', () => ({ property: 'Editor', last_edited_by: { does_not_contain: fx.botId } }), []],
  ['formula (number)', () => ({ property: 'Double', formula: { number: { equals: 24 } } }), ['B']],
  ['rollup (count)', () => ({ property: 'Links', rollup: { number: { greater_than: 0 } } }), ['A']],
  ['unique_id', () => ({ property: 'Ref', unique_id: { greater_than_or_equal_to: 2 } }), ['B', 'C']],
  ['verification', () => ({ property: 'Checked', verification: { status: 'verified' } }), ['A']],
  [
    'and / or',
    () => ({
      or: [
        {
          and: [
            { property: 'Done', checkbox: { equals: true } },
            { property: 'Score', number: { less_than: 10 } },
          ],
        },
        { property: 'Tag', select: { is_empty: true } },
      ],
    }),
    ['A', 'C'],
  ],
];

describe('dataSources.query filters through the SDK', () => {
  it.each(CASES)('%s', async (_type, filter, expected) => {
    expect(await labels(filter())).toEqual(expected);
  });

  it('addresses a property by its id as well as its name', async () => {
    const ds = await fx.notion.dataSources.retrieve({ data_source_id: fx.dataSourceId });
    const scoreId = ('properties' in ds && ds.properties['Score']!.id) as string;
    expect(await labels({ property: scoreId, number: { greater_than: 6 } })).toEqual(['B']);
  });

  it('refuses a condition of the wrong type for the property with a 400, never ignoring it', async () => {
    const error = await fx.notion.dataSources
      .query({ data_source_id: fx.dataSourceId, filter: { property: 'Score', checkbox: { equals: true } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIResponseError);
    expect((error as APIResponseError).status).toBe(400);
    expect((error as APIResponseError).code).toBe('validation_error');
  });
});
