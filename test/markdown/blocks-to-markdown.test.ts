import type { BlockObjectResponse } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { contentOf, nodeFromFetched, nodeFromRequest } from '../../src/markdown/block-node.js';
import type { FetchedBlock } from '../../src/markdown/block-node.js';
import type { BlockSource } from '../../src/markdown/block-source.js';
import {
  blockTreeToMarkdown,
  blocksToMarkdown,
  fetchBlockTree,
} from '../../src/markdown/blocks-to-markdown.js';
import { InMemoryBlockStore } from '../../src/markdown/in-memory-block-store.js';
import { markdownToBlockTree, markdownToBlocks } from '../../src/markdown/markdown-to-blocks.js';
import { allBlocksFixture, blk, rt } from '../fixtures/markdown/all-blocks.js';

const PAGE = 'page-1';

function countTree(tree: readonly FetchedBlock[]): number {
  return tree.reduce((n, b) => n + 1 + countTree(b.children), 0);
}

describe(blockTreeToMarkdown, () => {
  it('keeps every block type and annotation: blocks → markdown → blocks is the same tree', () => {
    const tree = allBlocksFixture();
    const markdown = blockTreeToMarkdown(tree);
    expect(markdownToBlockTree(markdown).map(contentOf)).toEqual(tree.map(nodeFromFetched).map(contentOf));
  });

  it('renders the fixture in the documented canonical form', () => {
    const markdown = blockTreeToMarkdown(allBlocksFixture());
    expect(markdown).toContain('<u>under</u>');
    expect(markdown).toContain('<span color="red">red</span>');
    expect(markdown).toContain('[A page](notion-mention:page:30000000-0000-4000-8000-000000000001)');
    expect(markdown).toContain('$e^{i\\pi} + 1 = 0$');
    expect(markdown).toContain(
      '<!-- notion:callout {"color":"gray_background","icon":{"type":"emoji","emoji":"💡"}} -->',
    );
    expect(markdown).toContain('- [x] ~~Done task~~');
    expect(markdown).toContain('```typescript\nconst x = 1;');
    expect(markdown).toContain('| **a** | 1 \\| 2 |');
    expect(markdown).toContain('        1. Level 5');
    // The canonical form is a fixed point.
    expect(blockTreeToMarkdown(allBlocksFixture())).toBe(markdown);
  });

  it('writes the fixture back through the limits-checking store and reads the same markdown', async () => {
    const store = new InMemoryBlockStore();
    const writable = allBlocksFixture().filter(
      (b) => !['child_page', 'child_database', 'link_preview', 'unsupported'].includes(b.block.type),
    );
    const markdown = blockTreeToMarkdown(writable);
    const { planAppends } = await import('../../src/markdown/plan-appends.js');
    const { writeBlocks } = await import('../../src/markdown/write-blocks.js');
    await writeBlocks(store, PAGE, planAppends(markdownToBlocks(markdown)));
    const requested = markdownToBlocks(markdown).map(nodeFromRequest).map(contentOf);
    const readBack = (await fetchBlockTree(store, PAGE)).map(nodeFromFetched).map(contentOf);
    expect(readBack).toEqual(requested);
    // What changes on the way through Notion, and only that: the Notion-hosted file is re-sent as an
    // external link (a signed URL cannot be re-uploaded), a link mention becomes a link.
    expect(JSON.stringify(requested)).toContain('"external":{"url":"https://s3.example.com/signed.png"}');
    expect(await blocksToMarkdown(store, PAGE)).toContain('[x/y](https://github.com/x/y)');
  });
});

describe(fetchBlockTree, () => {
  it('reads each block with children once, one call per 100 children, never table rows twice', async () => {
    const rows = Array.from({ length: 150 }, (_, i) =>
      blk('table_row', { cells: [[rt(`r${i}`)], [rt('v')]] }),
    );
    const items = Array.from({ length: 250 }, (_, i) =>
      blk(
        'bulleted_list_item',
        { rich_text: [rt(`item ${i}`)], color: 'default' },
        i % 50 === 0 ? [blk('paragraph', { rich_text: [rt('child')], color: 'default' })] : [],
      ),
    );
    const tree = [
      ...items,
      blk('table', { table_width: 2, has_column_header: true, has_row_header: false }, rows),
      blk('child_page', { title: 'Sub page' }),
    ];
    // A child page has children of its own, but they are another page's body: not ours to read.
    (tree[tree.length - 1] as { block: { has_children: boolean } }).block.has_children = true;
    const store = new InMemoryBlockStore();
    store.seed(PAGE, tree);
    const fetched = await fetchBlockTree(store, PAGE, { concurrency: 4 });
    expect(countTree(fetched)).toBe(countTree(tree));
    // root: 252 children → 3 pages; 5 items with 1 child each → 5; table: 150 rows → 2.
    expect(store.calls.list).toBe(3 + 5 + 2);
    expect(blockTreeToMarkdown(fetched)).toBe(blockTreeToMarkdown(tree));
  });

  it('fetches siblings concurrently, never above the bound', async () => {
    const tree = Array.from({ length: 12 }, (_, i) =>
      blk('toggle', { rich_text: [rt(`t${i}`)], color: 'default' }, [
        blk('paragraph', { rich_text: [rt('x')], color: 'default' }),
      ]),
    );
    const store = new InMemoryBlockStore();
    store.seed(PAGE, tree);
    let inFlight = 0;
    let peak = 0;
    const slow: BlockSource = {
      async *listChildren(id: string): AsyncIterable<BlockObjectResponse> {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setImmediate(r));
        const out: BlockObjectResponse[] = [];
        for await (const b of store.listChildren(id)) out.push(b);
        inFlight--;
        yield* out;
      },
    };
    await fetchBlockTree(slow, PAGE, { concurrency: 3 });
    expect(peak).toBe(3);
  });
});
