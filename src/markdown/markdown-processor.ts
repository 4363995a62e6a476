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

/** Parse markdown (GFM + `$` math) into mdast. */
export function parseMarkdown(markdown: string): Root {
  return parser.parse(markdown);
}

/** Serialise mdast in the canonical form. */
export function stringifyMarkdown(root: Root): string {
  return stringifier.stringify(root);
}
