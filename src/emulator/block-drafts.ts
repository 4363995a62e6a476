import {
  MAX_APPEND_NESTING_LEVELS,
  MAX_BLOCKS_PER_APPEND,
  MAX_BLOCKS_PER_REQUEST,
  MAX_URL_CHARS,
} from '../notion/limits.js';
import { normalizeId } from './ids.js';
import { isObject, type JsonObject } from './json.js';
import { shouldBe, shouldBeDefined, shouldNotBePresent, validationError } from './notion-error.js';
import { API_COLORS, checkMax, richTextResponse, type MentionResolver } from './rich-text.js';

/** A validated block from a request, in response form but without id/parent/times, with its children. */
export interface BlockDraft {
  readonly type: string;
  readonly payload: JsonObject;
  readonly children: BlockDraft[];
}

const TEXT_TYPES = new Set([
  'paragraph',
  'heading_1',
  'heading_2',
  'heading_3',
  'heading_4',
  'bulleted_list_item',
  'numbered_list_item',
  'quote',
  'to_do',
  'toggle',
  'callout',
  'template',
]);
const MEDIA_TYPES = new Set(['image', 'video', 'pdf', 'file', 'audio']);
const URL_TYPES = new Set(['bookmark', 'embed']);
const EMPTY_TYPES = new Set(['divider', 'breadcrumb']);
const OTHER_TYPES = new Set([
  'code',
  'equation',
  'table_of_contents',
  'column_list',
  'column',
  'table',
  'table_row',
  'link_to_page',
  'synced_block',
  'tab',
]);

/** Block types a request may create through append or `pages.create` children [SDK: common.d.ts BlockObjectRequest]. */
export const CREATABLE_BLOCK_TYPES: ReadonlySet<string> = new Set([
  ...TEXT_TYPES,
  ...MEDIA_TYPES,
  ...URL_TYPES,
  ...EMPTY_TYPES,
  ...OTHER_TYPES,
]);
/** Types whose payload may carry `children` in a request. */
const PARENT_TYPES = new Set([...TEXT_TYPES, 'column_list', 'column', 'table', 'synced_block', 'tab']);

/** True when blocks of `type` may have children (request nesting and appends to an existing block). */
export function canHaveChildren(type: string): boolean {
  return PARENT_TYPES.has(type);
}

interface DraftContext {
  resolver: MentionResolver;
  count: number;
}

/**
 * Validates the `children` array of an append or page create and returns block drafts. Enforces Notion's
 * rules: ≤ 100 top-level blocks, ≤ 1,000 blocks per request, two levels of nesting below the top level,
 * nested children inside the type payload, `column_list` → `column`, `table` → `table_row` + `table_width`
 * [Notion docs: patch-block-children, request-limits].
 */
export function blockDrafts(raw: unknown, path: string, resolver: MentionResolver): BlockDraft[] {
  if (!Array.isArray(raw)) throw shouldBe(path, 'an array', raw);
  checkMax(path, raw.length, MAX_BLOCKS_PER_APPEND);
  const ctx: DraftContext = { resolver, count: 0 };
  const drafts = raw.map((b: unknown, i) => blockDraft(b, `${path}[${i}]`, 0, ctx));
  if (ctx.count > MAX_BLOCKS_PER_REQUEST) {
    throw validationError(
      `body failed validation: the request contains ${ctx.count} block elements, more than the limit of \`${MAX_BLOCKS_PER_REQUEST}\`.`,
    );
  }
  return drafts;
}

/** The block type a request object names: its `type`, else its single known type key. */
export function blockTypeOf(block: JsonObject): string | undefined {
  if (typeof block.type === 'string') return block.type;
  return Object.keys(block).find((k) => CREATABLE_BLOCK_TYPES.has(k));
}

function blockDraft(raw: unknown, path: string, depth: number, ctx: DraftContext): BlockDraft {
  if (!isObject(raw)) throw shouldBe(path, 'an object', raw);
  ctx.count++;
  if ('children' in raw) throw shouldNotBePresent(`${path}.children`);
  const type = blockTypeOf(raw);
  if (type === undefined || !CREATABLE_BLOCK_TYPES.has(type)) {
    throw validationError(
      `body failed validation: ${path}.type should be a block type that can be created, instead was \`${JSON.stringify(type)}\`.`,
    );
  }
  const body = raw[type];
  if (!isObject(body)) {
    if (body === undefined) throw shouldBeDefined(`${path}.${type}`);
    throw shouldBe(`${path}.${type}`, 'an object', body);
  }
  const payload = blockPayload(type, body, `${path}.${type}`, ctx.resolver, false);
  let children: BlockDraft[] = [];
  if (body.children !== undefined) {
    const cpath = `${path}.${type}.children`;
    if (!PARENT_TYPES.has(type)) throw shouldNotBePresent(cpath);
    if (depth >= MAX_APPEND_NESTING_LEVELS) throw shouldNotBePresent(cpath);
    if (!Array.isArray(body.children)) throw shouldBe(cpath, 'an array', body.children);
    checkMax(cpath, body.children.length, MAX_BLOCKS_PER_APPEND);
    // `column_list → column → block` may go one level deeper than other trees [SDK: common.d.ts].
    const nextDepth = type === 'column_list' ? depth : depth + 1;
    children = body.children.map((c: unknown, i) => blockDraft(c, `${cpath}[${i}]`, nextDepth, ctx));
  }
  checkStructure(type, payload, children, path);
  return { type, payload, children };
}

function checkStructure(type: string, payload: JsonObject, children: BlockDraft[], path: string): void {
  if (type === 'column_list') {
    if (children.length === 0) throw shouldBeDefined(`${path}.column_list.children`);
    children.forEach((c, i) => {
      if (c.type !== 'column') throw shouldBe(`${path}.column_list.children[${i}].type`, '`column`', c.type);
    });
  }
  if (type === 'column' && children.length === 0) throw shouldBeDefined(`${path}.column.children`);
  if (type === 'table') {
    if (children.length === 0) throw shouldBeDefined(`${path}.table.children`);
    const width = payload.table_width as number;
    children.forEach((c, i) => {
      const cpath = `${path}.table.children[${i}]`;
      if (c.type !== 'table_row') throw shouldBe(`${cpath}.type`, '`table_row`', c.type);
      const cells = c.payload.cells as unknown[];
      if (cells.length !== width) {
        throw validationError(
          `body failed validation: ${cpath}.table_row.cells.length should be \`${width}\` (the table_width), instead was \`${cells.length}\`.`,
        );
      }
    });
  }
}

function color(v: unknown, path: string): string {
  if (v === undefined) return 'default';
  if (typeof v !== 'string' || !API_COLORS.has(v)) throw shouldBe(path, 'a valid color', v);
  return v;
}

function fileObject(body: JsonObject, path: string): JsonObject {
  const kind =
    (body.type as string | undefined) ??
    (body.external ? 'external' : body.file_upload ? 'file_upload' : body.file ? 'file' : undefined);
  if (kind === 'external') {
    const ext = body.external;
    if (!isObject(ext) || typeof ext.url !== 'string')
      throw shouldBe(`${path}.external.url`, 'a string', isObject(ext) ? ext.url : ext);
    checkMax(`${path}.external.url`, ext.url.length, MAX_URL_CHARS);
    return { type: 'external', external: { url: ext.url } };
  }
  if (kind === 'file_upload') {
    const fu = body.file_upload;
    const id = normalizeId(isObject(fu) ? fu.id : undefined);
    if (!id) throw shouldBe(`${path}.file_upload.id`, 'a valid uuid', isObject(fu) ? fu.id : fu);
    return { type: 'file', file: hostedFile(id) };
  }
  if (kind === 'file') {
    const f = body.file;
    if (!isObject(f) || typeof f.url !== 'string')
      throw shouldBe(`${path}.file.url`, 'a string', isObject(f) ? f.url : f);
    return {
      type: 'file',
      file: { url: f.url, expiry_time: (f.expiry_time as string | undefined) ?? farFuture() },
    };
  }
  throw shouldBeDefined(`${path}.external`);
}

/** A Notion-hosted file reference as the emulator serves it (a stable fake signed URL). */
export function hostedFile(uploadId: string): JsonObject {
  return {
    url: `https://prod-files-secure.s3.us-west-2.amazonaws.com/emulator/${uploadId}`,
    expiry_time: farFuture(),
  };
}

function farFuture(): string {
  return '2099-01-01T00:00:00.000Z';
}

/**
 * Converts one block type payload from request to response form. With `partial` (block updates) absent
 * fields are left out so that they keep their stored values.
 */
export function blockPayload(
  type: string,
  body: JsonObject,
  path: string,
  resolver: MentionResolver,
  partial: boolean,
): JsonObject {
  const out: JsonObject = {};
  const rt = (key: string): void => {
    if (body[key] !== undefined) out[key] = richTextResponse(body[key], `${path}.${key}`, resolver);
    else if (!partial) out[key] = [];
  };
  if (TEXT_TYPES.has(type)) {
    if (body.rich_text === undefined && !partial && type !== 'template')
      throw shouldBeDefined(`${path}.rich_text`);
    rt('rich_text');
    if (body.color !== undefined || !partial) out.color = color(body.color, `${path}.color`);
    if (type === 'to_do' && (body.checked !== undefined || !partial)) {
      if (body.checked !== undefined && typeof body.checked !== 'boolean')
        throw shouldBe(`${path}.checked`, 'a boolean', body.checked);
      out.checked = body.checked === true;
    }
    if (type.startsWith('heading_') && (body.is_toggleable !== undefined || !partial))
      out.is_toggleable = body.is_toggleable === true;
    if (type === 'callout') {
      if (body.icon !== undefined) out.icon = body.icon;
      else if (!partial) out.icon = { type: 'emoji', emoji: '💡' };
    }
    return out;
  }
  if (MEDIA_TYPES.has(type)) {
    if (!partial || body.external || body.file || body.file_upload)
      Object.assign(out, fileObject(body, path));
    rt('caption');
    if (type === 'file' && (body.name !== undefined || !partial))
      out.name = typeof body.name === 'string' ? body.name : 'file';
    return out;
  }
  if (URL_TYPES.has(type)) {
    if (body.url !== undefined || !partial) {
      if (typeof body.url !== 'string') throw shouldBe(`${path}.url`, 'a string', body.url);
      checkMax(`${path}.url`, body.url.length, MAX_URL_CHARS);
      out.url = body.url;
    }
    rt('caption');
    return out;
  }
  if (EMPTY_TYPES.has(type)) return out;
  switch (type) {
    case 'code':
      rt('rich_text');
      rt('caption');
      if (body.language !== undefined || !partial)
        out.language = typeof body.language === 'string' ? body.language : 'plain text';
      return out;
    case 'equation':
      if (body.expression !== undefined || !partial) {
        if (typeof body.expression !== 'string')
          throw shouldBe(`${path}.expression`, 'a string', body.expression);
        checkMax(`${path}.expression`, body.expression.length, 1_000);
        out.expression = body.expression;
      }
      return out;
    case 'table_of_contents':
      if (body.color !== undefined || !partial) out.color = color(body.color, `${path}.color`);
      return out;
    case 'column_list':
    case 'tab':
      return out;
    case 'column':
      if (body.width_ratio !== undefined) out.width_ratio = body.width_ratio;
      return out;
    case 'table': {
      if (!partial || body.table_width !== undefined) {
        if (
          typeof body.table_width !== 'number' ||
          !Number.isInteger(body.table_width) ||
          body.table_width < 1
        ) {
          if (body.table_width === undefined) throw shouldBeDefined(`${path}.table_width`);
          throw shouldBe(`${path}.table_width`, 'a positive integer', body.table_width);
        }
        out.table_width = body.table_width;
      }
      if (body.has_column_header !== undefined || !partial)
        out.has_column_header = body.has_column_header === true;
      if (body.has_row_header !== undefined || !partial) out.has_row_header = body.has_row_header === true;
      return out;
    }
    case 'table_row': {
      if (body.cells !== undefined || !partial) {
        if (!Array.isArray(body.cells)) throw shouldBe(`${path}.cells`, 'an array', body.cells);
        out.cells = body.cells.map((c: unknown, i) => richTextResponse(c, `${path}.cells[${i}]`, resolver));
      }
      return out;
    }
    case 'link_to_page': {
      const kind =
        (body.type as string | undefined) ??
        (body.page_id ? 'page_id' : body.database_id ? 'database_id' : 'page_id');
      const id = normalizeId(body[kind]);
      if (!id) throw shouldBe(`${path}.${kind}`, 'a valid uuid', body[kind]);
      out.type = kind;
      out[kind] = id;
      return out;
    }
    case 'synced_block': {
      const from = body.synced_from;
      if (from === undefined || from === null) out.synced_from = null;
      else {
        const id = normalizeId(isObject(from) ? from.block_id : undefined);
        if (!id)
          throw shouldBe(
            `${path}.synced_from.block_id`,
            'a valid uuid',
            isObject(from) ? from.block_id : from,
          );
        out.synced_from = { type: 'block_id', block_id: id };
      }
      return out;
    }
    default:
      throw shouldBe(`${path}`, 'a block type that can be created', type);
  }
}
