import type { BlockObjectRequest } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { contentOf, nodeFromFetched, nodeFromRequest } from '../../src/markdown/block-node.js';
import { blocksToMarkdown, fetchBlockTree } from '../../src/markdown/blocks-to-markdown.js';
import { InMemoryBlockStore } from '../../src/markdown/in-memory-block-store.js';
import { markdownToBlocks } from '../../src/markdown/markdown-to-blocks.js';
import { childrenOf, planAppends } from '../../src/markdown/plan-appends.js';
import { writeBlocks } from '../../src/markdown/write-blocks.js';
import type { WritePlan } from '../../src/markdown/write-plan.js';
import {
  MAX_APPEND_NESTING_LEVELS,
  MAX_ARRAY_ITEMS,
  MAX_BLOCKS_PER_APPEND,
  MAX_BLOCKS_PER_REQUEST,
  MAX_PAYLOAD_BYTES,
  MAX_TEXT_ITEM_CHARS,
} from '../../src/notion/limits.js';

const PAGE = 'page-1';

function depth(b: BlockObjectRequest): number {
  const c = childrenOf(b);
  return c.length === 0 ? 1 : 1 + Math.max(...c.map(depth));
}
function count(b: BlockObjectRequest): number {
  return 1 + childrenOf(b).reduce((n, c) => n + count(c), 0);
}
function richTexts(b: BlockObjectRequest): { content?: string }[][] {
  const type = (b as { type: string }).type;
  const p = (b as unknown as Record<string, Record<string, unknown>>)[type] ?? {};
  const own = Array.isArray(p['rich_text']) ? [p['rich_text'] as { text?: { content?: string } }[]] : [];
  return [...own.map((a) => a.map((i) => i.text ?? {})), ...childrenOf(b).flatMap(richTexts)];
}

/** Every request of the plan within Notion's limits (independently of the fake store's own checks). */
function expectWithinLimits(plan: WritePlan): void {
  for (const op of plan.ops) {
    if (op.kind !== 'append') continue;
    expect(op.children.length).toBeLessThanOrEqual(MAX_BLOCKS_PER_APPEND);
    expect(op.children.reduce((n, b) => n + count(b), 0)).toBeLessThanOrEqual(MAX_BLOCKS_PER_REQUEST);
    expect(Buffer.byteLength(JSON.stringify({ children: op.children }))).toBeLessThanOrEqual(
      MAX_PAYLOAD_BYTES,
    );
    for (const b of op.children) {
      expect(depth(b)).toBeLessThanOrEqual(MAX_APPEND_NESTING_LEVELS + 1);
      for (const rt of richTexts(b)) {
        expect(rt.length).toBeLessThanOrEqual(MAX_ARRAY_ITEMS);
        for (const t of rt) expect((t.content ?? '').length).toBeLessThanOrEqual(MAX_TEXT_ITEM_CHARS);
      }
    }
  }
}

async function writeAndReadBack(
  markdown: string,
): Promise<{ plan: WritePlan; store: InMemoryBlockStore; readBack: string }> {
  const plan = planAppends(markdownToBlocks(markdown));
  expectWithinLimits(plan);
  const store = new InMemoryBlockStore();
  await writeBlocks(store, PAGE, plan);
  const tree = await fetchBlockTree(store, PAGE);
  expect(tree.map(nodeFromFetched).map(contentOf)).toEqual(
    markdownToBlocks(markdown).map(nodeFromRequest).map(contentOf),
  );
  return { plan, store, readBack: await blocksToMarkdown(store, PAGE) };
}

function nestedList(levels: number): string {
  return Array.from({ length: levels }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n') + '\n';
}

describe(planAppends, () => {
  it('writes a 7-level nested list level by level, in d − 2 = 5 appends, and reads it back intact', async () => {
    const markdown = nestedList(7);
    const { plan, store, readBack } = await writeAndReadBack(markdown);
    expect(plan.ops).toHaveLength(5);
    expect(store.calls.append).toBe(5);
    expect(readBack).toBe(markdown);
  });

  it('splits a 5,000-character paragraph into ≤ 2,000-character items at word boundaries', async () => {
    const words = Array.from({ length: 1000 }, (_, i) => `w${i % 10}rd`).join(' ');
    const markdown = `${words.slice(0, 5000).trimEnd()}\n`;
    const blocks = markdownToBlocks(markdown);
    const items = (blocks[0] as { paragraph: { rich_text: { text: { content: string } }[] } }).paragraph
      .rich_text;
    expect(items.length).toBe(3);
    for (const item of items.slice(0, -1)) expect(item.text.content.endsWith(' ')).toBe(true);
    expect(items.map((i) => i.text.content).join('')).toBe(markdown.trimEnd());
    const { plan, readBack } = await writeAndReadBack(markdown);
    expect(plan.ops).toHaveLength(1);
    expect(readBack).toBe(markdown);
  });

  it('writes a 350-block document in ⌈350 / 100⌉ = 4 appends, in order', async () => {
    const markdown = Array.from({ length: 350 }, (_, i) => `Paragraph number ${i}.`).join('\n\n') + '\n';
    const { plan, readBack } = await writeAndReadBack(markdown);
    expect(plan.ops).toHaveLength(4);
    expect(readBack).toBe(markdown);
  });

  it('keeps a wide, deep tree within limits: 60 items with 3 levels below each and a 250-row table', async () => {
    const items = Array.from({ length: 60 }, (_, i) => `- item ${i}\n  - a\n    - b\n      - c`).join('\n');
    const rows = Array.from({ length: 250 }, (_, i) => `| ${i} | v${i} |`).join('\n');
    const markdown = `${items}\n\n| k | v |\n| - | - |\n${rows}\n`;
    const { plan, readBack } = await writeAndReadBack(markdown);
    expect(readBack).toBe(markdown);
    // 60 items (1 append at the top level, their children deferred) + 60 appends of their subtrees + the
    // table: created with 100 rows in a top-level append, then 2 appends for the other 150 rows.
    expect(plan.ops.length).toBe(1 + 60 + 2);
  });

  it('inlines whole subtrees that fit, so a shallow nested document is one call', () => {
    const plan = planAppends(markdownToBlocks(nestedList(3) + '\n' + nestedList(3)));
    expect(plan.ops).toHaveLength(1);
  });

  it('creates deep column content through references resolved by listing children', async () => {
    const markdown = [
      '<!-- notion:column_list -->',
      '<!-- notion:column -->',
      nestedList(4),
      '<!-- /notion:column -->',
      '<!-- notion:column -->',
      'Right',
      '<!-- /notion:column -->',
      '<!-- /notion:column_list -->',
      '',
    ].join('\n\n');
    const { store } = await writeAndReadBack(markdown);
    expect(store.calls.list).toBeGreaterThan(0);
  });
});
