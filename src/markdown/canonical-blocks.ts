/**
 * Which blocks the canonical writer writes as plain markdown, decided from either shape of a block
 * (response JSON or normal form) exactly as block-tree-to-mdast.ts decides on the normal form; and the
 * grouping of siblings into lists. A block only normalisation can decide (a caption, an image, a
 * malformed rich-text item) is normalised first.
 * @module
 */
import type { BlockNode, FetchedBlock } from './block-node.js';
import { isRecord, nodeFromFetched, normalizeData } from './block-node.js';
import { hasNewline, hasText, plainOf, unformatted, wellFormed } from './canonical-rich-text.js';

type Json = Record<string, unknown>;

/** A block in either shape the writer reads. */
export type AnyBlock = FetchedBlock | BlockNode;

export function isFetched(b: AnyBlock): b is FetchedBlock {
  return 'block' in b;
}

export function typeOf(b: AnyBlock): string {
  return isFetched(b) ? b.block.type : b.type;
}

/** The block's `<type>` payload: raw for a fetched block, normalised for a `BlockNode`. */
export function payloadOf(b: AnyBlock): Json {
  if (!isFetched(b)) return b.data;
  const payload = (b.block as unknown as Json)[b.block.type];
  return isRecord(payload) ? payload : {};
}

/** The block and its subtree in normal form. */
export function normalOf(b: AnyBlock): BlockNode {
  return isFetched(b) ? nodeFromFetched(b) : b;
}

/** The block's own payload in normal form (what a directive carries). */
export function normalDataOf(b: AnyBlock): Json {
  return isFetched(b) ? normalizeData(b.block.type, payloadOf(b)) : b.data;
}

const EDGE_SPACE = /^\s|\s$/;

/**
 * Whether the payload's keys are within `allowed` once the defaults normalisation drops are left out;
 * undefined when only normalisation can tell (a caption).
 */
function keysWithin(p: Json, fetched: boolean, allowed: readonly string[]): boolean | undefined {
  for (const k in p) {
    if (allowed.includes(k)) continue;
    if (!fetched) return false;
    if (
      k === 'children' ||
      (k === 'color' && p[k] === 'default') ||
      (k === 'is_toggleable' && p[k] === false)
    )
      continue;
    if (k === 'caption') {
      if (Array.isArray(p[k]) && (p[k] as unknown[]).length === 0) continue;
      return undefined;
    }
    return false;
  }
  return true;
}

const TEXT_KEYS = ['rich_text'];
const HEADING_KEYS = ['rich_text', 'is_toggleable'];
const TODO_KEYS = ['rich_text', 'checked'];
const NUMBERED_KEYS = ['rich_text', 'list_start_index'];
const CODE_KEYS = ['rich_text', 'language'];
const EQUATION_KEYS = ['expression'];
const TABLE_KEYS = ['table_width', 'has_column_header', 'has_row_header'];
const ROW_KEYS = ['cells'];
const IMAGE_KEYS = ['type', 'external', 'caption'];
const NO_KEYS: readonly string[] = [];

function listKind(type: string): 'bullet' | 'ordered' | undefined {
  if (type === 'bulleted_list_item' || type === 'to_do') return 'bullet';
  if (type === 'numbered_list_item') return 'ordered';
  return undefined;
}

/**
 * Whether the block has a plain-markdown form (block-tree-to-mdast.ts `isNative`, read from either
 * shape); undefined when the block must be normalised to tell.
 */
function nativeOf(b: AnyBlock, first: boolean): boolean | undefined {
  const type = typeOf(b);
  const p = payloadOf(b);
  const fetched = isFetched(b);
  const kids = b.children.length;
  const text = p['rich_text'];
  switch (type) {
    case 'paragraph':
      return textKeysWithin(p, fetched, TEXT_KEYS) && hasText(text) && kids === 0;
    case 'heading_1':
    case 'heading_2':
    case 'heading_3':
    case 'heading_4':
      return (
        textKeysWithin(p, fetched, HEADING_KEYS) &&
        p['is_toggleable'] !== true &&
        hasText(text) &&
        !hasNewline(text) &&
        kids === 0
      );
    case 'bulleted_list_item':
      return textKeysWithin(p, fetched, TEXT_KEYS) && (kids === 0 || hasText(text));
    case 'to_do':
      // An empty to-do has no markdown form: GFM reads `- [ ]` with no text as a plain bullet.
      return textKeysWithin(p, fetched, TODO_KEYS) && hasText(text);
    case 'numbered_list_item': {
      const keys = textKeysWithin(p, fetched, NUMBERED_KEYS);
      if (keys !== true) return keys;
      if (kids > 0 && !hasText(text)) return false;
      const start = p['list_start_index'];
      return start === undefined || (first && typeof start === 'number' && start !== 1 && start >= 0);
    }
    case 'quote':
      return textKeysWithin(p, fetched, TEXT_KEYS) && hasText(text);
    case 'code': {
      const keys = textKeysWithin(p, fetched, CODE_KEYS);
      if (keys !== true) return keys;
      const language = p['language'];
      return (
        unformatted(text) &&
        !EDGE_SPACE.test(plainOf(text)) &&
        typeof language === 'string' &&
        !/^[^a-z]|`|\s\s/.test(language)
      );
    }
    case 'equation': {
      const expression = p['expression'];
      return (
        keysWithin(p, fetched, EQUATION_KEYS) &&
        typeof expression === 'string' &&
        expression !== '' &&
        !/^\s|\s$|\$\$/.test(expression)
      );
    }
    case 'divider':
      return keysWithin(p, fetched, NO_KEYS) && kids === 0;
    case 'table':
      return nativeTable(b, p, fetched);
    case 'image':
      // Captions and file objects: decided on the normal form only.
      return fetched ? undefined : nativeImage(b as BlockNode);
    default:
      return false;
  }
}

/** `keysWithin`, and for a fetched block also that its rich text reads as written (else: undefined). */
function textKeysWithin(p: Json, fetched: boolean, allowed: readonly string[]): boolean | undefined {
  const keys = keysWithin(p, fetched, allowed);
  return keys === true && fetched && !wellFormed(p['rich_text']) ? undefined : keys;
}

/** An image is plain markdown with an external URL and a plain, unpadded caption. */
function nativeImage(node: BlockNode): boolean {
  const ext = node.data['external'];
  const caption = node.data['caption'];
  return (
    keysWithin(node.data, false, IMAGE_KEYS) === true &&
    node.data['type'] === 'external' &&
    isRecord(ext) &&
    typeof ext['url'] === 'string' &&
    Object.keys(ext).length === 1 &&
    unformatted(caption) &&
    !hasNewline(caption) &&
    !EDGE_SPACE.test(plainOf(caption)) &&
    node.children.length === 0
  );
}

function nativeTable(b: AnyBlock, p: Json, fetched: boolean): boolean | undefined {
  const width = p['table_width'];
  const keys = keysWithin(p, fetched, TABLE_KEYS);
  if (keys !== true) return keys;
  if (p['has_column_header'] !== true || p['has_row_header'] === true) return false;
  if (typeof width !== 'number' || width < 1 || b.children.length === 0) return false;
  for (const row of b.children as readonly AnyBlock[]) {
    const rp = payloadOf(row);
    const cells = rp['cells'];
    if (typeOf(row) !== 'table_row' || row.children.length > 0) return false;
    const rowKeys = keysWithin(rp, fetched, ROW_KEYS);
    if (rowKeys !== true) return rowKeys;
    if (!Array.isArray(cells) || cells.length !== width) return false;
    for (const cell of cells as unknown[]) {
      if (fetched && !wellFormed(cell)) return undefined;
      if (hasNewline(cell) || EDGE_SPACE.test(plainOf(cell))) return false;
    }
  }
  return true;
}

/** One element of a flow: a run of list items, or one block (native or a directive). */
export type Entry =
  | { list: true; ordered: boolean; start: number; items: AnyBlock[] }
  | { list: false; block: AnyBlock; native: boolean };

/** Group siblings as `blocksToFlow` does: consecutive native list items of one kind form a list. */
export function group(nodes: readonly AnyBlock[]): Entry[] {
  const out: Entry[] = [];
  let list: (Entry & { list: true }) | undefined;
  for (const raw of nodes) {
    let node = raw;
    const kind = listKind(typeOf(node));
    const continues =
      list !== undefined && kind !== undefined && (list.ordered ? 'ordered' : 'bullet') === kind;
    let native = nativeOf(node, !continues);
    if (native === undefined) {
      node = normalOf(node);
      native = nativeOf(node, !continues) === true;
    }
    if (kind !== undefined && native) {
      if (!continues || list === undefined) {
        const start = payloadOf(node)['list_start_index'];
        list = {
          list: true,
          ordered: kind === 'ordered',
          start: typeof start === 'number' ? start : 1,
          items: [],
        };
        out.push(list);
      }
      list.items.push(node);
      continue;
    }
    list = undefined;
    out.push({ list: false, block: node, native: kind === undefined && native });
  }
  return out;
}

/** Whether a list item has no markdown content at all (no text, no children). */
export function emptyItem(b: AnyBlock): boolean {
  return !hasText(payloadOf(b)['rich_text']) && b.children.length === 0;
}
