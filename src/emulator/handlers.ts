import { MAX_ARRAY_ITEMS, type NotionVersion } from '../notion/limits.js';
import { blockDrafts, canHaveChildren } from './block-drafts.js';
import { markdownDrafts, renderMarkdown } from './page-markdown.js';
import { checkMax } from './rich-text.js';
import { requireId, normalizeId, safeDecode } from './ids.js';
import { isObject, type JsonObject } from './json.js';
import {
  ARCHIVED_EDIT_MESSAGE,
  NotionApiError,
  notFound,
  shouldBe,
  shouldNotBePresent,
  validationError,
} from './notion-error.js';
import { decodeCursor, encodeCursor, listPage, pageSize } from './pagination.js';
import type { QueryRunner } from './query-runner.js';
import type { RawJson } from './raw-json.js';
import type { Renderer } from './render.js';
import { findProperty } from './schema.js';
import type { InsertPosition, Workspace } from './workspace.js';

/** What a handler gets: the parsed request and the emulator's state. */
export interface HandlerRequest {
  readonly params: Record<string, string>;
  readonly query: URLSearchParams;
  readonly body: JsonObject;
  readonly version: NotionVersion;
  readonly ws: Workspace;
  readonly runner: QueryRunner;
  readonly render: Renderer;
  /** Base URL of the emulator (for `next_url`). */
  readonly baseUrl: string;
}

/** A handler answers with a JSON object (never an empty body: the SDK would throw on it). */
export type Handler = (req: HandlerRequest) => JsonObject | RawJson;

/** `filter_properties` from the query string: repeated `filter_properties=` or `filter_properties[]=`. */
export function filterProperties(query: URLSearchParams): string[] {
  return [...query.getAll('filter_properties'), ...query.getAll('filter_properties[]')];
}

function invalidUrl(): NotionApiError {
  return new NotionApiError(400, 'invalid_request_url', 'Invalid request URL.');
}

function modern(req: HandlerRequest): void {
  if (req.version === '2022-06-28') throw invalidUrl();
}

function pageParam(req: HandlerRequest): string {
  return requireId(req.params.page_id, 'path.page_id');
}

function blockParam(req: HandlerRequest): string {
  return requireId(req.params.block_id, 'path.block_id');
}

/** Offset pagination over an in-memory list for GET endpoints (cursor: the id of the first item). */
function idPage<T>(
  items: readonly T[],
  idOf: (t: T) => string,
  req: HandlerRequest,
  type: string,
  render: (t: T) => JsonObject,
): JsonObject {
  const size = pageSize(req.query.get('page_size') ?? undefined, 'query.page_size');
  const cursor = req.query.get('start_cursor');
  let offset = 0;
  if (cursor !== null) {
    const id = normalizeId(cursor);
    offset = id === undefined ? -1 : items.findIndex((t) => idOf(t) === id);
    if (offset < 0)
      throw validationError(
        `query failed validation: query.start_cursor should be a cursor returned by the same request, instead was \`${JSON.stringify(cursor)}\`.`,
      );
  }
  const page = listPage(items, offset, size, type, (o) => idOf(items[o] as T));
  return { ...page, results: page.results.map(render) };
}

function positionOf(body: JsonObject, version: NotionVersion): InsertPosition {
  if (body.after !== undefined && version === '2026-03-11')
    throw shouldNotBePresent('body.after', body.after);
  if (body.after !== undefined && body.position !== undefined)
    throw validationError('body failed validation: body.after and body.position should not both be present.');
  if (body.after !== undefined) return { type: 'after_block', blockId: requireId(body.after, 'body.after') };
  const p = body.position;
  if (p === undefined) return { type: 'end' };
  if (!isObject(p)) throw shouldBe('body.position', 'an object', p);
  if (p.type === 'start' || p.type === 'end') return { type: p.type };
  if (p.type === 'after_block') {
    const ab = p.after_block;
    return {
      type: 'after_block',
      blockId: requireId(isObject(ab) ? ab.id : undefined, 'body.position.after_block.id'),
    };
  }
  throw shouldBe('body.position.type', '`"start"`, `"end"` or `"after_block"`', p.type);
}

function propertyItem(req: HandlerRequest): JsonObject {
  const pageId = pageParam(req);
  const rec = req.ws.getPage(pageId);
  const page = req.ws.materialize(rec.page);
  const propKey = req.params.property_id as string;
  const prop =
    findProperty(page.properties as Record<string, JsonObject>, propKey) ??
    findProperty(page.properties as Record<string, JsonObject>, safeDecode(propKey));
  if (!prop) throw notFound('page', `${pageId} property ${propKey}`);
  const type = prop.type as string;
  const id = prop.id as string;
  if (
    type === 'title' ||
    type === 'rich_text' ||
    type === 'people' ||
    type === 'relation' ||
    type === 'rollup'
  ) {
    const items: JsonObject[] =
      type === 'rollup'
        ? []
        : (prop[type] as JsonObject[]).map((v) => ({ object: 'property_item', id, type, [type]: v }));
    const size = pageSize(req.query.get('page_size') ?? undefined, 'query.page_size');
    const fingerprint = `${pageId}:${id}`;
    const offset = decodeCursor(
      req.query.get('start_cursor') ?? undefined,
      fingerprint,
      'query.start_cursor',
    );
    const results = items.slice(offset, offset + size);
    const hasMore = offset + size < items.length;
    const next = hasMore ? encodeCursor(offset + size, fingerprint) : null;
    const nextUrl = next
      ? `${req.baseUrl}/v1/pages/${pageId}/properties/${encodeURIComponent(id)}?start_cursor=${next}`
      : null;
    const summary: JsonObject = type === 'rollup' ? (prop.rollup as JsonObject) : {};
    return {
      object: 'list',
      results,
      next_cursor: next,
      has_more: hasMore,
      type: 'property_item',
      property_item: { id, next_url: nextUrl, type, [type]: summary },
    };
  }
  return { object: 'property_item', id, type, [type]: prop[type] };
}

/** `pages.create` with `markdown`: the body from GFM; the first `# H1` becomes the title when none is given. */
function createFromMarkdown(req: HandlerRequest): JsonObject {
  const body = req.body;
  if (typeof body.markdown !== 'string') throw shouldBe('body.markdown', 'a string', body.markdown);
  if (body.children !== undefined || body.content !== undefined) {
    throw validationError(
      'body failed validation: body.markdown and body.children should not both be present.',
    );
  }
  const drafts = markdownDrafts(body.markdown);
  const props = isObject(body.properties) ? body.properties : {};
  const hasTitle = Object.entries(props).some(([k, v]) => k === 'title' || (isObject(v) && 'title' in v));
  const first = drafts[0];
  let properties: JsonObject = props;
  if (!hasTitle && first?.type === 'heading_1') {
    drafts.shift();
    const title = (first.payload.rich_text as JsonObject[]).map((t) => ({ text: { content: t.plain_text } }));
    properties = { ...props, title: { title } };
  }
  const rec = req.ws.createPage({ ...body, properties, markdown: undefined }, drafts);
  return req.render.page(rec.page, filterProperties(req.query));
}

function pageMarkdown(req: HandlerRequest, id: string): JsonObject {
  const { markdown, unknown } = renderMarkdown(
    { children: (x) => req.ws.visibleChildren(x), block: (x) => req.render.block(x) },
    id,
  );
  return { object: 'page_markdown', id, markdown, truncated: false, unknown_block_ids: unknown };
}

function requireBodyChildren(body: JsonObject): unknown {
  if (body.children === undefined)
    throw validationError(
      'body failed validation: body.children should be defined, instead was `undefined`.',
    );
  return body.children;
}

/** Every endpoint's handler, keyed by the endpoint name of `src/notion/endpoints.ts`. */
export const handlers: Record<string, Handler> = {
  'users.me': (req) => req.ws.getUser(req.ws.botId),
  'users.list': (req) =>
    idPage(
      [...req.ws.users.values()],
      (u) => u.id as string,
      req,
      'user',
      (u) => u,
    ),
  'users.retrieve': (req) => req.ws.getUser(requireId(req.params.user_id, 'path.user_id')),

  search: (req) => req.runner.search(req.body, req.version),

  'databases.create': (req) => req.render.database(req.ws.createDatabase(req.body, req.version)),
  'databases.retrieve': (req) =>
    req.render.database(req.ws.getDatabase(requireId(req.params.database_id, 'path.database_id'))),
  'databases.update': (req) => {
    const rec = req.ws.getDatabase(requireId(req.params.database_id, 'path.database_id'));
    if (req.version === '2022-06-28') req.render.database(rec); // refuses multi-source databases first
    req.ws.updateDatabase(rec, req.body, req.version);
    return req.render.database(rec);
  },
  'databases.query': (req) => {
    if (req.version !== '2022-06-28') throw invalidUrl();
    const rec = req.ws.getDatabase(requireId(req.params.database_id, 'path.database_id'));
    req.render.database(rec);
    const ds = req.ws.getDataSource(rec.dataSourceIds[0] as string);
    const out = req.runner.query(ds, req.body, filterProperties(req.query), req.version).parse();
    delete out.page_or_data_source;
    return { ...out, type: 'page_or_database', page_or_database: {} };
  },

  'dataSources.create': (req) => {
    modern(req);
    return req.render.dataSource(req.ws.createDataSource(req.body));
  },
  'dataSources.retrieve': (req) => {
    modern(req);
    return req.render.dataSource(
      req.ws.getDataSource(requireId(req.params.data_source_id, 'path.data_source_id')),
    );
  },
  'dataSources.update': (req) => {
    modern(req);
    const rec = req.ws.getDataSource(requireId(req.params.data_source_id, 'path.data_source_id'));
    req.ws.updateDataSource(rec, req.body);
    return req.render.dataSource(rec);
  },
  'dataSources.query': (req) => {
    modern(req);
    const ds = req.ws.getDataSource(requireId(req.params.data_source_id, 'path.data_source_id'));
    return req.runner.query(ds, req.body, filterProperties(req.query), req.version);
  },

  'pages.create': (req) => {
    const body = req.body;
    if (body.markdown !== undefined) return createFromMarkdown(req);
    if (isObject(body.template) && body.template.type !== undefined && body.template.type !== 'none') {
      throw new NotionApiError(
        400,
        'invalid_request',
        'Unsupported request: pages.create with a template (not modelled by the emulator).',
      );
    }
    if (body.children !== undefined && body.content !== undefined)
      throw validationError(
        'body failed validation: body.children and body.content should not both be present.',
      );
    const key = body.content !== undefined ? 'body.content' : 'body.children';
    const raw = body.content ?? body.children;
    const drafts = raw === undefined ? [] : blockDrafts(raw, key, req.ws.mentions);
    const rec = req.ws.createPage(body, drafts);
    return req.render.page(rec.page, filterProperties(req.query));
  },
  'pages.retrieve': (req) =>
    req.render.page(req.ws.getPage(pageParam(req)).page, filterProperties(req.query)),
  'pages.update': (req) => {
    const rec = req.ws.getPage(pageParam(req));
    req.ws.updatePage(rec, req.body);
    return req.render.page(rec.page, filterProperties(req.query));
  },
  'pages.move': (req) => {
    const rec = req.ws.getPage(pageParam(req));
    req.ws.movePage(rec, req.body);
    return req.render.page(rec.page);
  },
  'pages.properties.retrieve': propertyItem,

  'pages.retrieveMarkdown': (req) => {
    const id = pageParam(req);
    req.ws.getPage(id);
    return pageMarkdown(req, id);
  },
  'pages.updateMarkdown': (req) => {
    const id = pageParam(req);
    const rec = req.ws.getPage(id);
    if (rec.page.in_trash) throw validationError(ARCHIVED_EDIT_MESSAGE);
    const body = req.body;
    const type = body.type;
    const payload = typeof type === 'string' ? body[type] : undefined;
    if (!isObject(payload)) throw shouldBe(`body.${String(type)}`, 'an object', payload);
    const current = pageMarkdown(req, id);
    const allowDeleting = payload.allow_deleting_content === true;
    const replaceWith = (markdown: string): void => {
      if ((current.unknown_block_ids as string[]).length && !allowDeleting) {
        throw validationError(
          'body failed validation: the update would delete blocks that have no markdown form (unknown_block_ids); pass allow_deleting_content: true.',
        );
      }
      req.ws.trashBlockChildren(id);
      const kept = markdown
        .split('\n')
        .filter((l) => !/^\s*<(page|database|unknown)\b/.test(l))
        .join('\n');
      req.ws.insertBlocks(id, markdownDrafts(kept), { type: 'end' });
    };
    switch (type) {
      case 'replace_content':
        if (typeof payload.new_str !== 'string')
          throw shouldBe('body.replace_content.new_str', 'a string', payload.new_str);
        replaceWith(payload.new_str);
        break;
      case 'insert_content': {
        if (typeof payload.content !== 'string')
          throw shouldBe('body.insert_content.content', 'a string', payload.content);
        const pos =
          isObject(payload.position) && payload.position.type === 'start'
            ? { type: 'start' as const }
            : { type: 'end' as const };
        req.ws.insertBlocks(id, markdownDrafts(payload.content), pos);
        break;
      }
      case 'update_content': {
        const updates = payload.content_updates;
        if (!Array.isArray(updates))
          throw shouldBe('body.update_content.content_updates', 'an array', updates);
        checkMax('body.update_content.content_updates', updates.length, MAX_ARRAY_ITEMS);
        let md = current.markdown as string;
        updates.forEach((u: unknown, i) => {
          const p = `body.update_content.content_updates[${i}]`;
          if (!isObject(u) || typeof u.old_str !== 'string' || typeof u.new_str !== 'string')
            throw shouldBe(p, 'an object with strings `old_str` and `new_str`', u);
          if (!md.includes(u.old_str))
            throw validationError(
              `body failed validation: ${p}.old_str was not found in the page's markdown.`,
            );
          md =
            u.replace_all_matches === true
              ? md.split(u.old_str).join(u.new_str)
              : md.replace(u.old_str, () => u.new_str as string);
        });
        replaceWith(md);
        break;
      }
      default:
        throw new NotionApiError(
          400,
          'invalid_request',
          `Unsupported request: pages.updateMarkdown with type ${JSON.stringify(type)} (the emulator models replace_content, insert_content and update_content).`,
        );
    }
    return pageMarkdown(req, id);
  },

  'blocks.retrieve': (req) => {
    const id = blockParam(req);
    req.ws.blockKind(id);
    return req.render.block(id);
  },
  'blocks.update': (req) => {
    const id = blockParam(req);
    req.ws.updateBlock(id, req.body, req.version);
    return req.render.block(id);
  },
  'blocks.delete': (req) => {
    const id = blockParam(req);
    req.ws.deleteBlock(id);
    return req.render.block(id);
  },
  'blocks.children.list': (req) => {
    const id = blockParam(req);
    req.ws.blockKind(id);
    return idPage(
      req.ws.visibleChildren(id),
      (x) => x,
      req,
      'block',
      (x) => req.render.block(x),
    );
  },
  'blocks.children.append': (req) => {
    const id = blockParam(req);
    const kind = req.ws.blockKind(id);
    if (kind === 'database')
      throw validationError(
        `body failed validation: block ${id} is a database, which cannot have children appended.`,
      );
    const target = kind === 'page' ? req.ws.getPage(id).page : req.ws.blocks.get(id)?.block;
    if (target?.in_trash) throw validationError(ARCHIVED_EDIT_MESSAGE);
    if (kind === 'block' && !canHaveChildren(target?.type as string)) {
      throw validationError(
        `body failed validation: block ${id} of type ${String(target?.type)} cannot have children.`,
      );
    }
    const position = positionOf(req.body, req.version);
    const drafts = blockDrafts(requireBodyChildren(req.body), 'body.children', req.ws.mentions);
    const ids = req.ws.insertBlocks(id, drafts, position);
    return {
      object: 'list',
      results: ids.map((b) => req.render.block(b)),
      next_cursor: null,
      has_more: false,
      type: 'block',
      block: {},
    };
  },
};
