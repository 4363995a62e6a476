/**
 * The one unified pipeline (remark-parse + GFM + math, remark-stringify) with the canonical
 * stringify settings of docs/markdown.md.
 */
import type { Root } from 'mdast';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import remarkStringify from 'remark-stringify';
import { parseDirective } from './block-directive.js';

const parser = unified().use(remarkParse).use(remarkGfm).use(remarkMath);

const stringifier = unified().use(remarkGfm, { tablePipeAlign: false }).use(remarkMath).use(remarkStringify, {
  bullet: '-',
  bulletOrdered: '.',
  emphasis: '*',
  strong: '*',
  fence: '`',
  fences: true,
  rule: '-',
  listItemIndent: 'one',
  incrementListMarker: true,
  resourceLink: true,
});

/** Characters per parse chunk: micromark's cost grows faster than linearly on very large inputs. */
const PARSE_CHUNK_CHARS = 16_384;

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,}|\${2,})/;
/** A line that cannot continue the block before a blank line (no list item, quote or indented content). */
const SAFE_START = /^[^\s>*+\-0-9]/;

/**
 * Cut markdown into pieces that parse to the same top-level blocks as the whole, and that convert to
 * blocks on their own: only at a blank line outside fenced code, math, HTML comments and container
 * directives (`<!-- notion:callout -->` … `<!-- /notion:callout -->`), before a line that starts a new
 * block on its own. Documents with link or footnote definitions are not cut (references resolve across
 * the document).
 */
export function splitTopLevel(markdown: string, targetChars: number = PARSE_CHUNK_CHARS): string[] {
  if (markdown.length <= targetChars || /^ {0,3}\[[^\]]+\]:/m.test(markdown) || markdown.includes('[^')) {
    return [markdown];
  }
  const lines = markdown.split('\n');
  const chunks: string[] = [];
  let start = 0;
  let size = 0;
  let fence: { char: string; length: number } | undefined;
  let inComment = false;
  /** Container directives open at this line. */
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    size += line.length + 1;
    if (fence) {
      const close = FENCE_OPEN.exec(line);
      if (
        close &&
        close[1]?.[0] === fence.char &&
        close[1].length >= fence.length &&
        line.trim() === close[1]
      )
        fence = undefined;
      continue;
    }
    if (inComment) {
      if (line.includes('-->')) inComment = false;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (open?.[1]) {
      fence = { char: open[1][0] as string, length: open[1].length };
      continue;
    }
    const comment = line.lastIndexOf('<!--');
    if (comment >= 0 && !line.includes('-->', comment)) {
      inComment = true;
      continue;
    }
    if (comment >= 0) {
      const directive = parseDirective(line);
      if (directive?.kind === 'close') depth = Math.max(0, depth - 1);
      else if (directive?.kind === 'open' && !directive.selfClosing) depth++;
    }
    const next = lines[i + 1];
    if (
      depth === 0 &&
      size >= targetChars &&
      line.trim() === '' &&
      next !== undefined &&
      SAFE_START.test(next)
    ) {
      chunks.push(lines.slice(start, i + 1).join('\n'));
      start = i + 1;
      size = 0;
    }
  }
  chunks.push(lines.slice(start).join('\n'));
  return chunks;
}

/** Parse markdown (GFM + `$` math) into mdast, in top-level chunks so that time stays linear in size. */
export function parseMarkdown(markdown: string): Root {
  const chunks = splitTopLevel(markdown);
  if (chunks.length === 1) return parser.parse(markdown);
  return { type: 'root', children: chunks.flatMap((chunk) => parser.parse(chunk).children) };
}

/**
 * Parse markdown chunk by chunk (see {@link splitTopLevel}) and hand each chunk's mdast to `convert`
 * before parsing the next, so only one chunk's syntax tree is alive at a time (less garbage-collector
 * work on large documents). Chunks never cut a container directive, so each converts on its own.
 */
export function mapMarkdownChunks<T>(markdown: string, convert: (root: Root) => T[]): T[] {
  const out: T[] = [];
  for (const chunk of splitTopLevel(markdown)) {
    for (const item of convert(parser.parse(chunk))) out.push(item);
  }
  return out;
}

/** Serialise mdast in the canonical form. */
export function stringifyMarkdown(root: Root): string {
  return stringifier.stringify(root);
}
