import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BlockNode, RichAnnotations, RichItem } from '../../src/markdown/block-node.js';
import { contentOf, normalizeRichText } from '../../src/markdown/block-node.js';
import { blockNodesToMarkdown, requestBlocksToMarkdown } from '../../src/markdown/blocks-to-markdown.js';
import { markdownToBlockTree, markdownToBlocks } from '../../src/markdown/markdown-to-blocks.js';
import { canonicalDocument } from './canonical-arbitraries.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/markdown');

describe(markdownToBlocks, () => {
  it('round-trips generated canonical documents: markdown → blocks → markdown is identical', () => {
    fc.assert(
      fc.property(canonicalDocument, (doc) => {
        const markdown = blockNodesToMarkdown(doc);
        // The parse must recover exactly the generated tree…
        expect(markdownToBlockTree(markdown).map(contentOf)).toEqual(doc.map(contentOf));
        // …and the SDK requests must render back to the very same markdown.
        expect(requestBlocksToMarkdown(markdownToBlocks(markdown))).toBe(markdown);
      }),
      { numRuns: 30, seed: 20261122 },
    );
  }, 120_000);

  const corpus = readdirSync(FIXTURES).filter((f) => f.endsWith('.md'));
  it('has a real-world corpus to check', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(4);
  });
  it.each(corpus)('round-trips the corpus file %s unchanged', (file) => {
    const markdown = readFileSync(join(FIXTURES, file), 'utf8');
    expect(requestBlocksToMarkdown(markdownToBlocks(markdown))).toBe(markdown);
  });
});

describe(blockNodesToMarkdown, () => {
  const t = (content: string, annotations?: RichAnnotations): RichItem =>
    annotations ? { type: 'text', text: { content }, annotations } : { type: 'text', text: { content } };
  const cases: [string, RichItem[]][] = [
    ['leading space', [t(' leading')]],
    ['trailing space', [t('trailing ')]],
    ['bold with a trailing space', [t('a '), t('bold ', { bold: true }), t('x')]],
    ['only spaces', [t('   ')]],
    ['a trailing backslash', [t('ends with backslash\\')]],
    ['a blank line inside', [t('two\n\nnewlines')]],
    ['a leading newline', [t('\nstarts with newline')]],
    ['a trailing newline', [t('ends with newline\n')]],
    ['a bold trailing newline', [t('x'), t('bold\n\n', { bold: true })]],
    ['a bold asterisk', [t('*', { bold: true })]],
    ['italic punctuation after a letter', [t('a'), t('.b', { italic: true })]],
    ['code with backticks', [t('`tick`', { code: true })]],
    ['code with spaces', [t(' code ', { code: true })]],
    ['list-like text', [t('1. not a list')]],
    ['heading-like text', [t('# not heading')]],
    ['double spaces', [t('a  b  double spaces')]],
    ['an entity', [t('&amp; entity')]],
    ['a directive-like text', [t('<!-- notion:paragraph /-->')]],
    ['a literal <br>', [t('a <br> b')]],
    ['a space after a line break', [t('a\n b')]],
    ['a space before a line break', [t('a \nb')]],
    ['a line break inside bold', [t('x'), t('bo\nld', { bold: true })]],
    ['a line break inside code', [t('co\nde\n', { code: true })]],
  ];
  it.each(cases)('keeps rich text with %s in paragraphs, list items and headings', (_name, richText) => {
    for (const type of ['paragraph', 'bulleted_list_item', 'heading_2', 'quote']) {
      // Blocks reach the renderer in normal form (as nodeFromFetched / nodeFromRequest produce them).
      const node: BlockNode = { type, data: { rich_text: normalizeRichText(richText) }, children: [] };
      expect(markdownToBlockTree(blockNodesToMarkdown([node])).map(contentOf)).toEqual([contentOf(node)]);
    }
  });

  it('keeps empty list items and to-dos (checked or not) as what they were', () => {
    const t: RichItem[] = [{ type: 'text', text: { content: 'task' } }];
    const item = (type: string, rich_text: RichItem[], checked?: boolean): BlockNode => ({
      type,
      data: checked === undefined ? { rich_text } : { rich_text, checked },
      children: [],
    });
    const nodes = [
      item('to_do', t, false),
      item('to_do', [], false),
      item('to_do', [], true),
      item('to_do', t, true),
      item('bulleted_list_item', []),
      item('numbered_list_item', t),
      item('numbered_list_item', []),
    ];
    expect(markdownToBlockTree(blockNodesToMarkdown(nodes)).map(contentOf)).toEqual(nodes.map(contentOf));
  });
});
