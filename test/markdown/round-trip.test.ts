import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentOf } from '../../src/markdown/block-node.js';
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
