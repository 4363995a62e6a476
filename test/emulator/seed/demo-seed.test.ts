import { Client } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { seedDemoWorkspace } from '../../../src/emulator/seed/demo-seed.js';
import {
  MAX_APPEND_NESTING_LEVELS,
  MAX_ARRAY_ITEMS,
  MAX_BLOCKS_PER_APPEND,
  MAX_BLOCKS_PER_REQUEST,
  MAX_TEXT_ITEM_CHARS,
  PAGE_OBJECT_REFERENCE_LIMIT,
} from '../../../src/notion/limits.js';

type Json = Record<string, unknown>;

interface RecordedRequest {
  method: string;
  path: string;
  body: Json | undefined;
}

/** Property types a page write sets (place included: the fake server accepts it). */
const WRITABLE_TYPES = [
  ...['title', 'rich_text', 'number', 'select', 'multi_select', 'status', 'date', 'people', 'files'],
  ...['checkbox', 'url', 'email', 'phone_number', 'relation', 'place'],
];
/** Property types Notion computes. */
const COMPUTED_TYPES = [
  ...['formula', 'rollup', 'unique_id'],
  ...['created_time', 'created_by', 'last_edited_time', 'last_edited_by'],
];

const PERSON_IDS = ['a0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002'];

/**
 * A fake Notion behind the real SDK client: answers each endpoint the seed uses with the minimal
 * response shape, hands out sequential ids, and records every request.
 */
function recordingNotion(options: { rejectPlace?: boolean } = {}): {
  client: Client;
  requests: RecordedRequest[];
  blockIds: Set<string>;
} {
  const requests: RecordedRequest[] = [];
  const blockIds = new Set<string>();
  const schemas = new Map<string, Json>();
  let counter = 0;
  const nextId = (): string => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
  const reply = (status: number, body: Json): Response =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const { pathname } = new URL(url);
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Json) : undefined;
    requests.push({ method, path: pathname, body });
    const segments = pathname.split('/').filter(Boolean).slice(1);
    const [resource, id] = segments;
    if (method === 'GET' && resource === 'users') {
      return reply(200, {
        object: 'list',
        type: 'user',
        user: {},
        has_more: false,
        next_cursor: null,
        results: [
          ...PERSON_IDS.map((userId, i) => ({
            object: 'user',
            id: userId,
            name: `Person ${i}`,
            type: 'person',
            person: { email: `p${i}@example.com` },
          })),
          { object: 'user', id: 'b0000000-0000-4000-8000-000000000001', name: 'Bot', type: 'bot', bot: {} },
        ],
      });
    }
    if (method === 'POST' && resource === 'pages') return reply(200, { object: 'page', id: nextId() });
    if (method === 'POST' && resource === 'databases') {
      const dataSourceId = nextId();
      const initial = (body?.['initial_data_source'] as Json | undefined)?.['properties'] as Json;
      schemas.set(dataSourceId, initial);
      return reply(200, {
        object: 'database',
        id: nextId(),
        data_sources: [{ id: dataSourceId, name: 'x' }],
      });
    }
    if (method === 'GET' && resource === 'data_sources' && id !== undefined) {
      const properties: Json = {};
      for (const [name, config] of Object.entries(schemas.get(id) ?? {})) {
        const [type] = Object.keys(config as Json);
        properties[name] = { id: name, name, type, ...(config as Json) };
      }
      return reply(200, { object: 'data_source', id, properties });
    }
    if (method === 'PATCH' && resource === 'data_sources') {
      const properties = (body?.['properties'] ?? {}) as Json;
      if (options.rejectPlace === true && 'Location' in properties) {
        return reply(400, {
          object: 'error',
          status: 400,
          code: 'validation_error',
          message: 'body failed validation: place is not a property type.',
        });
      }
      return reply(200, { object: 'data_source', id, properties: {} });
    }
    if (method === 'PATCH' && resource === 'blocks' && segments[2] === 'children') {
      const children = (body?.['children'] ?? []) as unknown[];
      const results = children.map(() => {
        const blockId = nextId();
        blockIds.add(blockId);
        return { object: 'block', id: blockId };
      });
      return reply(200, {
        object: 'list',
        type: 'block',
        block: {},
        results,
        has_more: false,
        next_cursor: null,
      });
    }
    return reply(404, {
      object: 'error',
      status: 404,
      code: 'object_not_found',
      message: `no fake for ${method} ${pathname}`,
    });
  };
  return {
    client: new Client({
      auth: 'secret_test',
      baseUrl: 'http://notion.test',
      fetch,
      retry: false,
      logger: () => undefined,
    }),
    requests,
    blockIds,
  };
}

interface BlockStats {
  depth: number;
  size: number;
  types: string[];
  richText: Json[][];
}

/** Walks a request's children: nesting depth, element count, block types and rich-text arrays. */
function walkBlocks(blocks: unknown[]): BlockStats {
  const stats: BlockStats = { depth: 0, size: 0, types: [], richText: [] };
  for (const block of blocks as Json[]) {
    const type = block['type'] as string;
    const content = block[type] as Json;
    stats.size += 1;
    stats.types.push(type === 'heading_2' && content['is_toggleable'] === true ? 'toggleable heading' : type);
    if (type === 'to_do') stats.types.push(content['checked'] === true ? 'to_do checked' : 'to_do unchecked');
    for (const key of ['rich_text', 'caption'])
      if (Array.isArray(content[key])) stats.richText.push(content[key] as Json[]);
    if (Array.isArray(content['cells'])) stats.richText.push(...(content['cells'] as Json[][]));
    expect(block).not.toHaveProperty('children');
    const children = (content['children'] ?? []) as unknown[];
    expect(children.length).toBeLessThanOrEqual(MAX_ARRAY_ITEMS);
    const inner = walkBlocks(children);
    stats.depth = Math.max(stats.depth, 1 + inner.depth);
    stats.size += inner.size;
    stats.types.push(...inner.types);
    stats.richText.push(...inner.richText);
  }
  return stats;
}

function schemaTypes(requests: RecordedRequest[]): Set<string> {
  const types = new Set<string>();
  for (const { method, path, body } of requests) {
    const properties =
      method === 'POST' && path === '/v1/databases'
        ? ((body?.['initial_data_source'] as Json)['properties'] as Json)
        : method === 'PATCH' && path.startsWith('/v1/data_sources/')
          ? (body?.['properties'] as Json)
          : {};
    for (const config of Object.values(properties)) types.add(Object.keys(config as Json)[0] as string);
  }
  return types;
}

const rowCreates = (requests: RecordedRequest[]): Json[] =>
  requests
    .filter(
      (r) =>
        r.method === 'POST' &&
        r.path === '/v1/pages' &&
        (r.body?.['parent'] as Json)['data_source_id'] !== undefined,
    )
    .map((r) => r.body?.['properties'] as Json);

describe(seedDemoWorkspace, () => {
  it('builds the workspace and reports its ids', async () => {
    const { client } = recordingNotion();
    const info = await seedDemoWorkspace(client);
    expect(info.pageCount).toBe(1 + 30 + 8 + 40);
    expect(info.databases.contacts.rowIds).toHaveLength(30);
    expect(info.databases.projects.rowIds).toHaveLength(8);
    expect(info.databases.tasks.rowIds).toHaveLength(40);
    expect(info.placeSupported).toBe(true);
    expect(
      new Set([info.rootPageId, info.databases.tasks.databaseId, info.databases.tasks.dataSourceId]).size,
    ).toBe(3);
  });

  it('keeps every block write within the append limits, following up for deeper trees', async () => {
    const { client, requests, blockIds } = recordingNotion();
    await seedDemoWorkspace(client);
    const appends = requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/children'));
    expect(appends.length).toBeGreaterThan(10);
    for (const { body } of [...appends, ...requests.filter((r) => r.path === '/v1/pages')]) {
      const children = (body?.['children'] ?? []) as unknown[];
      expect(children.length).toBeLessThanOrEqual(MAX_BLOCKS_PER_APPEND);
      const stats = walkBlocks(children);
      expect(stats.depth).toBeLessThanOrEqual(1 + MAX_APPEND_NESTING_LEVELS);
      expect(stats.size).toBeLessThanOrEqual(MAX_BLOCKS_PER_REQUEST);
      for (const richText of stats.richText) {
        expect(richText.length).toBeLessThanOrEqual(MAX_ARRAY_ITEMS);
        for (const item of richText) {
          const content = (item['text'] as Json | undefined)?.['content'];
          if (typeof content === 'string') expect(content.length).toBeLessThanOrEqual(MAX_TEXT_ITEM_CHARS);
        }
      }
    }
    // The four-deep list cannot go in one append: its rest is appended under a block the server returned.
    expect(appends.some((r) => blockIds.has(r.path.split('/')[3] ?? ''))).toBe(true);
  });

  it('uses every block type and rich-text feature in page bodies', async () => {
    const { client, requests } = recordingNotion();
    await seedDemoWorkspace(client);
    const stats = walkBlocks(
      requests.filter((r) => r.path.endsWith('/children')).flatMap((r) => r.body?.['children'] as unknown[]),
    );
    expect(new Set(stats.types)).toEqual(
      new Set([
        'heading_1',
        'heading_2',
        'heading_3',
        'toggleable heading',
        'paragraph',
        'bulleted_list_item',
        'numbered_list_item',
        'to_do',
        'to_do checked',
        'to_do unchecked',
        'code',
        'quote',
        'callout',
        'table',
        'table_row',
        'toggle',
        'image',
        'equation',
        'divider',
        'bookmark',
      ]),
    );
    const items = stats.richText.flat();
    const annotations = new Set(
      items.flatMap((item) =>
        Object.entries((item['annotations'] ?? {}) as Json)
          .filter(([, v]) => v !== false)
          .map(([k]) => k),
      ),
    );
    expect(annotations).toEqual(new Set(['bold', 'italic', 'strikethrough', 'underline', 'code', 'color']));
    const mentions = new Set(
      items.filter((i) => i['type'] === 'mention').map((i) => (i['mention'] as Json)['type']),
    );
    expect(mentions).toEqual(new Set(['user', 'page', 'database', 'date']));
    expect(items.some((i) => i['type'] === 'equation')).toBe(true);
    expect(
      items.some((i) => (i['text'] as Json | undefined)?.['link'] !== null && i['type'] === 'text'),
    ).toBe(true);
    const codeLanguages = requests.flatMap(
      (r) => JSON.stringify(r.body ?? {}).match(/"language":"\w+"/g) ?? [],
    );
    expect(new Set(codeLanguages).size).toBeGreaterThanOrEqual(3);
  });

  it('uses every property type in the schemas and writes values of each writable type', async () => {
    const { client, requests } = recordingNotion();
    await seedDemoWorkspace(client);
    expect(schemaTypes(requests)).toEqual(new Set([...WRITABLE_TYPES, ...COMPUTED_TYPES]));
    const rows = rowCreates(requests);
    const written = new Set(
      rows.flatMap((properties) => Object.values(properties).map((v) => Object.keys(v as Json)[0])),
    );
    expect(written).toEqual(new Set(WRITABLE_TYPES));
    const dates = rows.flatMap((p) =>
      Object.values(p).flatMap((v) => ((v as Json)['date'] ? [(v as Json)['date'] as Json] : [])),
    );
    expect(dates.some((d) => typeof d['end'] === 'string')).toBe(true);
    expect(dates.some((d) => /T\d\d:\d\d/.test(d['start'] as string))).toBe(true);
    expect(dates.some((d) => /^\d{4}-\d\d-\d\d$/.test(d['start'] as string))).toBe(true);
    const people = rows.flatMap((p) =>
      Object.values(p).flatMap((v) => ((v as Json)['people'] as Json[] | undefined) ?? []),
    );
    expect(new Set(people.map((p) => p['id']))).toEqual(new Set(PERSON_IDS));
  });

  it('puts more than 25 references on a two-way and on a one-way relation', async () => {
    const { client, requests } = recordingNotion();
    const info = await seedDemoWorkspace(client);
    const tasks = rowCreates(requests).filter((p) => 'Project' in p);
    const firstProject = info.databases.projects.rowIds[0];
    const onFirst = tasks.filter((p) =>
      ((p['Project'] as Json)['relation'] as Json[]).some((r) => r['id'] === firstProject),
    );
    expect(onFirst.length).toBeGreaterThan(PAGE_OBJECT_REFERENCE_LIMIT);
    const mostContacts = Math.max(
      ...tasks.map((p) => ((p['Contacts'] as Json)['relation'] as Json[]).length),
    );
    expect(mostContacts).toBeGreaterThan(PAGE_OBJECT_REFERENCE_LIMIT);
  });

  it('is deterministic', async () => {
    const first = recordingNotion();
    const second = recordingNotion();
    await seedDemoWorkspace(first.client, { parentPageId: PERSON_IDS[0] });
    await seedDemoWorkspace(second.client, { parentPageId: PERSON_IDS[0] });
    expect(JSON.stringify(second.requests)).toBe(JSON.stringify(first.requests));
    expect(first.requests[1]?.body?.['parent']).toEqual({ page_id: PERSON_IDS[0] });
  });

  it('seeds without place when the server rejects it', async () => {
    const { client, requests } = recordingNotion({ rejectPlace: true });
    const info = await seedDemoWorkspace(client);
    expect(info.placeSupported).toBe(false);
    expect(rowCreates(requests).some((p) => 'Location' in p)).toBe(false);
  });
});
