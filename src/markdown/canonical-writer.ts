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
import { RICH_TEXT_TYPES, normalizeRichText } from './block-node.js';
import { closeDirective, openDirective } from './block-directive.js';
import { PLAIN_TEXT_LANGUAGE, blocksToMdast, nativeBlock } from './block-tree-to-mdast.js';
import type { AnyBlock, Entry } from './canonical-blocks.js';
import { emptyItem, group, normalDataOf, normalOf, payloadOf, typeOf } from './canonical-blocks.js';
import { RichTextWriter, hasText, plainOf } from './canonical-rich-text.js';
import { stringifyMarkdown } from './markdown-processor.js';
import { NeedsRemark, fence, plainPhrasing, viaRemark } from './plain-phrasing.js';
import { richTextToPhrasing } from './rich-text-mdast.js';

export type { AnyBlock } from './canonical-blocks.js';

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
  const head = value.charCodeAt(0) === 10 ? blankFirst : first;
  // Most items are one line: no other line to indent.
  return value.indexOf('\n') < 0 ? head + value : head + value.replace(NON_EMPTY_LINE, '\n' + rest);
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
  private readonly rich = new RichTextWriter();
  /** Whether the last paragraph written spans several lines. */
  private multiline = false;

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

  /** The rich text of a paragraph (or list item, quote, directive), written as remark would. */
  private paragraph(raw: unknown): string {
    const direct = this.rich.write(raw, '\n', '\n');
    if (direct !== undefined) {
      this.multiline = this.rich.multiline;
      return direct;
    }
    const text = viaRemark({ type: 'paragraph', children: richTextToPhrasing(normalizeRichText(raw)) });
    this.multiline = text.includes('\n');
    return text;
  }

  private heading(type: string, raw: unknown): string {
    const direct = this.rich.write(raw, ' ', '\n');
    // A native heading has no line break, so its phrasing has no break node.
    if (direct !== undefined && direct !== '') return HEADING_MARKS[type] + ' ' + direct;
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

  private code(b: AnyBlock, p: Record<string, unknown>): string {
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
        const text = this.rich.write(cell, '|', '|');
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
      if (entries.length === 0 && !this.multiline) {
        // One line, nothing below it: nothing to indent.
        this.itemDepth--;
        this.lastBullet = undefined;
        return marker + ' ' + lead;
      }
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
