/**
 * Normal-form blocks → SDK `BlockObjectRequest`s that respect Notion's per-item limits: text split into
 * ≤ 2,000-character items at word boundaries, ≤ 100 rich-text items per array (long paragraphs become
 * several paragraphs), equations ≤ 1,000 characters, URLs ≤ 2,000 characters. Nesting and per-append
 * counts are the append planner's job (plan-appends.ts).
 */
import type { BlockObjectRequest } from '@notionhq/client';
import { splitText as splitToLimit } from '../notion/split-text.js';
import { LimitExceededError, UnsupportedBlockError } from '../errors.js';
import { MAX_ARRAY_ITEMS, MAX_EQUATION_CHARS, MAX_TEXT_ITEM_CHARS, MAX_URL_CHARS } from '../notion/limits.js';
import type { BlockNode, RichItem } from './block-node.js';
import { READ_ONLY_TYPES, isRecord } from './block-node.js';

/**
 * `text` in pieces of at most `max` characters, cut after whitespace when possible and never inside a
 * surrogate pair (the shared splitter of src/notion/split-text.ts); an empty text stays one empty piece.
 */
export function splitText(text: string, max: number = MAX_TEXT_ITEM_CHARS): string[] {
  const pieces = splitToLimit(text, max);
  return pieces.length === 0 ? [''] : pieces;
}

function checkUrl(url: string, blockType: string): void {
  if (url.length > MAX_URL_CHARS) {
    throw new LimitExceededError(
      `A link URL in a ${blockType} block is ${url.length} characters; Notion accepts at most ${MAX_URL_CHARS}.`,
      { hint: 'Shorten the URL (or link to a shortened form) and convert again.' },
    );
  }
}

/** Rich text in request shape, split to the per-item limit. */
export function richTextRequest(items: readonly RichItem[], blockType: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const item of items) {
    let request: Record<string, unknown>;
    if (item.type === 'text') {
      const link = item.text.link;
      if (link) checkUrl(link.url, blockType);
      const content = item.text.content;
      if (content.length > MAX_TEXT_ITEM_CHARS) {
        for (const piece of splitText(content)) {
          const part: Record<string, unknown> = {
            type: 'text',
            text: link ? { content: piece, link } : { content: piece },
          };
          if (item.annotations) part['annotations'] = item.annotations;
          out.push(part);
        }
        continue;
      }
      request = { type: 'text', text: link ? { content, link } : { content } };
    } else if (item.type === 'equation') {
      if (item.equation.expression.length > MAX_EQUATION_CHARS)
        throw equationTooLong(item.equation.expression.length, blockType);
      request = { type: 'equation', equation: item.equation };
    } else if (item.mention.type === 'link_preview' || item.mention.type === 'link_mention') {
      // Notion cannot create these mentions; the nearest writable form is a link.
      const v = item.mention[item.mention.type];
      const url = isRecord(v) ? String(v['url'] ?? v['href'] ?? '') : '';
      checkUrl(url, blockType);
      request = { type: 'text', text: { content: item.plain_text || url, link: { url } } };
    } else {
      request = { type: 'mention', mention: item.mention };
    }
    if (item.annotations) request['annotations'] = item.annotations;
    out.push(request);
  }
  return out;
}

function equationTooLong(length: number, blockType: string): LimitExceededError {
  return new LimitExceededError(
    `An equation in a ${blockType} block is ${length} characters; Notion accepts at most ${MAX_EQUATION_CHARS}.`,
    { hint: 'Split the equation into several equation blocks.' },
  );
}

function payload(node: BlockNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node.data)) {
    if (k === 'rich_text' || k === 'caption') out[k] = richTextRequest(v as RichItem[], node.type);
    else if (k === 'cells') out[k] = (v as RichItem[][]).map((c) => richTextRequest(c, node.type));
    else out[k] = v;
  }
  // Media read from Notion-hosted files cannot be re-sent as `file`; point at the URL instead.
  if (out['type'] === 'file' && isRecord(out['file']) && node.type !== 'file_upload') {
    out['type'] = 'external';
    out['external'] = { url: out['file']['url'] };
    delete out['file'];
  }
  if (node.type === 'equation') {
    const expr = String(out['expression'] ?? '');
    if (expr.length > MAX_EQUATION_CHARS) throw equationTooLong(expr.length, 'equation');
  }
  if (node.type === 'synced_block' && out['synced_from'] === undefined) out['synced_from'] = null;
  return out;
}

/**
 * The `<type>` payload for `blocks.update` (no children), respecting per-item limits.
 * @throws UnsupportedBlockError for read-only block types.
 */
export function updatePayload(node: BlockNode): Record<string, unknown> {
  assertWritable(node);
  const p = payload(node);
  // Only the type payload may be sent; `type` inside media payloads is part of it.
  return { [node.type]: p };
}

function assertWritable(node: BlockNode): void {
  if (READ_ONLY_TYPES.has(node.type)) {
    throw new UnsupportedBlockError(
      node.type,
      `Notion cannot create or update a "${node.type}" block through the blocks API.`,
      { hint: 'Keep the existing block unchanged in the markdown, or remove its directive.' },
    );
  }
}

/** Split a paragraph whose rich text is over the array limit into several paragraphs. */
function splitOversized(node: BlockNode, request: Record<string, unknown>): Record<string, unknown>[] {
  const text = request['rich_text'];
  if (!Array.isArray(text) || text.length <= MAX_ARRAY_ITEMS) return [request];
  if (node.type !== 'paragraph' || node.children.length > 0) {
    throw new LimitExceededError(
      `A ${node.type} block has ${text.length} rich-text items; Notion accepts at most ${MAX_ARRAY_ITEMS}.`,
      { hint: 'Use fewer formatting changes in that block, or split it into several blocks.' },
    );
  }
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < text.length; i += MAX_ARRAY_ITEMS)
    out.push({ ...request, rich_text: text.slice(i, i + MAX_ARRAY_ITEMS) });
  return out;
}

/**
 * One normal-form node (with its whole subtree) as request blocks. Usually one block; a paragraph over
 * the rich-text array limit becomes several. Children are nested under `<type>.children` at any depth:
 * the append planner cuts them to Notion's two levels.
 * @throws UnsupportedBlockError for read-only block types, LimitExceededError for unsplittable values.
 */
export function toRequestBlocks(node: BlockNode): BlockObjectRequest[] {
  assertWritable(node);
  const p = payload(node);
  const children = node.children.flatMap(toRequestBlocks);
  if (children.length > 0) p['children'] = children;
  if (
    node.type === 'table_row' ||
    node.type === 'column' ||
    node.type === 'column_list' ||
    node.type === 'table'
  ) {
    return [{ type: node.type, [node.type]: p } as unknown as BlockObjectRequest];
  }
  return splitOversized(node, p).map(
    (q) => ({ type: node.type, [node.type]: q }) as unknown as BlockObjectRequest,
  );
}
