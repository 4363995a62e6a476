/**
 * Acceptance against the Notion API emulator, over real HTTP through the official SDK: bodies written
 * with planAppends + writeBlocks read back intact, the demo pages survive blocks → markdown → blocks,
 * and a one-line edit costs at most 3 API calls counted by the emulator itself.
 */
import { Client } from '@notionhq/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { contentOf, nodeFromFetched, nodeFromRequest } from '../../src/markdown/block-node.js';
import type { FetchedBlock } from '../../src/markdown/block-node.js';
import { blockTreeToMarkdown, fetchBlockTree } from '../../src/markdown/blocks-to-markdown.js';
import { markdownToBlocks } from '../../src/markdown/markdown-to-blocks.js';
import { notionBlockSource } from '../../src/markdown/notion-block-source.js';
import { notionBlockWriter } from '../../src/markdown/notion-block-writer.js';
import { planAppends } from '../../src/markdown/plan-appends.js';
import { planBodyUpdate } from '../../src/markdown/plan-body-update.js';
import { writeBlocks } from '../../src/markdown/write-blocks.js';

let emulator: EmulatorHandle;
let client: Client;
let parentPageId: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'demo' });
  client = new Client({ auth: 'secret_test', baseUrl: emulator.url });
  parentPageId = emulator.demo!.rootPageId;
});
afterAll(async () => {
  await emulator.stop();
});

async function freshPage(title: string): Promise<string> {
  const page = await client.pages.create({
    parent: { page_id: parentPageId },
    properties: { title: { title: [{ text: { content: title } }] } },
  });
  return page.id;
}

/** API requests the emulator served while `task` ran. */
async function countRequests(task: () => Promise<unknown>): Promise<number> {
  const before = emulator.stats().requests;
  await task();
  return emulator.stats().requests - before;
}

async function writeMarkdown(pageId: string, markdown: string): Promise<number> {
  const result = await writeBlocks(
    notionBlockWriter(client),
    pageId,
    planAppends(markdownToBlocks(markdown)),
  );
  return result.calls;
}

const readTree = (pageId: string): Promise<FetchedBlock[]> =>
  fetchBlockTree(notionBlockSource(client), pageId);

function nestedList(depth: number): string {
  const lines: string[] = [];
  for (let level = 0; level < depth; level++) lines.push(`${'  '.repeat(level)}- level ${level + 1} *item*`);
  return lines.join('\n') + '\n';
}

function longParagraph(chars: number): string {
  const words: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const word = i % 17 === 0 ? `**bold${i}**` : `word${i}`;
    words.push(word);
    length += word.length + 1;
  }
  return words.join(' ') + '\n';
}

/** A canonical document of `sections` × 7 blocks: headings, annotated paragraphs, lists, to-dos, code, quotes. */
function document(sections: number): string {
  const parts: string[] = [];
  for (let i = 0; i < sections; i++) {
    parts.push(`## Section ${i}`);
    parts.push(`- item ${i}\n  - nested ${i}`);
    parts.push(
      `Paragraph ${i} with **bold**, *italic*, ~~struck~~, \`code\` and a [link](https://example.com/${i}).`,
    );
    parts.push(`- [ ] task ${i}`);
    parts.push('```typescript\nconst n = ' + i + ';\n```');
    parts.push(`> quoted ${i}`);
  }
  return parts.join('\n\n') + '\n';
}

describe(writeBlocks, () => {
  const cases: [string, string, number][] = [
    ['a 7-level nested list', nestedList(7), 5],
    ['a 5,000-character paragraph', longParagraph(5_000), 1],
    ['a 350-block document (300 top-level blocks)', document(50), 3],
  ];
  it.each(cases)('writes %s to the emulator and reads it back identical', async (name, markdown, appends) => {
    const pageId = await freshPage(name);
    const blocks = markdownToBlocks(markdown);
    expect(await writeMarkdown(pageId, markdown)).toBe(appends);
    const tree = await readTree(pageId);
    expect(blockTreeToMarkdown(tree)).toBe(markdown);
    expect(tree.length).toBe(blocks.length);
  });

  it('counts the 350-block document as 350 blocks', () => {
    const count = (blocks: readonly { children: readonly unknown[] }[]): number =>
      blocks.reduce((n, b) => n + 1 + count(b.children as { children: unknown[] }[]), 0);
    expect(count(markdownToBlocks(document(50)).map(nodeFromRequest))).toBe(350);
  });
});

describe(blockTreeToMarkdown, () => {
  const demoPages = (): [string, string][] => {
    const demo = emulator.demo!;
    return [
      ['showcase (root)', demo.rootPageId],
      ['first project', demo.databases.projects.rowIds[0]!],
      ['first task', demo.databases.tasks.rowIds[0]!],
    ];
  };

  it('keeps every block and annotation of the demo pages through blocks → markdown → blocks', async () => {
    const types = new Set<string>();
    const collect = (tree: readonly FetchedBlock[]): void =>
      tree.forEach((b) => {
        types.add(b.block.type);
        collect(b.children);
      });
    for (const [name, pageId] of demoPages()) {
      // Child pages and databases are other pages' bodies; they are kept, not rewritten.
      const original = (await readTree(pageId)).filter(
        (b) => b.block.type !== 'child_page' && b.block.type !== 'child_database',
      );
      expect(original.length, name).toBeGreaterThan(0);
      collect(original);
      const markdown = blockTreeToMarkdown(original);
      const copyId = await freshPage(`copy of ${name}`);
      await writeMarkdown(copyId, markdown);
      const copy = await readTree(copyId);
      expect(copy.map(nodeFromFetched).map(contentOf), name).toEqual(
        original.map(nodeFromFetched).map(contentOf),
      );
      expect(blockTreeToMarkdown(copy), name).toBe(markdown);
    }
    expect([...types].sort()).toEqual(
      [
        ...[
          'bookmark',
          'bulleted_list_item',
          'callout',
          'code',
          'divider',
          'equation',
          'heading_1',
          'heading_2',
        ],
        ...[
          'heading_3',
          'image',
          'numbered_list_item',
          'paragraph',
          'quote',
          'table',
          'table_row',
          'to_do',
          'toggle',
        ],
      ].sort(),
    );
  });
});

describe(planBodyUpdate, () => {
  it('applies a one-line edit in a 200-block page in ≤ 3 API calls, and the page reads back as the new markdown', async () => {
    const parts = document(29).split('\n\n');
    const before = parts.join('\n\n');
    const pageId = await freshPage('200 blocks');
    await writeMarkdown(pageId, before);
    const current = await readTree(pageId);
    const count = (tree: readonly FetchedBlock[]): number =>
      tree.reduce((n, b) => n + 1 + count(b.children), 0);
    expect(count(current)).toBe(203);

    parts[6 * 16 + 2] = parts[6 * 16 + 2]!.replace('Paragraph', 'Edited paragraph');
    const after = parts.join('\n\n');
    expect(after).not.toBe(before);
    const calls = await countRequests(() =>
      writeBlocks(notionBlockWriter(client), pageId, planBodyUpdate(current, after)),
    );
    expect(calls).toBeLessThanOrEqual(3);
    expect(calls).toBe(1);
    expect(blockTreeToMarkdown(await readTree(pageId))).toBe(after);
  });
});
