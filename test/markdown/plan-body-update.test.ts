import { describe, expect, it } from 'vitest';
import { DestructiveChangeError } from '../../src/errors.js';
import { blocksToMarkdown, fetchBlockTree } from '../../src/markdown/blocks-to-markdown.js';
import { InMemoryBlockStore } from '../../src/markdown/in-memory-block-store.js';
import { markdownToBlocks } from '../../src/markdown/markdown-to-blocks.js';
import { planAppends } from '../../src/markdown/plan-appends.js';
import { commonSubsequence, planBodyUpdate } from '../../src/markdown/plan-body-update.js';
import { writeBlocks } from '../../src/markdown/write-blocks.js';
import { blk, rt } from '../fixtures/markdown/all-blocks.js';

const PAGE = 'page-1';

/** A 204-block page in canonical form: headings, annotated paragraphs, nested lists, to-dos, code. */
function page200(): string[] {
  const parts: string[] = [];
  for (let i = 0; i < 34; i++) {
    parts.push(`## Section ${i}`);
    parts.push(`Paragraph ${i} with **bold**, *italic* and a [link](https://example.com/${i}).`);
    parts.push(`- item ${i}\n  - nested ${i}\n- [ ] task ${i}`);
    parts.push('```typescript\nconst n = ' + i + ';\n```');
  }
  return parts;
}

async function setup(markdown: string): Promise<InMemoryBlockStore> {
  const store = new InMemoryBlockStore();
  await writeBlocks(store, PAGE, planAppends(markdownToBlocks(markdown)));
  store.resetCalls();
  return store;
}

/** Plan, apply and check that the page now reads as the new markdown; return the calls it took. */
async function apply(store: InMemoryBlockStore, next: string): Promise<number> {
  const current = await fetchBlockTree(store, PAGE);
  store.resetCalls();
  const plan = planBodyUpdate(current, next);
  const result = await writeBlocks(store, PAGE, plan);
  const calls = store.totalCalls;
  expect(result.calls).toBe(calls);
  expect(await blocksToMarkdown(store, PAGE)).toBe(next);
  return calls;
}

describe(planBodyUpdate, () => {
  it('costs one call for a one-line edit in a 200-block page (delete-and-append would cost ~200)', async () => {
    const parts = page200();
    const before = parts.join('\n\n') + '\n';
    const store = await setup(before);
    parts[101] = parts[101]!.replace('Paragraph', 'Edited paragraph');
    expect(await apply(store, parts.join('\n\n') + '\n')).toBe(1);
  });

  it('edits nested list text in place', async () => {
    const parts = page200();
    const store = await setup(parts.join('\n\n') + '\n');
    parts[42] = parts[42]!.replace('nested', 'deeply edited');
    expect(await apply(store, parts.join('\n\n') + '\n')).toBe(1);
  });

  it('inserts new blocks right where they belong, in one append', async () => {
    const parts = page200();
    const store = await setup(parts.join('\n\n') + '\n');
    parts.splice(60, 0, 'A new paragraph.', 'And another one.');
    expect(await apply(store, parts.join('\n\n') + '\n')).toBe(1);
    parts.unshift('# At the very start');
    expect(await apply(store, parts.join('\n\n') + '\n')).toBe(1);
  });

  it('deletes removed blocks, and replaces a block whose type changed', async () => {
    const parts = page200();
    const store = await setup(parts.join('\n\n') + '\n');
    parts.splice(10, 3); // a list (2 top-level items), a code block, a heading
    expect(await apply(store, parts.join('\n\n') + '\n')).toBe(4);
    parts[20] = '> Now a quote';
    expect(await apply(store, parts.join('\n\n') + '\n')).toBe(2);
  });

  it('clears fields the new version no longer has (caption, colour, checked)', async () => {
    const before =
      '<!-- notion:paragraph {"color":"red"} -->\n\nRed\n\n<!-- /notion:paragraph -->\n\n- [x] done\n';
    const store = await setup(before);
    expect(await apply(store, 'Red\n\n- [ ] done\n')).toBe(2);
  });

  it('adds children to an existing block and appends them at its end', async () => {
    const store = await setup('- a\n- b\n');
    expect(await apply(store, '- a\n  - a1\n  - a2\n- b\n')).toBe(1);
  });

  it('refuses to trash a child page unless allowed', () => {
    const current = [
      blk('child_page', { title: 'Keep me' }),
      blk('paragraph', { rich_text: [rt('x')], color: 'default' }),
    ];
    expect(() => planBodyUpdate(current, 'x\n')).toThrow(DestructiveChangeError);
    expect(planBodyUpdate(current, 'x\n', { allowDeletingPages: true }).ops).toEqual([
      { kind: 'delete', block: { kind: 'id', id: current[0]!.block.id } },
    ]);
    // Kept when the markdown keeps its directive.
    expect(planBodyUpdate(current, '<!-- notion:child_page {"title":"Keep me"} /-->\n\nx\n').ops).toEqual([]);
  });

  it('plans nothing when nothing changed', async () => {
    const markdown = page200().join('\n\n') + '\n';
    const store = await setup(markdown);
    const plan = planBodyUpdate(await fetchBlockTree(store, PAGE), markdown);
    expect(plan.ops).toEqual([]);
    expect(plan.kept).toBeGreaterThan(200);
  });
});

describe(commonSubsequence, () => {
  it('finds a longest common subsequence', () => {
    const pairs = commonSubsequence(['a', 'b', 'c', 'd', 'e'], ['a', 'x', 'c', 'd', 'y', 'e']);
    expect(pairs).toEqual([
      [0, 0],
      [2, 2],
      [3, 3],
      [4, 5],
    ]);
  });
});
