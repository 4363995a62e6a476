/**
 * An in-memory block store that behaves like Notion's blocks endpoints for the converter: it enforces
 * the write limits (notion-api-facts.md §7) and rejects what Notion rejects, answers reads in response
 * shape with 100-item pages, and counts calls. It serves as the fake `BlockSource` + `BlockWriter` in
 * tests and benchmarks, and as a dry run for plans.
 */
import type { BlockObjectRequest, BlockObjectResponse } from '@notionhq/client';
import { LimitExceededError } from '../errors.js';
import {
  MAX_APPEND_NESTING_LEVELS,
  MAX_ARRAY_ITEMS,
  MAX_BLOCKS_PER_APPEND,
  MAX_BLOCKS_PER_REQUEST,
  MAX_EQUATION_CHARS,
  MAX_PAGE_SIZE,
  MAX_PAYLOAD_BYTES,
  MAX_TEXT_ITEM_CHARS,
} from '../notion/limits.js';
import { DEFAULT_ANNOTATIONS, isRecord } from './block-node.js';
import type { BlockSource } from './block-source.js';
import type { AppendPosition, BlockWriter } from './block-writer.js';

type Json = Record<string, unknown>;

interface StoredBlock {
  id: string;
  parentId: string;
  type: string;
  payload: Json;
  children: string[];
}

/** Calls made so far, by kind. */
export interface BlockStoreCalls {
  list: number;
  append: number;
  update: number;
  delete: number;
}

function fail(path: string, message: string): never {
  throw new LimitExceededError(`body failed validation: ${path} ${message}`, {
    hint: 'Plan writes with planAppends, which respects Notion limits.',
  });
}

function checkRichText(items: unknown, path: string): void {
  if (!Array.isArray(items)) return;
  if (items.length > MAX_ARRAY_ITEMS)
    fail(`${path}.length`, `should be ≤ ${MAX_ARRAY_ITEMS}, instead was ${items.length}.`);
  items.forEach((item: unknown, i) => {
    if (!isRecord(item)) return;
    const text = item['text'];
    if (
      isRecord(text) &&
      typeof text['content'] === 'string' &&
      text['content'].length > MAX_TEXT_ITEM_CHARS
    ) {
      fail(
        `${path}[${i}].text.content.length`,
        `should be ≤ ${MAX_TEXT_ITEM_CHARS}, instead was ${text['content'].length}.`,
      );
    }
    const eq = item['equation'];
    if (
      isRecord(eq) &&
      typeof eq['expression'] === 'string' &&
      eq['expression'].length > MAX_EQUATION_CHARS
    ) {
      fail(`${path}[${i}].equation.expression.length`, `should be ≤ ${MAX_EQUATION_CHARS}.`);
    }
  });
}

/** Response-shaped rich text, as Notion returns it. */
function richTextResponse(items: unknown): Json[] {
  if (!Array.isArray(items)) return [];
  return items.filter(isRecord).map((item) => {
    const annotations = {
      ...DEFAULT_ANNOTATIONS,
      ...(isRecord(item['annotations']) ? item['annotations'] : {}),
    };
    if (isRecord(item['equation'])) {
      const expression = String(item['equation']['expression']);
      return { type: 'equation', equation: { expression }, annotations, plain_text: expression, href: null };
    }
    if (isRecord(item['mention'])) {
      const m = item['mention'];
      const type = String(m['type'] ?? Object.keys(m)[0]);
      const value = m[type];
      const id = isRecord(value) ? String(value['id'] ?? value['start'] ?? '') : '';
      return { type: 'mention', mention: { type, [type]: value }, annotations, plain_text: id, href: null };
    }
    const text = isRecord(item['text']) ? item['text'] : { content: '' };
    const link = isRecord(text['link']) ? { url: String(text['link']['url']) } : null;
    return {
      type: 'text',
      text: { content: String(text['content']), link },
      annotations,
      plain_text: String(text['content']),
      href: link ? link.url : null,
    };
  });
}

/** See the module comment. */
export class InMemoryBlockStore implements BlockSource, BlockWriter {
  readonly #blocks = new Map<string, StoredBlock>();
  readonly #roots = new Map<string, string[]>();
  #nextId = 1;
  /** Calls made so far. */
  readonly calls: BlockStoreCalls = { list: 0, append: 0, update: 0, delete: 0 };

  /** Total calls of every kind. */
  get totalCalls(): number {
    return this.calls.list + this.calls.append + this.calls.update + this.calls.delete;
  }

  /** Reset the call counters. */
  resetCalls(): void {
    this.calls.list = this.calls.append = this.calls.update = this.calls.delete = 0;
  }

  #id(): string {
    const n = (this.#nextId++).toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${n}`;
  }

  #childList(parentId: string): string[] {
    const block = this.#blocks.get(parentId);
    if (block) return block.children;
    let list = this.#roots.get(parentId);
    if (!list) {
      list = [];
      this.#roots.set(parentId, list);
    }
    return list;
  }

  #validate(children: readonly unknown[], path: string, level: number, counter: { n: number }): void {
    if (children.length > (level === 1 ? MAX_BLOCKS_PER_APPEND : MAX_ARRAY_ITEMS)) {
      fail(`${path}.length`, `should be ≤ ${MAX_ARRAY_ITEMS}, instead was ${children.length}.`);
    }
    children.forEach((raw, i) => {
      const p = `${path}[${i}]`;
      if (!isRecord(raw)) fail(p, 'should be an object.');
      if ('children' in raw) fail(`${p}.children`, 'should be not present.');
      const type = String(raw['type'] ?? '');
      const payload = raw[type];
      if (!isRecord(payload)) fail(`${p}.${type}`, 'should be defined.');
      counter.n++;
      checkRichText(payload['rich_text'], `${p}.${type}.rich_text`);
      checkRichText(payload['caption'], `${p}.${type}.caption`);
      if (Array.isArray(payload['cells']))
        payload['cells'].forEach((c, j) => checkRichText(c, `${p}.${type}.cells[${j}]`));
      if (typeof payload['expression'] === 'string' && payload['expression'].length > MAX_EQUATION_CHARS) {
        fail(`${p}.${type}.expression.length`, `should be ≤ ${MAX_EQUATION_CHARS}.`);
      }
      const nested = payload['children'];
      if (Array.isArray(nested)) {
        if (level > MAX_APPEND_NESTING_LEVELS) fail(`${p}.${type}.children`, 'should be not present.');
        this.#validate(nested, `${p}.${type}.children`, level + 1, counter);
      } else if (type === 'table' || type === 'column_list') {
        fail(`${p}.${type}.children`, 'should be defined.');
      }
    });
  }

  #insert(parentId: string, raw: Json): string {
    const type = String(raw['type']);
    const { children, ...payload } = raw[type] as Json;
    const id = this.#id();
    this.#blocks.set(id, { id, parentId, type, payload, children: [] });
    if (Array.isArray(children)) {
      const list = this.#childList(id);
      for (const c of children) list.push(this.#insert(id, c as Json));
    }
    return id;
  }

  /** `PATCH /blocks/{id}/children`. */
  async append(
    parentId: string,
    children: BlockObjectRequest[],
    position?: AppendPosition,
  ): Promise<readonly BlockObjectResponse[]> {
    this.calls.append++;
    const counter = { n: 0 };
    this.#validate(children, 'body.children', 1, counter);
    if (counter.n > MAX_BLOCKS_PER_REQUEST)
      fail('body', `should contain ≤ ${MAX_BLOCKS_PER_REQUEST} blocks, instead had ${counter.n}.`);
    const size = Buffer.byteLength(JSON.stringify({ children, position }), 'utf8');
    if (size > MAX_PAYLOAD_BYTES)
      fail('body', `should be ≤ ${MAX_PAYLOAD_BYTES} bytes, instead was ${size}.`);
    const list = this.#childList(parentId);
    let at = list.length;
    if (position?.type === 'start') at = 0;
    if (position?.type === 'after_block') {
      const i = list.indexOf(position.after_block.id);
      if (i < 0) fail('body.position.after_block.id', 'should be a child of the parent.');
      at = i + 1;
    }
    const ids = children.map((c) => this.#insert(parentId, c as unknown as Json));
    list.splice(at, 0, ...ids);
    return ids.map((id) => this.#response(id));
  }

  /** `PATCH /blocks/{id}`: replaces the given payload fields. */
  async update(blockId: string, payload: Record<string, unknown>): Promise<BlockObjectResponse> {
    this.calls.update++;
    const block = this.#blocks.get(blockId);
    if (!block) fail('block_id', `could not find block with ID: ${blockId}.`);
    const value = payload[block.type];
    if (!isRecord(value)) fail(`body.${block.type}`, 'should be defined.');
    checkRichText(value['rich_text'], `body.${block.type}.rich_text`);
    block.payload = { ...block.payload, ...value };
    return this.#response(blockId);
  }

  /** `DELETE /blocks/{id}`. */
  async delete(blockId: string): Promise<BlockObjectResponse> {
    this.calls.delete++;
    const block = this.#blocks.get(blockId);
    if (!block) fail('block_id', `could not find block with ID: ${blockId}.`);
    const response = this.#response(blockId);
    const siblings = this.#childList(block.parentId);
    siblings.splice(siblings.indexOf(blockId), 1);
    this.#blocks.delete(blockId);
    return response;
  }

  /** One page of `GET /blocks/{id}/children` (one call). */
  listPage(
    blockId: string,
    startCursor?: string | null,
    pageSize: number = MAX_PAGE_SIZE,
  ): {
    results: BlockObjectResponse[];
    next_cursor: string | null;
    has_more: boolean;
  } {
    this.calls.list++;
    const ids = this.#childList(blockId);
    const start = startCursor ? Math.max(0, ids.indexOf(startCursor)) : 0;
    const size = Math.min(Math.max(1, pageSize), MAX_PAGE_SIZE);
    const page = ids.slice(start, start + size);
    const next = ids[start + size];
    return {
      results: page.map((id) => this.#response(id)),
      next_cursor: next ?? null,
      has_more: next !== undefined,
    };
  }

  /** Every child (one call per 100 children). */
  async *listChildren(blockId: string): AsyncIterable<BlockObjectResponse> {
    for await (const page of this.listChildPages(blockId)) yield* page;
  }

  /** Every child, page by page (one call per page of 100). */
  async *listChildPages(blockId: string): AsyncIterable<readonly BlockObjectResponse[]> {
    let cursor: string | null = null;
    do {
      const page = this.listPage(blockId, cursor);
      yield page.results;
      cursor = page.next_cursor;
    } while (cursor !== null);
  }

  /** Store an already-shaped response tree under `parentId` (for fixtures). Not counted as calls. */
  seed(
    parentId: string,
    tree: readonly { block: BlockObjectResponse; children: readonly unknown[] }[],
  ): void {
    const list = this.#childList(parentId);
    for (const node of tree) {
      const b = node.block as unknown as Json;
      const type = String(b['type']);
      const id = String(b['id']);
      this.#blocks.set(id, { id, parentId, type, payload: b[type] as Json, children: [] });
      list.push(id);
      this.seed(id, node.children as { block: BlockObjectResponse; children: unknown[] }[]);
    }
  }

  #response(id: string): BlockObjectResponse {
    const block = this.#blocks.get(id) as StoredBlock;
    const payload: Json = {};
    for (const [k, v] of Object.entries(block.payload)) {
      if (k === 'rich_text' || k === 'caption') payload[k] = richTextResponse(v);
      else if (k === 'cells' && Array.isArray(v)) payload[k] = v.map(richTextResponse);
      else payload[k] = v;
    }
    if (block.type !== 'table_row' && payload['rich_text'] !== undefined && payload['color'] === undefined)
      payload['color'] = 'default';
    return {
      object: 'block',
      id,
      parent: this.#blocks.has(block.parentId)
        ? { type: 'block_id', block_id: block.parentId }
        : { type: 'page_id', page_id: block.parentId },
      created_time: '2026-01-01T00:00:00.000Z',
      last_edited_time: '2026-01-01T00:00:00.000Z',
      created_by: { object: 'user', id: 'u' },
      last_edited_by: { object: 'user', id: 'u' },
      has_children: block.children.length > 0,
      in_trash: false,
      archived: false,
      type: block.type,
      [block.type]: payload,
    } as unknown as BlockObjectResponse;
  }
}
