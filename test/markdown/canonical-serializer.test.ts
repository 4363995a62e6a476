import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDocument } from '../../bench/markdown-corpus.js';
import type { BlockNode, RichAnnotations, RichItem } from '../../src/markdown/block-node.js';
import { nodeFromRequest, normalizeRichText } from '../../src/markdown/block-node.js';
import { blocksToMdast } from '../../src/markdown/block-tree-to-mdast.js';
import { serializeCanonical } from '../../src/markdown/canonical-serializer.js';
import { stringifyMarkdown } from '../../src/markdown/markdown-processor.js';
import { markdownToBlocks } from '../../src/markdown/markdown-to-blocks.js';
import { canonicalDocument } from './canonical-arbitraries.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/markdown');

/** The reference: remark-stringify with the canonical options. */
function expectSameAsRemark(nodes: readonly BlockNode[]): void {
  const root = blocksToMdast(nodes);
  expect(serializeCanonical(root)).toBe(stringifyMarkdown(root));
}

/**
 * Rich text close to what the direct path writes verbatim: words over letters, digits, non-ASCII and the
 * ASCII punctuation it accepts, so the generated cases sit on both sides of every fast-path rule.
 */
const nearPlainWord = fc
  .array(fc.constantFrom(...'aaaabbbcw1209 .,:;/()-+=?\'"%é—漢\u00a0'.split('')), {
    minLength: 1,
    maxLength: 7,
  })
  .map((cs) => cs.join(''));
const nearPlainAnnotations: fc.Arbitrary<RichAnnotations | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<RichAnnotations>({ bold: true }, { italic: true }, { strikethrough: true }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<RichAnnotations>(
      { code: true },
      { bold: true, italic: true },
      { color: 'red' },
    ),
  },
);
const nearPlainItem: fc.Arbitrary<RichItem> = fc
  .record({
    content: fc.array(nearPlainWord, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' ')),
    annotations: nearPlainAnnotations,
    link: fc.option(
      fc.constantFrom('https://example.com/a', 'https://www.example.com/x?y=1', 'notion-mention:page:1'),
      {
        nil: undefined,
        freq: 5,
      },
    ),
    newline: fc.boolean(),
  })
  .map(({ content, annotations, link, newline }): RichItem => {
    const text = newline ? content + '\n' : content;
    const item: RichItem = {
      type: 'text',
      text: link ? { content: text, link: { url: link } } : { content: text },
    };
    return annotations ? { ...item, annotations } : item;
  });
const nearPlainText = fc.array(nearPlainItem, { minLength: 1, maxLength: 6 }).map(normalizeRichText);
const nearPlainTable: fc.Arbitrary<BlockNode> = fc
  .array(fc.array(nearPlainText, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 3 })
  .map((rows) => ({
    type: 'table',
    data: { table_width: 2, has_column_header: true, has_row_header: false },
    children: rows.map((cells) => ({ type: 'table_row', data: { cells }, children: [] })),
  }));
const TEXT_TYPES = [
  'paragraph',
  'heading_1',
  'heading_3',
  'quote',
  'bulleted_list_item',
  'to_do',
  'numbered_list_item',
];
/** A near-plain block with children up to `depth` levels (lists, to-dos and quotes nest). */
function nearPlainBlock(depth: number): fc.Arbitrary<BlockNode> {
  const children = depth > 0 ? fc.array(nearPlainBlock(depth - 1), { maxLength: 3 }) : fc.constant([]);
  const textBlock = fc
    .record({ type: fc.constantFrom(...TEXT_TYPES), text: nearPlainText, children, checked: fc.boolean() })
    .map(({ type, text, children: kids, checked }): BlockNode => ({
      type,
      data: type === 'to_do' ? { rich_text: text, checked } : { rich_text: text },
      children: type.endsWith('list_item') || type === 'to_do' || type === 'quote' ? [...kids] : [],
    }));
  return fc.oneof({ weight: 5, arbitrary: textBlock }, { weight: 1, arbitrary: nearPlainTable });
}

describe(serializeCanonical, () => {
  it('writes exactly what remark-stringify writes for generated canonical documents', () => {
    fc.assert(fc.property(canonicalDocument, expectSameAsRemark), { numRuns: 60, seed: 20261122 });
  }, 120_000);

  it('writes exactly what remark-stringify writes for near-plain documents (both sides of every fast-path rule)', () => {
    fc.assert(fc.property(fc.array(nearPlainBlock(3), { minLength: 1, maxLength: 8 }), expectSameAsRemark), {
      numRuns: 200,
      seed: 7,
    });
  }, 120_000);

  const corpus = readdirSync(FIXTURES).filter((f) => f.endsWith('.md'));
  it.each(corpus)('writes the corpus file %s exactly as remark-stringify does', (file) => {
    expectSameAsRemark(markdownToBlocks(readFileSync(join(FIXTURES, file), 'utf8')).map(nodeFromRequest));
  });

  it.each([1, 2, 3])(
    'writes the generated bench document (seed %i) exactly as remark-stringify does',
    (seed) => {
      const markdown = generateDocument(20_000, seed);
      const nodes = markdownToBlocks(markdown).map(nodeFromRequest);
      expectSameAsRemark(nodes);
      expect(serializeCanonical(blocksToMdast(nodes))).toBe(markdown);
    },
  );
});
