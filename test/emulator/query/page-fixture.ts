/**
 * Builders for test pages and schemas in Notion's response shapes (PageObjectResponse,
 * DataSourceObjectResponse['properties']), so query tests read like the table they describe.
 */
import type { PageObjectResponse } from '@notionhq/client';
import type { DataSourceSchema } from '../../../src/emulator/query/index.js';

type Json = Record<string, unknown>;

const ANNOTATIONS = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: 'default',
};

export const USER_A = '11111111-1111-4111-8111-111111111111';
export const USER_B = '22222222-2222-4222-8222-222222222222';
export const PAGE_X = '33333333-3333-4333-8333-333333333333';
export const PAGE_Y = '44444444-4444-4444-8444-444444444444';

function richText(text: string): Json[] {
  return text === ''
    ? []
    : [
        {
          type: 'text',
          text: { content: text, link: null },
          plain_text: text,
          href: null,
          annotations: ANNOTATIONS,
        },
      ];
}

function option(name: string, index: number): Json {
  return { id: `opt${index}`, name, color: 'default', description: null };
}

/** A schema using every filterable property type. `Notes` has a percent-escaped id (`M%3BBw`). */
export const SCHEMA = ((): DataSourceSchema => {
  const entries: [string, string, string, Json][] = [
    ['Name', 'title', 'title', {}],
    ['Notes', 'M%3BBw', 'rich_text', {}],
    ['Site', 'site', 'url', {}],
    ['Mail', 'mail', 'email', {}],
    ['Phone', 'phone', 'phone_number', {}],
    ['Score', 'score', 'number', { format: 'number' }],
    ['Ticket', 'tick', 'unique_id', { prefix: 'T' }],
    ['Done', 'done', 'checkbox', {}],
    ['Priority', 'prio', 'select', { options: ['High', 'Medium', 'Low'].map(option) }],
    [
      'Stage',
      'stag',
      'status',
      { options: ['Not started', 'In progress', 'Complete'].map(option), groups: [] },
    ],
    ['Tags', 'tags', 'multi_select', { options: ['a', 'b', 'c'].map(option) }],
    ['Due', 'due', 'date', {}],
    ['Owner', 'ownr', 'people', {}],
    [
      'Links',
      'link',
      'relation',
      { data_source_id: PAGE_X, database_id: PAGE_X, type: 'single_property', single_property: {} },
    ],
    ['Attachments', 'file', 'files', {}],
    ['Calc', 'calc', 'formula', { expression: 'x' }],
    ['Total', 'totl', 'rollup', { function: 'sum' }],
    ['Verified', 'veri', 'verification', {}],
    ['Created', 'crtd', 'created_time', {}],
    ['Edited', 'edtd', 'last_edited_time', {}],
    ['Creator', 'crby', 'created_by', {}],
    ['Editor', 'edby', 'last_edited_by', {}],
  ];
  const schema: Json = {};
  for (const [name, id, type, config] of entries)
    schema[name] = { id, name, description: null, type, [type]: config };
  return schema as unknown as DataSourceSchema;
})();

/** Property values in response shape, by schema property name. */
export const value = {
  title: (text: string): Json => ({ type: 'title', title: richText(text) }),
  richText: (text: string): Json => ({ type: 'rich_text', rich_text: richText(text) }),
  url: (text: string | null): Json => ({ type: 'url', url: text }),
  email: (text: string | null): Json => ({ type: 'email', email: text }),
  phone: (text: string | null): Json => ({ type: 'phone_number', phone_number: text }),
  number: (n: number | null): Json => ({ type: 'number', number: n }),
  uniqueId: (n: number | null): Json => ({ type: 'unique_id', unique_id: { prefix: 'T', number: n } }),
  checkbox: (b: boolean): Json => ({ type: 'checkbox', checkbox: b }),
  select: (name: string | null): Json => ({
    type: 'select',
    select: name === null ? null : { id: 'x', name, color: 'default' },
  }),
  status: (name: string | null): Json => ({
    type: 'status',
    status: name === null ? null : { id: 'x', name, color: 'default' },
  }),
  multiSelect: (...names: string[]): Json => ({
    type: 'multi_select',
    multi_select: names.map((name) => ({ id: name, name, color: 'default' })),
  }),
  date: (start: string | null, end: string | null = null): Json => ({
    type: 'date',
    date: start === null ? null : { start, end, time_zone: null },
  }),
  people: (...ids: string[]): Json => ({ type: 'people', people: ids.map((id) => ({ object: 'user', id })) }),
  relation: (...ids: string[]): Json => ({
    type: 'relation',
    relation: ids.map((id) => ({ id })),
    has_more: false,
  }),
  files: (count: number): Json => ({
    type: 'files',
    files: Array.from({ length: count }, (_, i) => ({
      name: `f${i}.png`,
      type: 'external',
      external: { url: `https://x.test/${i}` },
    })),
  }),
  formula: (result: Json): Json => ({ type: 'formula', formula: result }),
  rollup: (result: Json): Json => ({ type: 'rollup', rollup: { ...result, function: 'show_original' } }),
  verification: (state: 'verified' | 'expired' | 'unverified' | null): Json => ({
    type: 'verification',
    verification: state === null ? null : { state, date: null, verified_by: null },
  }),
};

export interface PageSpec {
  id?: string;
  created_time?: string;
  last_edited_time?: string;
  created_by?: string;
  last_edited_by?: string;
  properties?: Json;
}

let counter = 0;

/**
 * A full page of `SCHEMA`'s data source: every property present (empty unless given), timestamps and
 * users mirrored into the created/edited properties as Notion does.
 */
export function page(spec: PageSpec = {}): PageObjectResponse {
  counter += 1;
  const id = spec.id ?? `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  const created = spec.created_time ?? '2025-01-01T00:00:00.000Z';
  const edited = spec.last_edited_time ?? created;
  const creator = { object: 'user', id: spec.created_by ?? USER_A };
  const editor = { object: 'user', id: spec.last_edited_by ?? USER_A };
  const properties: Json = {
    Name: value.title(''),
    Notes: value.richText(''),
    Site: value.url(null),
    Mail: value.email(null),
    Phone: value.phone(null),
    Score: value.number(null),
    Ticket: value.uniqueId(counter),
    Done: value.checkbox(false),
    Priority: value.select(null),
    Stage: value.status(null),
    Tags: value.multiSelect(),
    Due: value.date(null),
    Owner: value.people(),
    Links: value.relation(),
    Attachments: value.files(0),
    Calc: value.formula({ type: 'string', string: null }),
    Total: value.rollup({ type: 'number', number: null }),
    Verified: value.verification(null),
    Created: { type: 'created_time', created_time: created },
    Edited: { type: 'last_edited_time', last_edited_time: edited },
    Creator: { type: 'created_by', created_by: creator },
    Editor: { type: 'last_edited_by', last_edited_by: editor },
    ...spec.properties,
  };
  for (const [name, v] of Object.entries(properties)) {
    const entry = (SCHEMA as unknown as Record<string, { id: string }>)[name];
    properties[name] = { id: entry?.id ?? name, ...(v as Json) };
  }
  return {
    object: 'page',
    id,
    created_time: created,
    last_edited_time: edited,
    created_by: creator,
    last_edited_by: editor,
    parent: { type: 'data_source_id', data_source_id: PAGE_X, database_id: PAGE_X },
    in_trash: false,
    archived: false,
    is_archived: false,
    is_locked: false,
    icon: null,
    cover: null,
    url: `https://www.notion.so/${id.replaceAll('-', '')}`,
    public_url: null,
    properties,
  } as unknown as PageObjectResponse;
}
