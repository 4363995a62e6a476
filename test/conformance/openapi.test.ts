/**
 * The emulator's JSON against Notion's published OpenAPI description (as shipped by
 * `@notionhq/notion-mcp-server`, `scripts/notion-openapi.json`, OpenAPI 3.1).
 *
 * Every operation of the description is either exercised here (its path template filled in, called over
 * HTTP, the body validated against the response schema of the status it answered) or listed in
 * `NOT_MODELLED` with the reason; a new operation in a later description fails the coverage test.
 *
 * Translation to ajv (JSON Schema 2020-12, which OpenAPI 3.1 schemas are): `example` is an annotation
 * (registered as a keyword), `format: uuid` comes from ajv-formats. The description uses no `nullable`,
 * `discriminator` or `$ref` in response schemas (checked below), so nothing else needs rewriting.
 *
 * The published response schemas declare properties but never `required`, so a body missing a property
 * would still pass. The strict check therefore also validates against a copy where every declared
 * property is required (`requireDeclared`), except where the description's example is one variant of a
 * union (see `VARIANT_PATHS`).
 */
import { Ajv2020, type AnySchemaObject, type ValidateFunction } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { emulatorClient, raw } from '../emulator/emulator-fixture.js';

interface Operation {
  readonly operationId: string;
  readonly method: 'get' | 'post' | 'patch' | 'delete';
  readonly path: string;
  /** Response schemas by status code. */
  readonly responses: Readonly<Record<string, AnySchemaObject | undefined>>;
  /** Response examples by status code (`example` or each of `examples`). */
  readonly examples: Readonly<Record<string, readonly unknown[]>>;
}

interface MediaType {
  schema?: AnySchemaObject;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; responses?: Record<string, { content?: Record<string, MediaType> }> }
    >
  >;
}

const require = createRequire(import.meta.url);
const SPEC_PATH = require.resolve('@notionhq/notion-mcp-server/scripts/notion-openapi.json');
const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as OpenApiDocument;

const METHODS = ['get', 'post', 'patch', 'delete'] as const;

function operations(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const responses: Record<string, AnySchemaObject | undefined> = {};
      const examples: Record<string, unknown[]> = {};
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        const media = response.content?.['application/json'];
        responses[status] = media?.schema;
        examples[status] = [
          ...(media && 'example' in media ? [media.example] : []),
          ...Object.values(media?.examples ?? {}).map((e) => e.value),
        ];
      }
      out.push({ operationId: op.operationId, method, path, responses, examples });
    }
  }
  return out;
}

const OPERATIONS = operations(spec);

/** Operations of the description the emulator does not model, with the reason (docs/emulator.md). */
const NOT_MODELLED: Readonly<Record<string, string>> = {
  'retrieve-a-comment': 'comments are not modelled',
  'create-a-comment': 'comments are not modelled',
  'list-data-source-templates': 'templates are not modelled',
};

/** Answers the description lists without a schema: exercised (their status is checked), not validated. */
const SCHEMALESS = new Set(['get-user 200', 'retrieve-a-page-property 200']);

/**
 * Object paths (dot-separated, in the strict copy) whose declared properties are one variant of a union:
 * the description's `get-self` example is a bot owned by a user (`owner.type: "user"` with `owner.user`),
 * while an internal integration's bot is owned by the workspace (`owner.type: "workspace"`,
 * `workspace: true`) [SDK: common.d.ts `BotUserObjectResponse`], which is what the emulator's bot is.
 */
const VARIANT_PATHS = new Set(['get-self.bot.owner']);

/** A copy of `schema` where every declared property is required, except under `VARIANT_PATHS`. */
function requireDeclared(schema: AnySchemaObject, at: string): AnySchemaObject {
  const copy: AnySchemaObject = { ...schema };
  const props = schema.properties as Record<string, AnySchemaObject> | undefined;
  if (props) {
    copy.properties = Object.fromEntries(
      Object.entries(props).map(([k, v]) => [k, requireDeclared(v, `${at}.${k}`)]),
    );
    if (!VARIANT_PATHS.has(at) && Object.keys(props).length > 0) copy.required = Object.keys(props);
  }
  if (schema.items && typeof schema.items === 'object')
    copy.items = requireDeclared(schema.items as AnySchemaObject, `${at}[]`);
  return copy;
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addKeyword({
  keyword: 'example',
  schemaType: ['string', 'number', 'boolean', 'object', 'array', 'null'],
});
(ajvFormats.default as unknown as (a: Ajv2020) => void)(ajv);

const compiled = new Map<string, ValidateFunction>();
function validator(op: Operation, status: string, strict: boolean): ValidateFunction | undefined {
  const schema = op.responses[status];
  if (!schema) return undefined;
  const key = `${op.operationId}:${status}:${strict}`;
  let fn = compiled.get(key);
  if (!fn) {
    fn = ajv.compile(strict ? requireDeclared(schema, op.operationId) : schema);
    compiled.set(key, fn);
  }
  return fn;
}

/** The keywords every response schema of the description uses, so the translation above is complete. */
function keywordsOf(schema: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(schema)) for (const s of schema) keywordsOf(s, into);
  else if (schema && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema)) {
      into.add(k);
      if (k === 'properties') for (const p of Object.values(v as object)) keywordsOf(p, into);
      else if (k !== 'example') keywordsOf(v, into);
    }
  }
  return into;
}

/** One call of an operation: path parameters, optional query string and body. */
interface Call {
  readonly params: Record<string, string>;
  readonly query?: string;
  readonly body?: unknown;
  readonly version?: string;
}
/** What one operation answered. */
interface Exchange {
  readonly op: Operation;
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function call(em: EmulatorHandle, op: Operation, c: Call): Promise<Exchange> {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = c.params[name];
    if (v === undefined) throw new Error(`no value for {${name}} of ${op.operationId}`);
    return v;
  });
  const res = await raw(em.url, `${path}${c.query ?? ''}`, {
    method: op.method.toUpperCase(),
    ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }),
    ...(c.version ? { headers: { 'notion-version': c.version } } : {}),
  });
  return { op, status: res.status, body: res.body };
}

function op(operationId: string): Operation {
  const found = OPERATIONS.find((o) => o.operationId === operationId);
  if (!found) throw new Error(`the OpenAPI description has no operation ${operationId}`);
  return found;
}

const rt = (content: string): unknown[] => [{ type: 'text', text: { content } }];

/** Runs every modelled operation once on its success path and collects the exchanges. */
async function successExchanges(
  em: EmulatorHandle,
  root: string,
): Promise<{ exchanges: Exchange[]; dataSourceId: string }> {
  const out: Exchange[] = [];
  const go = async (id: string, c: Call): Promise<Exchange> => {
    const x = await call(em, op(id), c);
    if (x.status !== 200) throw new Error(`${id} answered ${x.status}: ${JSON.stringify(x.body)}`);
    out.push(x);
    return x;
  };
  const me = await go('get-self', { params: {} });
  await go('get-users', { params: {}, query: '?page_size=2' });
  const users = await raw(em.url, '/v1/users');
  const person = (users.body.results as { id: string; type: string }[]).find((u) => u.type === 'person')!;
  await go('get-user', { params: { user_id: person.id } });
  expect(me.body.id).toBe(em.botId);

  // The description has no databases.create; and its create-a-data-source names a page parent, where
  // the SDK and the API take the database the new data source joins (a quirk, docs/emulator.md).
  const db = await raw(em.url, '/v1/databases', {
    method: 'POST',
    body: JSON.stringify({
      parent: { type: 'page_id', page_id: root },
      title: rt('Holder'),
      initial_data_source: { properties: { Name: { title: {} } } },
    }),
  });
  const ds = await go('create-a-data-source', {
    params: {},
    body: {
      parent: { type: 'database_id', database_id: db.body.id },
      title: rt('Conformance'),
      properties: {
        Name: { title: {} },
        Stage: { select: { options: [{ name: 'a' }, { name: 'b' }] } },
        Score: { number: { format: 'number' } },
      },
    },
  });
  const dataSourceId = ds.body.id as string;
  const databaseId = (ds.body.parent as { database_id: string }).database_id;
  await go('retrieve-a-data-source', { params: { data_source_id: dataSourceId } });
  await go('update-a-data-source', {
    params: { data_source_id: dataSourceId },
    body: { properties: { Done: { checkbox: {} } } },
  });
  await go('retrieve-a-database', { params: { database_id: databaseId } });

  const row = await go('post-page', {
    params: {},
    body: {
      parent: { data_source_id: dataSourceId },
      properties: { Name: { title: rt('row one') }, Stage: { select: { name: 'a' } }, Score: { number: 3 } },
      children: [{ object: 'block', type: 'paragraph', paragraph: { rich_text: rt('hello') } }],
    },
  });
  const pageId = row.body.id as string;
  await go('retrieve-a-page', { params: { page_id: pageId } });
  await go('patch-page', {
    params: { page_id: pageId },
    body: { properties: { Score: { number: 4 } }, icon: { type: 'emoji', emoji: '🧪' } },
  });
  const props = (row.body.properties as Record<string, { id: string }>)['Name']!.id;
  await go('retrieve-a-page-property', { params: { page_id: pageId, property_id: props } });
  await go('query-data-source', {
    params: { data_source_id: dataSourceId },
    body: { filter: { property: 'Score', number: { greater_than: 1 } }, page_size: 10 },
  });
  await go('post-search', { params: {}, body: { query: 'row', page_size: 5 } });

  const children = await go('get-block-children', { params: { block_id: pageId }, query: '?page_size=10' });
  const blockId = (children.body.results as { id: string }[])[0]!.id;
  await go('patch-block-children', {
    params: { block_id: pageId },
    body: {
      children: [{ type: 'to_do', to_do: { rich_text: rt('check'), checked: false } }],
      position: { type: 'start' },
    },
  });
  await go('retrieve-a-block', { params: { block_id: blockId } });
  await go('update-a-block', {
    params: { block_id: blockId },
    body: { paragraph: { rich_text: rt('hello again') } },
  });
  await go('delete-a-block', { params: { block_id: blockId } });

  await go('retrieve-page-markdown', { params: { page_id: pageId } });
  await go('update-page-markdown', {
    params: { page_id: pageId },
    body: { type: 'insert_content', insert_content: { content: '## added\n\ntext' } },
  });
  const target = await raw(em.url, '/v1/pages', {
    method: 'POST',
    body: JSON.stringify({ parent: { page_id: root }, properties: { title: { title: rt('Target') } } }),
  });
  await go('move-page', {
    params: { page_id: pageId },
    body: { parent: { type: 'page_id', page_id: target.body.id } },
  });
  return { exchanges: out, dataSourceId };
}

/** Error answers, each on an operation whose description lists a schema for that status. */
async function errorExchanges(em: EmulatorHandle, root: string, dataSourceId: string): Promise<Exchange[]> {
  const missing = '0123456789abcdef0123456789abcdef';
  const out: Exchange[] = [];
  const expectStatus = async (id: string, status: number, c: Call): Promise<void> => {
    const x = await call(em, op(id), c);
    expect(x.status, `${id} → ${JSON.stringify(x.body)}`).toBe(status);
    out.push(x);
  };
  await expectStatus('retrieve-a-page', 400, { params: { page_id: 'not-an-id' } });
  await expectStatus('query-data-source', 400, {
    params: { data_source_id: dataSourceId },
    body: { page_size: 1000 },
  });
  await expectStatus('post-search', 400, { params: {}, body: { sort: { timestamp: 'created_time' } } });
  await expectStatus('post-page', 400, { params: {}, body: { parent: { page_id: root }, properties: 7 } });
  await expectStatus('patch-block-children', 400, { params: { block_id: root }, body: { children: 'x' } });
  await expectStatus('retrieve-page-markdown', 404, { params: { page_id: missing } });
  await expectStatus('update-page-markdown', 400, {
    params: { page_id: root },
    body: {
      type: 'update_content',
      update_content: { content_updates: [{ old_str: 'absent', new_str: 'x' }] },
    },
  });
  em.faults.add({ route: 'pages.retrieveMarkdown', kind: 'error', status: 403, times: 1 });
  await expectStatus('retrieve-page-markdown', 403, { params: { page_id: root } });
  em.faults.add({ route: 'pages.updateMarkdown', kind: 'error', status: 409, times: 1 });
  await expectStatus('update-page-markdown', 409, {
    params: { page_id: root },
    body: { type: 'insert_content', insert_content: { content: 'x' } },
  });
  em.faults.add({
    route: 'pages.retrieveMarkdown',
    kind: 'error',
    status: 429,
    retryAfterSeconds: 1,
    times: 1,
  });
  await expectStatus('retrieve-page-markdown', 429, { params: { page_id: root } });
  return out;
}

function failures(exchanges: readonly Exchange[], strict: boolean): string[] {
  const out: string[] = [];
  for (const x of exchanges) {
    const fn = validator(x.op, String(x.status), strict);
    if (!fn) {
      if (!SCHEMALESS.has(`${x.op.operationId} ${x.status}`))
        out.push(`${x.op.operationId}: the description has no schema for status ${x.status}`);
      continue;
    }
    if (!fn(x.body)) out.push(`${x.op.operationId} ${x.status}: ${ajv.errorsText(fn.errors)}`);
  }
  return out;
}

describe('the OpenAPI description', () => {
  it('is OpenAPI 3.1 and its response schemas use only keywords this test translates', () => {
    expect(spec.openapi).toMatch(/^3\.1\./);
    const used = new Set<string>();
    for (const o of OPERATIONS) for (const s of Object.values(o.responses)) keywordsOf(s, used);
    expect([...used].sort()).toEqual(['description', 'example', 'format', 'items', 'properties', 'type']);
  });

  it("validates its own response examples (the translation accepts Notion's real answers)", () => {
    let checked = 0;
    for (const o of OPERATIONS) {
      for (const [status, values] of Object.entries(o.examples)) {
        const fn = validator(o, status, true);
        for (const value of values) {
          if (!fn || value === undefined) continue;
          const ok = fn(value);
          expect(ok, `${o.operationId} ${status}: ${ajv.errorsText(fn.errors)}`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});

describe('startEmulator against the OpenAPI description', () => {
  let successes: Exchange[] = [];
  let errors: Exchange[] = [];
  beforeAll(async () => {
    const { em, root } = await emulatorClient();
    const run = await successExchanges(em, root);
    successes = run.exchanges;
    errors = await errorExchanges(em, root, run.dataSourceId);
  });

  it('covers every operation of the description, or names why it is not modelled', () => {
    const covered = new Set(successes.map((x) => x.op.operationId));
    const uncovered = OPERATIONS.map((o) => o.operationId).filter(
      (id) => !covered.has(id) && !(id in NOT_MODELLED),
    );
    expect(uncovered).toEqual([]);
    expect(covered.size).toBe(OPERATIONS.length - Object.keys(NOT_MODELLED).length);
    const withoutSchema = successes.filter((x) => !x.op.responses[String(x.status)]);
    expect(withoutSchema.map((x) => `${x.op.operationId} ${x.status}`).sort()).toEqual(
      [...SCHEMALESS].sort(),
    );
  });

  it('answers every operation with a 200 body that satisfies its response schema', () => {
    expect(failures(successes, false)).toEqual([]);
  });

  it('answers with every property the response schemas declare (strict copy)', () => {
    expect(failures(successes, true)).toEqual([]);
  });

  it('answers errors (400, 403, 404, 409, 429) with bodies that satisfy the error schemas', () => {
    expect(new Set(errors.map((x) => x.status))).toEqual(new Set([400, 403, 404, 409, 429]));
    expect(failures(errors, true)).toEqual([]);
  });

  it('fails a body that breaks the schema (the check can fail)', () => {
    const self = op('get-self');
    const good = successes.find((x) => x.op === self)!;
    const fn = validator(self, '200', true)!;
    expect(fn(good.body)).toBe(true);
    expect(fn({ ...good.body, name: 42 })).toBe(false);
    const { type: _type, ...withoutType } = good.body;
    expect(fn(withoutType)).toBe(false);
    const markdown = validator(op('retrieve-page-markdown'), '200', true)!;
    expect(
      markdown({
        object: 'page_markdown',
        id: 'nope',
        markdown: '',
        truncated: false,
        unknown_block_ids: [],
      }),
    ).toBe(false);
  });
});
