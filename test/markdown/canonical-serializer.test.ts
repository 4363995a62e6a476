import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDocument } from '../../bench/markdown-corpus.js';
import type { BlockNode } from '../../src/markdown/block-node.js';
import { nodeFromRequest } from '../../src/markdown/block-node.js';
import { blocksToMdast } from '../../src/markdown/block-tree-to-mdast.js';
import { serializeCanonical } from '../../src/markdown/canonical-serializer.js';
import { stringifyMarkdown } from '../../src/markdown/markdown-processor.js';
import { markdownToBlocks } from '../../src/markdown/markdown-to-blocks.js';
import { canonicalDocument, nearPlainDocument } from './canonical-arbitraries.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/markdown');

/** The reference: remark-stringify with the canonical options. */
function expectSameAsRemark(nodes: readonly BlockNode[]): void {
  const root = blocksToMdast(nodes);
  expect(serializeCanonical(root)).toBe(stringifyMarkdown(root));
}

describe(serializeCanonical, () => {
  it('writes exactly what remark-stringify writes for generated canonical documents', () => {
    fc.assert(fc.property(canonicalDocument, expectSameAsRemark), { numRuns: 60, seed: 20261122 });
  }, 120_000);

  it('writes exactly what remark-stringify writes for near-plain documents (both sides of every fast-path rule)', () => {
    fc.assert(fc.property(nearPlainDocument, expectSameAsRemark), {
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
