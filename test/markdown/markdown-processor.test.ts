import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentOf } from '../../src/markdown/block-node.js';
import { parseMarkdown, splitTopLevel } from '../../src/markdown/markdown-processor.js';
import { mdastToBlockTree } from '../../src/markdown/mdast-to-block-tree.js';
import { generateDocument } from '../../bench/markdown-corpus.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/markdown');

function chunkedTree(markdown: string, target: number): unknown[] {
  // Each chunk converts on its own, as markdownToBlockTree does.
  return splitTopLevel(markdown, target)
    .flatMap((c) => mdastToBlockTree(parseMarkdown(c)))
    .map(contentOf);
}

describe(splitTopLevel, () => {
  const tricky = [
    '1. one\n\n2. two\n\n3. three\n\nafter\n',
    '- a\n\n  continued\n\n- b\n\nend\n',
    '```\ncode\n\nnot a paragraph\n```\n\nafter\n',
    '$$\nx\n\ny\n$$\n\nafter\n',
    '<!--\nhidden\n\nstill hidden\n-->\n\nafter\n',
    '> quote\n\n> more quote\n\nafter\n',
    '[ref][x]\n\ntext\n\n[x]: https://example.com\n',
    'para\n\n    indented code\n\nafter\n',
    '<!-- notion:callout {"color":"red"} -->\n\ntext\n\nmore\n\n<!-- notion:toggle -->\n\nin\n\n<!-- /notion:toggle -->\n\nlast\n\n<!-- /notion:callout -->\n\nafter\n',
  ];
  it.each(tricky)('cuts %j only where the blocks stay the same', (markdown) => {
    expect(chunkedTree(markdown, 1)).toEqual(mdastToBlockTree(parseMarkdown(markdown)).map(contentOf));
  });

  it('gives the same blocks as a whole parse on the corpus and on generated documents', () => {
    const docs = [
      ...readdirSync(FIXTURES)
        .filter((f) => f.endsWith('.md'))
        .map((f) => readFileSync(join(FIXTURES, f), 'utf8')),
      generateDocument(12_000, 3),
    ];
    expect(splitTopLevel(generateDocument(12_000, 3), 300).length).toBeGreaterThan(10);
    for (const markdown of docs) {
      expect(chunkedTree(markdown, 300)).toEqual(mdastToBlockTree(parseMarkdown(markdown)).map(contentOf));
    }
  });
});
