/**
 * A direct serializer for the canonical mdast subset that block-tree-to-mdast.ts produces. It writes
 * exactly what remark-stringify writes with the canonical options (markdown-processor.ts), without
 * remark's per-node escaping machinery, for the common case; anything it cannot prove it writes
 * identically goes through remark instead:
 *
 * - a paragraph, heading or table whose text needs escaping (any character markdown could read as
 *   syntax there) is written by remark alone; such a piece is context-free (its escaping depends only
 *   on itself), so splicing remark's output in is exact;
 * - a rare structural case (an empty first item of a nested bullet list) makes the whole document go
 *   through remark.
 *
 * The property test (test/markdown/canonical-serializer.test.ts) asserts equality with remark-stringify
 * on generated documents and on the corpus.
 * @module
 */
import type {
  Blockquote,
  Code,
  Heading,
  List,
  ListItem,
  Paragraph,
  PhrasingContent,
  Root,
  RootContent,
  Table,
} from 'mdast';
import { stringifyMarkdown } from './markdown-processor.js';

/** Thrown inside the serializer when the whole document must go through remark. */
export class NeedsRemark extends Error {}

/** Characters a text node may hold and still be written verbatim (no markdown meaning anywhere). */
// Control characters are exactly what must not pass (tabs and line endings have markdown meaning).
// eslint-disable-next-line no-control-regex
const PLAIN_TEXT = /^[^\0-\x1f\x7f!#$&*<>@[\\\]^_`{|}~]+$/;
/** GFM autolink literals (`www.`, `http:/`) that remark escapes. */
const AUTOLINK_LIKE = /[Ww]\.[-.\w]|[ps]:\//;
/** A line that starts like this needs no escaping (no list marker, no leading space). */
const SAFE_LINE_START = /^(?:\p{L}|\d+(?![\d.)]))/u;
const WORD_EDGE = /^[\p{L}\p{N}]$/u;
/** Characters outside emphasis that cannot join or break its delimiter run (whitespace, punctuation but markers). */
const ATTENTION_OUTSIDE = /^[\s,;?'"%.:/()=+\-[\]<>`$!]$/u;
const PLAIN_URL = /^[A-Za-z0-9\-._~:/?#=%+,;]+$/;
const PLAIN_CODE_SPAN = /^[^`\r\n|]+$/;
const PLAIN_MATH_SPAN = /^[^$\r\n|]+$/;
const PLAIN_LANGUAGE = /^[A-Za-z0-9+#._-]+$/;
const PLAIN_META = /^[A-Za-z0-9+#._ -]+$/;

/** First and last character of a phrasing node's output, when it is written verbatim. */
function edgeChars(node: PhrasingContent): [string, string] {
  switch (node.type) {
    case 'text':
      return [node.value.charAt(0), node.value.charAt(node.value.length - 1)];
    case 'strong':
    case 'emphasis':
      return ['*', '*'];
    case 'delete':
      return ['~', '~'];
    case 'inlineCode':
      return ['`', '`'];
    case 'inlineMath':
      return ['$', '$'];
    case 'link':
      return ['[', ')'];
    case 'html':
      return [node.value.charAt(0), node.value.charAt(node.value.length - 1)];
    case 'break':
      return ['\\', '\n'];
    default:
      return ['', ''];
  }
}

function spaced(value: string): boolean {
  return /^[\n\r ]/.test(value) && /[\n\r ]$/.test(value);
}

/**
 * Phrasing content written verbatim, or undefined when remark would escape or encode anything in it.
 * `before`/`after` are the characters around it; `lineStart` whether it begins a line.
 */
export function plainPhrasing(
  children: readonly PhrasingContent[],
  before: string,
  after: string,
  lineStart: boolean,
  top: boolean,
): string | undefined {
  let out = '';
  let atLineStart = lineStart;
  for (let i = 0; i < children.length; i++) {
    const node = children[i] as PhrasingContent;
    const prev = i > 0 ? edgeChars(children[i - 1] as PhrasingContent)[1] : before;
    const next = i + 1 < children.length ? edgeChars(children[i + 1] as PhrasingContent)[0] : after;
    const piece = plainNode(node, prev, next, atLineStart, top && i === children.length - 1);
    if (piece === undefined) return undefined;
    out += piece;
    atLineStart = node.type === 'break';
  }
  return out;
}

function plainAttention(
  children: readonly PhrasingContent[],
  marker: string,
  prev: string,
  next: string,
): string | undefined {
  const only = children[0];
  if (children.length !== 1 || only?.type !== 'text') return undefined;
  return plainAttentionText(only.value, marker, prev, next);
}

/** `value` inside emphasis-like `marker`s (`**`, `*`, `~~`), written verbatim, or undefined. */
export function plainAttentionText(
  value: string,
  marker: string,
  prev: string,
  next: string,
): string | undefined {
  if (!WORD_EDGE.test(value.charAt(0)) || !WORD_EDGE.test(value.charAt(value.length - 1))) return undefined;
  if (!ATTENTION_OUTSIDE.test(prev) || !ATTENTION_OUTSIDE.test(next)) return undefined;
  const inner = plainText(value, marker.charAt(0), marker.charAt(0), false, false);
  return inner === undefined ? undefined : marker + inner + marker;
}

/**
 * A text node written verbatim, or undefined when remark would escape anything in it. `prev`/`next`
 * are the characters around it; `lineStart` whether it begins a line; `last` whether it ends the block.
 */
export function plainText(
  value: string,
  prev: string,
  next: string,
  lineStart: boolean,
  last: boolean,
): string | undefined {
  if (!PLAIN_TEXT.test(value) || autolinkLike(prev, value, next)) return undefined;
  if (lineStart && !SAFE_LINE_START.test(value)) return undefined;
  if (last && value.endsWith(' ')) return undefined;
  return value;
}

/** Whether `prev + value + next` holds something remark escapes as a possible GFM autolink literal. */
function autolinkLike(prev: string, value: string, next: string): boolean {
  // The pattern spans at most 3 characters: test the edges with their neighbours, without copying the value.
  if (value.length < 3) return AUTOLINK_LIKE.test(prev + value + next);
  return (
    AUTOLINK_LIKE.test(value) ||
    AUTOLINK_LIKE.test(prev + value.slice(0, 2)) ||
    AUTOLINK_LIKE.test(value.slice(-2) + next)
  );
}

/** An inline code span written verbatim, or undefined. */
export function plainCodeSpan(value: string): string | undefined {
  return PLAIN_CODE_SPAN.test(value) && !spaced(value) ? '`' + value + '`' : undefined;
}

/** An inline math span written verbatim, or undefined. */
export function plainMathSpan(value: string): string | undefined {
  return PLAIN_MATH_SPAN.test(value) && !spaced(value) ? '$' + value + '$' : undefined;
}

/** Whether a link destination is written verbatim (no `<…>`, no escapes). */
export function isPlainUrl(url: string): boolean {
  return PLAIN_URL.test(url);
}

function plainNode(
  node: PhrasingContent,
  prev: string,
  next: string,
  lineStart: boolean,
  last: boolean,
): string | undefined {
  switch (node.type) {
    case 'text':
      return plainText(node.value, prev, next, lineStart, last);
    case 'strong':
      return plainAttention(node.children, '**', prev, next);
    case 'emphasis':
      return plainAttention(node.children, '*', prev, next);
    case 'delete':
      return plainAttention(node.children, '~~', prev, next);
    case 'inlineCode':
      return plainCodeSpan(node.value);
    case 'inlineMath':
      return plainMathSpan(node.value);
    case 'break':
      return '\\\n';
    case 'html':
      return node.value;
    case 'link': {
      if (node.title != null || node.children.length === 0 || !isPlainUrl(node.url)) return undefined;
      const text = plainPhrasing(node.children, '[', ']', false, false);
      return text === undefined ? undefined : '[' + text + '](' + node.url + ')';
    }
    default:
      return undefined;
  }
}

/** remark's own output for one flow node (without the final newline). */
export function viaRemark(node: RootContent): string {
  return stringifyMarkdown({ type: 'root', children: [node] }).replace(/\n$/, '');
}

/** A port of mdast-util-to-markdown's `htmlKind` for the values the canonical form emits. */
function htmlKind(value: string): number | undefined {
  if (!value.startsWith('<')) return undefined;
  if (value.startsWith('<!--')) return 2;
  // Canonical flow HTML is always a directive comment; anything else is not decided here.
  throw new NeedsRemark();
}

/** A port of mdast-util-to-markdown's default join rule, for the canonical subset (fenced code, ATX headings). */
function blankLinesBetween(left: RootContent, right: RootContent, parent: Root | RootContent): number {
  if (!('spread' in parent) || typeof parent.spread !== 'boolean') return 1;
  if (parent.spread) return 1;
  if (left.type === 'html') {
    const kind = htmlKind(left.value);
    if (kind === undefined || kind === 6 || kind === 7) return 1;
  }
  if (left.type === 'blockquote' && right.type === 'blockquote') return 1;
  if (
    left.type === 'paragraph' &&
    right.type === 'list' &&
    ((right.ordered && typeof right.start === 'number' && right.start !== 1) ||
      (right.children.length > 0 && right.children[0]?.children.length === 0))
  ) {
    return 1;
  }
  if (left.type === 'paragraph' && right.type === 'thematicBreak') return 1;
  let tail: RootContent = left;
  while (
    (tail.type === 'blockquote' || tail.type === 'list' || tail.type === 'listItem') &&
    tail.children.length > 0
  ) {
    tail = tail.children[tail.children.length - 1] as RootContent;
  }
  const leftIsTail = tail === left;
  if (tail.type !== 'paragraph') return 0;
  if (right.type === 'html') {
    const kind = htmlKind(right.value);
    if (kind === undefined || kind === 7) return 1;
  }
  if ((left.type === 'paragraph' || !leftIsTail) && right.type === 'paragraph') return 1;
  return 0;
}

function indent(value: string, first: string, rest: string, blankFirst: string): string {
  return value
    .split('\n')
    .map((line, i) => (i === 0 ? (line === '' ? blankFirst : first + line) : line === '' ? '' : rest + line))
    .join('\n');
}

class Writer {
  /** The bullet of the list just written, while the next sibling may be another list (remark's `bulletLastUsed`). */
  private lastBullet: string | undefined;
  /** Types of the containers being written, outermost first. */
  private readonly stack: string[] = [];

  flow(parent: Root | (RootContent & { children: RootContent[] })): string {
    const children = parent.children as RootContent[];
    let out = '';
    this.stack.push(parent.type);
    for (let i = 0; i < children.length; i++) {
      const child = children[i] as RootContent;
      out += this.node(child, parent);
      if (child.type !== 'list') this.lastBullet = undefined;
      if (i < children.length - 1) {
        out += '\n'.repeat(1 + blankLinesBetween(child, children[i + 1] as RootContent, parent));
      }
    }
    this.stack.pop();
    return out;
  }

  private node(node: RootContent, parent: Root | RootContent): string {
    switch (node.type) {
      case 'paragraph':
        return this.paragraph(node, parent);
      case 'heading':
        return this.heading(node);
      case 'thematicBreak':
        return '---';
      case 'html':
        return node.value;
      case 'code':
        return this.code(node);
      case 'math':
        return (
          fence(node.value, '$', 2) + '\n' + (node.value ? node.value + '\n' : '') + fence(node.value, '$', 2)
        );
      case 'blockquote':
        return this.blockquote(node);
      case 'list':
        return this.list(node);
      case 'table':
        return this.table(node);
      default:
        throw new NeedsRemark();
    }
  }

  private paragraph(node: Paragraph, parent: Root | RootContent): string {
    const task =
      parent.type === 'listItem' && typeof parent.checked === 'boolean' && parent.children[0] === node
        ? '[' + (parent.checked ? 'x' : ' ') + '] '
        : '';
    if (task !== '' && node.children.length === 0) throw new NeedsRemark();
    const text = plainPhrasing(node.children, '\n', '\n', true, true);
    return task + (text ?? viaRemark(node));
  }

  private heading(node: Heading): string {
    const text = plainPhrasing(node.children, ' ', '\n', true, true);
    if (text === undefined || text === '' || node.children.some((c) => c.type === 'break'))
      return viaRemark(node);
    return '#'.repeat(node.depth) + ' ' + text;
  }

  private code(node: Code): string {
    if (node.lang != null && !PLAIN_LANGUAGE.test(node.lang)) return viaRemark(node);
    if (node.lang != null && node.meta != null && !PLAIN_META.test(node.meta)) return viaRemark(node);
    const sequence = fence(node.value, '`', 3);
    let head = sequence;
    if (node.lang) head += node.lang + (node.meta ? ' ' + node.meta : '');
    return head + '\n' + (node.value ? node.value + '\n' : '') + sequence;
  }

  private blockquote(node: Blockquote): string {
    return this.flow(node)
      .split('\n')
      .map((line) => (line === '' ? '>' : '> ' + line))
      .join('\n');
  }

  private list(node: List): string {
    let bullet = node.ordered ? '.' : '-';
    const other = node.ordered ? ')' : '*';
    let different = this.lastBullet !== undefined && bullet === this.lastBullet;
    if (!node.ordered) {
      const first = node.children[0];
      if (first && first.children.length === 0 && this.stack.includes('listItem')) {
        throw new NeedsRemark();
      }
      if (node.children.some((item) => item.children[0]?.type === 'thematicBreak')) different = true;
    }
    if (different) bullet = other;
    const items = node.children.map((item, i) => {
      const marker = node.ordered
        ? String((node.start ?? 1) > -1 ? (node.start ?? 1) + i : 1 + i) + bullet
        : bullet;
      return this.listItem(item, marker);
    });
    let out = '';
    for (let i = 0; i < items.length; i++) {
      out += items[i];
      if (i < items.length - 1) {
        out += '\n'.repeat(
          1 + blankLinesBetween(node.children[i] as ListItem, node.children[i + 1] as ListItem, node),
        );
      }
    }
    this.lastBullet = bullet;
    return out;
  }

  private listItem(item: ListItem, marker: string): string {
    return indent(this.flow(item), marker + ' ', ' '.repeat(marker.length + 1), marker);
  }

  private table(node: Table): string {
    const rows: string[] = [];
    for (const row of node.children) {
      const cells: string[] = [];
      for (const cell of row.children) {
        const text = plainPhrasing(cell.children, '|', '|', true, true);
        if (text === undefined || text === '') return viaRemark(node);
        cells.push(text);
      }
      rows.push('| ' + cells.join(' | ') + ' |');
    }
    const width = node.children[0]?.children.length ?? 0;
    if (node.children.some((row) => row.children.length !== width) || width === 0) return viaRemark(node);
    const delimiter = '| ' + Array.from({ length: width }, () => '-').join(' | ') + ' |';
    return [rows[0], delimiter, ...rows.slice(1)].join('\n');
  }
}

/** The fence for `value`: `marker` repeated once more than its longest run in the value, at least `min` times. */
export function fence(value: string, marker: string, min: number): string {
  let longest = 0;
  let run = 0;
  for (const ch of value) {
    run = ch === marker ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return marker.repeat(Math.max(longest + 1, min));
}

/**
 * Serialise a canonical mdast tree (as produced by `blocksToMdast`) exactly as remark-stringify with the
 * canonical options would, much faster: text that needs no escaping is written directly.
 */
export function serializeCanonical(root: Root): string {
  let out: string;
  try {
    out = new Writer().flow(root);
  } catch (error) {
    if (error instanceof NeedsRemark) return stringifyMarkdown(root);
    throw error;
  }
  return out === '' || out.endsWith('\n') ? out : out + '\n';
}
