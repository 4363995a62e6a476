/**
 * When remark-stringify writes phrasing verbatim. The canonical writer (canonical-writer.ts) writes text
 * directly only where these rules prove that remark-stringify, with the canonical options
 * (markdown-processor.ts), would write the very same characters: no escape, no character reference, no
 * different marker. Anything else is written by remark itself, one block at a time (`viaRemark`); a
 * paragraph, heading or table is context-free (its escaping depends only on itself), so splicing is
 * exact.
 * @module
 */
import type { PhrasingContent, RootContent } from 'mdast';
import { stringifyMarkdown } from './markdown-processor.js';

/** Thrown inside the writer when the whole document must go through remark. */
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

/** `pattern`'s answer for each one-character ASCII string, computed from the pattern itself. */
function asciiTable(pattern: RegExp): boolean[] {
  return Array.from({ length: 128 }, (_, code) => pattern.test(String.fromCharCode(code)));
}
const ASCII_WORD_EDGE = asciiTable(WORD_EDGE);
const ASCII_ATTENTION_OUTSIDE = asciiTable(ATTENTION_OUTSIDE);

/** `pattern.test(char)` for a one-character string, by table lookup for ASCII (the common case). */
function testChar(char: string, pattern: RegExp, ascii: readonly boolean[]): boolean {
  const code = char.charCodeAt(0);
  return code < 128 ? (ascii[code] as boolean) : pattern.test(char);
}

/** `SAFE_LINE_START.test(value)`, decided by the first character where it can be. */
function safeLineStart(value: string): boolean {
  const code = value.charCodeAt(0);
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return true;
  return (code >= 48 && code <= 57) || code >= 128 ? SAFE_LINE_START.test(value) : false;
}

const PLAIN_URL = /^[A-Za-z0-9\-._~:/?#=%+,;]+$/;
const PLAIN_CODE_SPAN = /^[^`\r\n|]+$/;
const PLAIN_MATH_SPAN = /^[^$\r\n|]+$/;

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
  if (
    !testChar(value.charAt(0), WORD_EDGE, ASCII_WORD_EDGE) ||
    !testChar(value.charAt(value.length - 1), WORD_EDGE, ASCII_WORD_EDGE)
  )
    return undefined;
  if (
    !testChar(prev, ATTENTION_OUTSIDE, ASCII_ATTENTION_OUTSIDE) ||
    !testChar(next, ATTENTION_OUTSIDE, ASCII_ATTENTION_OUTSIDE)
  )
    return undefined;
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
  if (lineStart && !safeLineStart(value)) return undefined;
  if (last && value.endsWith(' ')) return undefined;
  return value;
}

/** Whether `prev + value + next` holds something remark escapes as a possible GFM autolink literal. */
function autolinkLike(prev: string, value: string, next: string): boolean {
  if (value.length < 3) return AUTOLINK_LIKE.test(prev + value + next);
  if (autolinkInside(value)) return true;
  // The pattern is 3 characters with `.` or `:` in the middle: a match across an edge has one there.
  const first = value.charAt(0);
  const last = value.charAt(value.length - 1);
  return (
    ((first === '.' || first === ':') && AUTOLINK_LIKE.test(prev + value.slice(0, 2))) ||
    ((last === '.' || last === ':') && AUTOLINK_LIKE.test(value.slice(-2) + next))
  );
}

/** `AUTOLINK_LIKE.test(value)` by looking only around its `.` and `:` characters (found by indexOf). */
function autolinkInside(value: string): boolean {
  const end = value.length - 1;
  for (let i = value.indexOf('.', 1); i > 0 && i < end; i = value.indexOf('.', i + 1)) {
    const before = value.charCodeAt(i - 1);
    if ((before === 87 || before === 119) && isAutolinkTail(value.charCodeAt(i + 1))) return true;
  }
  for (let i = value.indexOf(':', 1); i > 0 && i < end; i = value.indexOf(':', i + 1)) {
    const before = value.charCodeAt(i - 1);
    if ((before === 112 || before === 115) && value.charCodeAt(i + 1) === 47) return true;
  }
  return false;
}

/** `[-.\w]` (ASCII word characters, `-` and `.`). */
function isAutolinkTail(code: number): boolean {
  return (
    code === 45 ||
    code === 46 ||
    code === 95 ||
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122)
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
