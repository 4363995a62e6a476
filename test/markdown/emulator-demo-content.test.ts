/**
 * The emulator's demo pages (src/emulator/seed/demo-content.ts) through the converter: every block and
 * annotation survives blocks → markdown → blocks, and writing the markdown back through the
 * limits-checking store reads back the same blocks. (The emulator server itself is not on main yet;
 * when it is, the same check should run against it.)
 */
import { describe, expect, it } from 'vitest';
import type { BlockNode as SeedNode } from '../../src/emulator/seed/append-block-tree.js';
import { projectBody, showcaseBody, taskBody } from '../../src/emulator/seed/demo-content.js';
import type { BlockNode } from '../../src/markdown/block-node.js';
import { contentOf, nodeFromFetched, nodeFromRequest } from '../../src/markdown/block-node.js';
import { blockNodesToMarkdown, fetchBlockTree } from '../../src/markdown/blocks-to-markdown.js';
import { InMemoryBlockStore } from '../../src/markdown/in-memory-block-store.js';
import { markdownToBlockTree, markdownToBlocks } from '../../src/markdown/markdown-to-blocks.js';
import { planAppends } from '../../src/markdown/plan-appends.js';
import { writeBlocks } from '../../src/markdown/write-blocks.js';

function toRequest(node: SeedNode): unknown {
  const children = node.children.map(toRequest);
  return { type: node.type, [node.type]: children.length > 0 ? { ...node.payload, children } : node.payload };
}

const refs = {
  userId: '20000000-0000-4000-8000-000000000001',
  projectPageId: '30000000-0000-4000-8000-000000000001',
  tasksDatabaseId: '30000000-0000-4000-8000-000000000002',
};

const pages: [string, SeedNode[]][] = [
  ['showcase', showcaseBody(refs)],
  ['project', projectBody('Apollo', 0)],
  ['task', taskBody('Write docs')],
];

describe(blockNodesToMarkdown, () => {
  it.each(pages)(
    'keeps the %s demo page through blocks → markdown → blocks and a write',
    async (_name, body) => {
      const nodes: BlockNode[] = body.map(toRequest).map(nodeFromRequest);
      const markdown = blockNodesToMarkdown(nodes);
      expect(markdownToBlockTree(markdown).map(contentOf)).toEqual(nodes.map(contentOf));

      const store = new InMemoryBlockStore();
      await writeBlocks(store, 'page', planAppends(markdownToBlocks(markdown)));
      const readBack = (await fetchBlockTree(store, 'page')).map(nodeFromFetched);
      expect(readBack.map(contentOf)).toEqual(nodes.map(contentOf));
      // Mention display text is Notion's to render (the fake renders ids); everything else is identical.
      const withoutMentionText = (md: string): string =>
        md.replace(/\[[^\]]*\]\(notion-mention:/g, '[](notion-mention:');
      expect(withoutMentionText(blockNodesToMarkdown(readBack))).toBe(withoutMentionText(markdown));
    },
  );
});
