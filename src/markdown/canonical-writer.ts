/**
 * Blocks → canonical markdown in one pass, straight from the block JSON: no normal form for the whole
 * tree, no mdast, no remark-stringify for the common case. The output is byte-identical to
 * remark-stringify with the canonical options over `blocksToMdast` (the reference; the differential
 * test in test/markdown/canonical-writer.test.ts asserts it).
 *
 * It reads both shapes of a block: as Notion returns it (`FetchedBlock`, default annotations and
 * colours spelled out, text cut at 2,000 characters) and in normal form (`BlockNode`). What it cannot
 * prove it writes exactly as remark would, it hands down a level:
 *
 * - a block whose payload is unusual (a caption, an image, a malformed rich-text item) is normalised
 *   first (`normalizeData` / `nodeFromFetched`), and then decided as block-tree-to-mdast.ts decides;
 * - rich text with nested or HTML-wrapped formatting (bold italic, colours, underline, formatted
 *   links) goes through `richTextToPhrasing` and the mdast fast path; text that needs escaping is
 *   written by remark alone (a paragraph, heading or table is context-free, so splicing is exact);
 * - one rare structure (an empty first item of a nested bullet list) sends the whole document to
 *   remark.
 * @module
 */
import type { PhrasingContent } from 'mdast';
import type { BlockNode, FetchedBlock } from './block-node.js';
import {
  RICH_TEXT_TYPES,
  isRecord,
  nodeFromFetched,
  normalizeData,
  normalizeRichItem,
  normalizeRichText,
} from './block-node.js';
import { closeDirective, openDirective } from './block-directive.js';
import { PLAIN_TEXT_LANGUAGE, blocksToMdast, nativeBlock } from './block-tree-to-mdast.js';
import {
  NeedsRemark,
  fence,
  isPlainUrl,
  plainAttentionText,
  plainCodeSpan,
  plainMathSpan,
  plainPhrasing,
  plainText,
  viaRemark,
} from './canonical-serializer.js';
import { stringifyMarkdown } from './markdown-processor.js';
import { mentionUrl, richTextToPhrasing } from './rich-text-mdast.js';

type Json = Record<string, unknown>;

/** A block in either shape the writer reads. */
export type AnyBlock = FetchedBlock | BlockNode;

function isFetched(b: AnyBlock): b is FetchedBlock {
  return 'block' in b;
}

function typeOf(b: AnyBlock): string {
  return isFetched(b) ? b.block.type : b.type;
}

/** The block's `<type>` payload: raw for a fetched block, normalised for a `BlockNode`. */
function payloadOf(b: AnyBlock): Json {
  if (!isFetched(b)) return b.data;
  const payload = (b.block as unknown as Json)[b.block.type];
  return isRecord(payload) ? payload : {};
}

/** The block and its subtree in normal form. */
function normalOf(b: AnyBlock): BlockNode {
  return isFetched(b) ? nodeFromFetched(b) : b;
}

/** The block's own payload in normal form (what a directive carries). */
function normalDataOf(b: AnyBlock): Json {
  return isFetched(b) ? normalizeData(b.block.type, payloadOf(b)) : b.data;
}

// ——— Rich text ———

/** Formats of a merged rich-text run the direct path writes; anything else is handed down. */
const PLAIN = 0;
const BOLD = 1;
const ITALIC = 2;
const STRIKE = 3;
const CODE = 4;
const LINK = 5;
const EQUATION = 6;
const MENTION = 7;
const ATTENTION_MARKER = ['', '**', '*', '~~'];

/** The run format of an item's annotations; -1 when more than one wrapper (or an HTML one) applies. */
function formatOf(a: unknown): number {
  if (!isRecord(a)) return PLAIN;
  if (a['underline'] === true || (typeof a['color'] === 'string' && a['color'] !== 'default')) return -1;
  const bold = a['bold'] === true;
  const italic = a['italic'] === true;
  const strike = a['strikethrough'] === true;
  const code = a['code'] === true;
  if (Number(bold) + Number(italic) + Number(strike) + Number(code) > 1) return -1;
  return bold ? BOLD : italic ? ITALIC : strike ? STRIKE : code ? CODE : PLAIN;
}

/**
 * Rich text as merged runs (what `normalizeRichText` would give), for the direct path: false when an
 * item needs the general path (nested formatting, colours, underline, a formatted link, a line break
 * inside formatting, a malformed item).
 */
class Runs {
  format: number[] = [];
  text: string[] = [];
  url: string[] = [];

  read(raw: unknown): boolean {
    this.format.length = this.text.length = this.url.length = 0;
    if (!Array.isArray(raw)) return true;
    for (const r of raw as unknown[]) {
      if (!isRecord(r)) return false;
      let format = formatOf(r['annotations']);
      if (format < 0) return false;
      const equation = r['equation'];
      if (isRecord(equation)) {
        if (format !== PLAIN || typeof equation['expression'] !== 'string') return false;
        this.push(EQUATION, equation['expression'], '');
        continue;
      }
      if (isRecord(r['mention'])) {
        const item = normalizeRichItem(r);
        if (format !== PLAIN || item.type !== 'mention') return false;
        this.push(MENTION, item.plain_text ?? '', mentionUrl(item.mention));
        continue;
      }
      const text = r['text'];
      if (!isRecord(text) || typeof text['content'] !== 'string') return false;
      const content = text['content'];
      if (content === '') continue;
      let url = '';
      const link = text['link'];
      if (isRecord(link) && typeof link['url'] === 'string') {
        if (format !== PLAIN) return false;
        format = LINK;
        url = link['url'];
      }
      if (format !== PLAIN && content.includes('\n')) return false;
      const last = this.format.length - 1;
      if (last >= 0 && this.format[last] === format && format <= LINK && this.url[last] === url) {
        this.text[last] += content;
      } else this.push(format, content, url);
    }
    return true;
  }

  private push(format: number, text: string, url: string): void {
    this.format.push(format);
    this.text.push(text);
    this.url.push(url);
  }
}

/** Kinds of the flat phrasing the direct path writes (mdast phrasing nodes, one level deep). */
const TEXT = 0;
const BREAK = 1;
const HTML_BR = 2;
const ATTENTION = 3;
const INLINE_CODE = 4;
const INLINE_MATH = 5;
const LINK_NODE = 6;
/** First and last character of each kind's output (text and attention: from the value and marker). */
const EDGES = ['', '\\\n', '<>', '', '``', '$$', '[)'];

/** The flat phrasing of merged runs, as `richTextToPhrasing` would build it for single-wrapper runs. */
class Phrasing {
  kind: number[] = [];
  value: string[] = [];
  /** The marker of an attention node, the URL of a link. */
  extra: string[] = [];

  build(runs: Runs): void {
    this.kind.length = this.value.length = this.extra.length = 0;
    const n = runs.format.length;
    for (let k = 0; k < n; k++) {
      const format = runs.format[k] as number;
      const text = runs.text[k] as string;
      switch (format) {
        case PLAIN:
          this.plain(text, k === n - 1);
          break;
        case BOLD:
        case ITALIC:
        case STRIKE:
          this.push(ATTENTION, text, ATTENTION_MARKER[format] as string);
          break;
        case CODE:
          this.push(INLINE_CODE, text, '');
          break;
        case EQUATION:
          this.push(INLINE_MATH, text, '');
          break;
        default:
          this.push(LINK_NODE, text, runs.url[k] as string);
      }
    }
  }

  /** Plain text: lines joined by hard breaks; newlines that end the whole text become `<br>`. */
  private plain(content: string, last: boolean): void {
    let end = content.length;
    if (last) while (end > 0 && content.charCodeAt(end - 1) === 10) end--;
    let start = 0;
    for (;;) {
      const nl = content.indexOf('\n', start);
      const stop = nl < 0 || nl >= end ? end : nl;
      if (stop > start) this.push(TEXT, content.slice(start, stop), '');
      if (stop === end) break;
      this.push(BREAK, '', '');
      start = stop + 1;
    }
    for (let i = end; i < content.length; i++) this.push(HTML_BR, '<br>', '');
  }

  private push(kind: number, value: string, extra: string): void {
    this.kind.push(kind);
    this.value.push(value);
    this.extra.push(extra);
  }

  /** The first (`end` 0) or last (`end` 1) character the node at `i` writes, as mdast-util-to-markdown sees it. */
  edge(i: number, end: 0 | 1): string {
    const kind = this.kind[i] as number;
    if (kind === TEXT) {
      const v = this.value[i] as string;
      return v.charAt(end === 0 ? 0 : v.length - 1);
    }
    if (kind === ATTENTION) return (this.extra[i] as string).charAt(0);
    return (EDGES[kind] as string).charAt(end);
  }

  /** The phrasing written verbatim (as `plainPhrasing` would), or undefined when it needs escaping. */
  write(before: string, after: string): string | undefined {
    const n = this.kind.length;
    let out = '';
    let lineStart = true;
    for (let i = 0; i < n; i++) {
      const prev = i > 0 ? this.edge(i - 1, 1) : before;
      const next = i + 1 < n ? this.edge(i + 1, 0) : after;
      const value = this.value[i] as string;
      let piece: string | undefined;
      switch (this.kind[i]) {
        case TEXT:
          piece = plainText(value, prev, next, lineStart, i === n - 1);
          break;
        case BREAK:
          piece = '\\\n';
          break;
        case HTML_BR:
          piece = value;
          break;
        case ATTENTION:
          piece = plainAttentionText(value, this.extra[i] as string, prev, next);
          break;
        case INLINE_CODE:
          piece = plainCodeSpan(value);
          break;
        case INLINE_MATH:
          piece = plainMathSpan(value);
          break;
        default: {
          const url = this.extra[i] as string;
          const text =
            value === '' || !isPlainUrl(url) ? undefined : plainText(value, '[', ']', false, false);
          piece = text === undefined ? undefined : '[' + text + '](' + url + ')';
        }
      }
      if (piece === undefined) return undefined;
      out += piece;
      lineStart = this.kind[i] === BREAK;
    }
    return out;
  }

  hasBreak(): boolean {
    return this.kind.includes(BREAK);
  }
}

// ——— What a block's rich text says, for the native-form decisions ———

/** Whether every rich-text item is one `normalizeRichItem` reads as written (else the block is normalised first). */
function wellFormed(raw: unknown): boolean {
  if (!Array.isArray(raw)) return true;
  for (const r of raw as unknown[]) {
    if (!isRecord(r)) return false;
    const equation = r['equation'];
    if (isRecord(equation)) {
      if (typeof equation['expression'] !== 'string') return false;
    } else if (!isRecord(r['mention'])) {
      const text = r['text'];
      if (!isRecord(text) || typeof text['content'] !== 'string') return false;
    }
  }
  return true;
}

function items(raw: unknown): readonly Json[] {
  return Array.isArray(raw) ? (raw as Json[]) : [];
}

function contentOf(r: Json): string | undefined {
  const text = r['text'];
  return isRecord(r['equation']) || isRecord(r['mention']) || !isRecord(text)
    ? undefined
    : (text['content'] as string);
}

/** Whether the normal form of (well-formed) rich text has any item. */
function hasText(raw: unknown): boolean {
  return items(raw).some((r) => contentOf(r) !== '');
}

function hasNewline(raw: unknown): boolean {
  return items(raw).some((r) => contentOf(r)?.includes('\n') === true);
}

/** The concatenated text of the text items. */
function plainOf(raw: unknown): string {
  let out = '';
  for (const r of items(raw)) out += contentOf(r) ?? '';
  return out;
}

/** Whether every non-empty item is unformatted, unlinked text (code block text). */
function unformatted(raw: unknown): boolean {
  return items(raw).every((r) => {
    const content = contentOf(r);
    if (content === '') return true;
    const link = (r['text'] as Json | undefined)?.['link'];
    return (
      content !== undefined &&
      formatOf(r['annotations']) === PLAIN &&
      !(isRecord(link) && typeof link['url'] === 'string')
    );
  });
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
      return textKeysWithin(p, fetched, TODO_KEYS) && (kids === 0 || hasText(text));
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

// ——— Flow ———

/** One element of a flow: a run of list items, or one block (native or a directive). */
type Entry =
  | { list: true; ordered: boolean; start: number; items: AnyBlock[] }
  | { list: false; block: AnyBlock; native: boolean };

/** Group siblings as `blocksToFlow` does: consecutive native list items of one kind form a list. */
function group(nodes: readonly AnyBlock[]): Entry[] {
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
function emptyItem(b: AnyBlock): boolean {
  return !hasText(payloadOf(b)['rich_text']) && b.children.length === 0;
}

/** Every line of a quote's content behind `> ` (`>` alone on a blank line). */
function quoteLines(value: string): string {
  let out = '';
  let start = 0;
  for (;;) {
    const nl = value.indexOf('\n', start);
    const line = nl < 0 ? value.slice(start) : value.slice(start, nl);
    out += line === '' ? '>' : '> ' + line;
    if (nl < 0) return out;
    out += '\n';
    start = nl + 1;
  }
}

/** Lines that are not empty, after the first. */
const NON_EMPTY_LINE = /\n(?=[^\n])/g;

/** A list item's content behind its marker: `first` on the first line, `rest` on the others but blank ones. */
function indent(value: string, first: string, rest: string, blankFirst: string): string {
  if (value === '') return blankFirst;
  return (value.charCodeAt(0) === 10 ? blankFirst : first) + value.replace(NON_EMPTY_LINE, '\n' + rest);
}

const HEADING_MARKS: Record<string, string> = {
  heading_1: '#',
  heading_2: '##',
  heading_3: '###',
  heading_4: '####',
};
const HEADING_DEPTH: Record<string, 1 | 2 | 3 | 4> = {
  heading_1: 1,
  heading_2: 2,
  heading_3: 3,
  heading_4: 4,
};
const PLAIN_LANGUAGE = /^[A-Za-z0-9+#._-]+$/;
const PLAIN_META = /^[A-Za-z0-9+#._ -]+$/;

class Writer {
  /** The bullet of the list just written, while the next sibling may be another list (remark's `bulletLastUsed`). */
  private lastBullet: string | undefined;
  /** List items being written around the current position. */
  private itemDepth = 0;
  private readonly runs = new Runs();
  private readonly phrasing = new Phrasing();

  /** A flow of blocks at the top, in a quote or in a spread list item: blank lines between elements. */
  flow(entries: readonly Entry[], lead?: string): string {
    let out = lead ?? '';
    if (lead !== undefined) this.lastBullet = undefined;
    let first = lead === undefined;
    for (const entry of entries) {
      if (!first) out += '\n\n';
      first = false;
      out += this.entry(entry);
    }
    return out;
  }

  private entry(entry: Entry): string {
    if (entry.list) return this.list(entry);
    const text = entry.native ? this.native(entry.block) : this.directive(entry.block);
    this.lastBullet = undefined;
    return text;
  }

  /** Rich text written verbatim between `before` and `after`, or undefined when it needs escaping. */
  private text(raw: unknown, before: string, after: string): string | undefined {
    if (this.runs.read(raw)) {
      this.phrasing.build(this.runs);
      return this.phrasing.write(before, after);
    }
    return plainPhrasing(richTextToPhrasing(normalizeRichText(raw)), before, after, true, true);
  }

  /** The rich text of a paragraph (or list item, quote, directive), written as remark would. */
  private paragraph(raw: unknown): string {
    return (
      this.text(raw, '\n', '\n') ??
      viaRemark({ type: 'paragraph', children: richTextToPhrasing(normalizeRichText(raw)) })
    );
  }

  private heading(type: string, raw: unknown): string {
    if (this.runs.read(raw)) {
      this.phrasing.build(this.runs);
      const text = this.phrasing.write(' ', '\n');
      if (text !== undefined && text !== '' && !this.phrasing.hasBreak())
        return HEADING_MARKS[type] + ' ' + text;
    }
    const children: PhrasingContent[] = richTextToPhrasing(normalizeRichText(raw));
    const text = plainPhrasing(children, ' ', '\n', true, true);
    if (text === undefined || text === '' || children.some((c) => c.type === 'break'))
      return viaRemark({ type: 'heading', depth: HEADING_DEPTH[type] ?? 1, children });
    return HEADING_MARKS[type] + ' ' + text;
  }

  private native(b: AnyBlock): string {
    const type = typeOf(b);
    const p = payloadOf(b);
    switch (type) {
      case 'paragraph':
        return this.paragraph(p['rich_text']);
      case 'heading_1':
      case 'heading_2':
      case 'heading_3':
      case 'heading_4':
        return this.heading(type, p['rich_text']);
      case 'quote': {
        return quoteLines(this.flow(group(b.children), this.paragraph(p['rich_text'])));
      }
      case 'code':
        return this.code(b, p);
      case 'equation': {
        const value = p['expression'] as string;
        const sequence = fence(value, '$', 2);
        return sequence + '\n' + (value ? value + '\n' : '') + sequence;
      }
      case 'divider':
        return '---';
      case 'table':
        return this.table(b);
      default:
        return viaRemark(nativeBlock(normalOf(b)));
    }
  }

  private code(b: AnyBlock, p: Json): string {
    const language = p['language'] as string;
    const value = plainOf(p['rich_text']);
    const space = language.indexOf(' ');
    const plain = language === PLAIN_TEXT_LANGUAGE;
    const lang = plain ? undefined : space < 0 ? language : language.slice(0, space);
    const meta = plain || space < 0 ? undefined : language.slice(space + 1);
    if (lang !== undefined && (!PLAIN_LANGUAGE.test(lang) || (meta !== undefined && !PLAIN_META.test(meta))))
      return viaRemark(nativeBlock(normalOf(b)));
    const sequence = fence(value, '`', 3);
    const info = lang ? lang + (meta ? ' ' + meta : '') : '';
    return sequence + info + '\n' + (value ? value + '\n' : '') + sequence;
  }

  private table(b: AnyBlock): string {
    let out = '';
    let width = 0;
    for (const row of b.children as readonly AnyBlock[]) {
      const cells = payloadOf(row)['cells'] as unknown[];
      let line = '|';
      for (const cell of cells) {
        const text = this.text(cell, '|', '|');
        if (text === undefined || text === '') return viaRemark(nativeBlock(normalOf(b)));
        line += ' ' + text + ' |';
      }
      if (out === '') {
        width = cells.length;
        out = line + '\n|' + ' - |'.repeat(width);
      } else out += '\n' + line;
    }
    return out;
  }

  private list(entry: Entry & { list: true }): string {
    let bullet = entry.ordered ? '.' : '-';
    const other = entry.ordered ? ')' : '*';
    const different = this.lastBullet !== undefined && bullet === this.lastBullet;
    if (!entry.ordered) {
      const first = entry.items[0];
      if (first && emptyItem(first) && this.itemDepth > 0) throw new NeedsRemark();
      // remark also switches bullets when an item starts with a thematic break; a native item without
      // text has no children, so none does here.
    }
    if (different) bullet = other;
    let out = '';
    entry.items.forEach((item, i) => {
      const marker = entry.ordered ? String(entry.start > -1 ? entry.start + i : 1 + i) + bullet : bullet;
      if (i > 0) out += '\n';
      out += this.listItem(item, marker);
    });
    this.lastBullet = bullet;
    return out;
  }

  private listItem(b: AnyBlock, marker: string): string {
    const p = payloadOf(b);
    const text = hasText(p['rich_text']);
    const entries = group(b.children);
    this.itemDepth++;
    let body: string;
    let lead: string | undefined;
    if (text) {
      const task = typeOf(b) === 'to_do' ? (p['checked'] === true ? '[x] ' : '[ ] ') : '';
      lead = task + this.paragraph(p['rich_text']);
    }
    if (entries.every((e) => e.list)) body = this.tightFlow(entries as (Entry & { list: true })[], lead);
    else body = this.flow(entries, lead);
    this.itemDepth--;
    return indent(body, marker + ' ', ' '.repeat(marker.length + 1), marker);
  }

  /** A list item whose children are all lists: no blank lines, except where remark needs one. */
  private tightFlow(lists: readonly (Entry & { list: true })[], lead: string | undefined): string {
    let out = lead ?? '';
    if (lead !== undefined) this.lastBullet = undefined;
    lists.forEach((list, i) => {
      if (i > 0) out += '\n';
      else if (lead !== undefined) {
        const first = list.items[0];
        const blank = (list.ordered && list.start !== 1) || (first !== undefined && emptyItem(first));
        out += blank ? '\n\n' : '\n';
      }
      out += this.list(list);
    });
    return out;
  }

  private directive(b: AnyBlock): string {
    const type = typeOf(b);
    const { rich_text: text, ...attrs } = normalDataOf(b);
    const own = RICH_TEXT_TYPES.has(type) && Array.isArray(text) && text.length > 0;
    if (!own && b.children.length === 0) return openDirective(type, attrs, true);
    if (RICH_TEXT_TYPES.has(type) && !own) attrs['rich_text'] = [];
    let out = openDirective(type, attrs, false);
    this.lastBullet = undefined;
    const children = this.flow(group(b.children), own ? this.paragraph(text) : undefined);
    if (children !== '') out += '\n\n' + children;
    return out + '\n\n' + closeDirective(type);
  }
}

/**
 * Render blocks (fetched from Notion, or in normal form) as canonical markdown: byte-identical to
 * remark-stringify with the canonical options over `blocksToMdast` of their normal form.
 */
export function writeCanonical(nodes: readonly AnyBlock[]): string {
  let out: string;
  try {
    out = new Writer().flow(group(nodes));
  } catch (error) {
    if (error instanceof NeedsRemark) return stringifyMarkdown(blocksToMdast(nodes.map(normalOf)));
    throw error;
  }
  return out === '' || out.endsWith('\n') ? out : out + '\n';
}
