import { APIResponseError, type BlockObjectRequest } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { emulatorClient, text } from './emulator-fixture.js';

const para = (s: string) => ({ paragraph: { rich_text: text(s) } });

async function failure(p: Promise<unknown>): Promise<APIResponseError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof APIResponseError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

function plain(b: unknown): string {
  const block = b as Record<string, unknown> & { type: string };
  const payload = block[block.type] as { rich_text?: { plain_text: string }[] };
  return (payload.rich_text ?? []).map((t) => t.plain_text).join('');
}

describe('blocks', () => {
  it('appends at end, start, after_block and deprecated after; lists children with cursors', async () => {
    const { notion, root } = await emulatorClient();
    const page = await notion.pages.create({
      parent: { page_id: root },
      properties: { title: { title: text('Body') } },
    });
    await notion.blocks.children.append({ block_id: page.id, children: [para('b'), para('d')] });
    await notion.blocks.children.append({
      block_id: page.id,
      children: [para('a')],
      position: { type: 'start' },
    });
    const list1 = await notion.blocks.children.list({ block_id: page.id });
    const bId = list1.results[1]!.id;
    await notion.blocks.children.append({
      block_id: page.id,
      children: [para('c')],
      position: { type: 'after_block', after_block: { id: bId } },
    });
    await notion.blocks.children.append({
      block_id: page.id,
      children: [para('e')],
      after: list1.results[2]!.id,
    } as never);
    const all = await notion.blocks.children.list({ block_id: page.id });
    expect(all.results.map(plain)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const first = await notion.blocks.children.list({ block_id: page.id, page_size: 2 });
    expect(first.has_more).toBe(true);
    const rest = await notion.blocks.children.list({
      block_id: page.id,
      start_cursor: first.next_cursor!,
      page_size: 100,
    });
    expect([...first.results, ...rest.results].map(plain)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(rest.next_cursor).toBeNull();
    expect(rest.type).toBe('block');
  });

  it('creates two levels of nesting, refuses a third, and refuses block-level children', async () => {
    const { notion, root } = await emulatorClient();
    const page = await notion.pages.create({
      parent: { page_id: root },
      properties: { title: { title: text('Nest') } },
    });
    const ok = await notion.blocks.children.append({
      block_id: page.id,
      children: [
        {
          toggle: {
            rich_text: text('1'),
            children: [{ bulleted_list_item: { rich_text: text('2'), children: [para('3')] } }],
          },
        },
      ],
    });
    const toggle = ok.results[0]!;
    expect('has_children' in toggle && toggle.has_children).toBe(true);
    const level2 = await notion.blocks.children.list({ block_id: toggle.id });
    const level3 = await notion.blocks.children.list({ block_id: level2.results[0]!.id });
    expect(level3.results.map(plain)).toEqual(['3']);
    expect(level3.results[0]).toMatchObject({
      parent: { type: 'block_id', block_id: level2.results[0]!.id },
    });
    const tooDeep = await failure(
      notion.blocks.children.append({
        block_id: page.id,
        children: [
          para('x'),
          {
            toggle: {
              rich_text: text('1'),
              children: [
                {
                  toggle: {
                    rich_text: text('2'),
                    children: [{ toggle: { rich_text: text('3'), children: [para('4')] } }],
                  },
                },
              ],
            },
          },
        ] as BlockObjectRequest[],
      }),
    );
    expect(tooDeep.message).toBe(
      'body failed validation: body.children[1].toggle.children[0].toggle.children[0].toggle.children should be not present.',
    );
    const blockLevel = await failure(
      notion.blocks.children.append({
        block_id: page.id,
        children: [{ ...para('x'), children: [para('y')] } as never],
      }),
    );
    expect(blockLevel.message).toBe(
      'body failed validation: body.children[0].children should be not present.',
    );
  });

  it('enforces size limits and structural rules', async () => {
    const { notion, root } = await emulatorClient();
    const page = await notion.pages.create({
      parent: { page_id: root },
      properties: { title: { title: text('Limits') } },
    });
    const long = await failure(
      notion.blocks.children.append({ block_id: page.id, children: [para('ok'), para('x'.repeat(2001))] }),
    );
    expect(long.message).toBe(
      'body failed validation: body.children[1].paragraph.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`.',
    );
    const many = await failure(
      notion.blocks.children.append({
        block_id: page.id,
        children: Array.from({ length: 101 }, () => para('x')),
      }),
    );
    expect(many.message).toBe(
      'body failed validation: body.children.length should be ≤ `100`, instead was `101`.',
    );
    const richMany = await failure(
      notion.blocks.children.append({
        block_id: page.id,
        children: [
          { paragraph: { rich_text: Array.from({ length: 101 }, () => ({ text: { content: 'x' } })) } },
        ],
      }),
    );
    expect(richMany.message).toContain('body.children[0].paragraph.rich_text.length should be ≤ `100`');
    const eq = await failure(
      notion.blocks.children.append({
        block_id: page.id,
        children: [{ equation: { expression: 'x'.repeat(1001) } }],
      }),
    );
    expect(eq.message).toContain('body.children[0].equation.expression.length should be ≤ `1000`');
    const cols = await failure(
      notion.blocks.children.append({
        block_id: page.id,
        children: [{ column_list: { children: [para('not a column')] } } as never],
      }),
    );
    expect(cols.message).toContain('body.children[0].column_list.children[0].type');
    const table = await failure(
      notion.blocks.children.append({
        block_id: page.id,
        children: [{ table: { table_width: 2, children: [{ table_row: { cells: [text('a')] } }] } }],
      }),
    );
    expect(table.message).toContain('table_row.cells.length');
    const okTable = await notion.blocks.children.append({
      block_id: page.id,
      children: [
        {
          table: {
            table_width: 2,
            has_column_header: true,
            children: [{ table_row: { cells: [text('a'), text('b')] } }],
          },
        },
        {
          column_list: {
            children: [{ column: { children: [para('left')] } }, { column: { children: [para('right')] } }],
          },
        },
      ],
    });
    expect(okTable.results.map((b) => ('type' in b ? b.type : ''))).toEqual(['table', 'column_list']);
    const big = 'x'.repeat(2000);
    const payload = await failure(
      notion.blocks.children.append({
        block_id: page.id,
        children: Array.from({ length: 100 }, () => ({
          paragraph: {
            rich_text: [{ text: { content: big } }, { text: { content: big } }, { text: { content: big } }],
          },
        })),
      }),
    );
    expect(payload.code).toBe('validation_error');
    expect(payload.message).toContain('500000');
    expect((await notion.blocks.children.list({ block_id: page.id })).results).toHaveLength(2);
  });

  it('refuses appends to block types that cannot have children', async () => {
    const { notion, root } = await emulatorClient();
    const [divider] = (await notion.blocks.children.append({ block_id: root, children: [{ divider: {} }] }))
      .results;
    const e = await failure(notion.blocks.children.append({ block_id: divider!.id, children: [para('x')] }));
    expect(e.code).toBe('validation_error');
    expect(e.message).toContain('cannot have children');
  });

  it('updates, deletes (to trash) and hides trashed blocks; child pages appear as child_page blocks', async () => {
    const { notion, root } = await emulatorClient();
    const page = await notion.pages.create({
      parent: { page_id: root },
      properties: { title: { title: text('Edit') } },
    });
    const [todo] = (
      await notion.blocks.children.append({
        block_id: page.id,
        children: [{ to_do: { rich_text: text('task'), checked: false } }],
      })
    ).results;
    const updated = await notion.blocks.update({ block_id: todo!.id, to_do: { checked: true } });
    expect(updated).toMatchObject({
      type: 'to_do',
      to_do: { checked: true, rich_text: [{ plain_text: 'task' }] },
    });
    const wrongType = await failure(
      notion.blocks.update({ block_id: todo!.id, paragraph: { rich_text: [] } }),
    );
    expect(wrongType.code).toBe('validation_error');
    const deleted = await notion.blocks.delete({ block_id: todo!.id });
    expect(deleted).toMatchObject({ in_trash: true, archived: true });
    expect((await notion.blocks.children.list({ block_id: page.id })).results).toHaveLength(0);
    expect(await notion.blocks.retrieve({ block_id: todo!.id })).toMatchObject({ in_trash: true });
    const archivedEdit = await failure(
      notion.blocks.update({ block_id: todo!.id, to_do: { checked: false } }),
    );
    expect(archivedEdit.message).toMatch(/archived/);
    await notion.blocks.update({ block_id: todo!.id, in_trash: false } as never);
    expect((await notion.blocks.children.list({ block_id: page.id })).results).toHaveLength(1);
    const child = await notion.pages.create({
      parent: { page_id: page.id },
      properties: { title: { title: text('Child') } },
    });
    const children = await notion.blocks.children.list({ block_id: page.id });
    expect(children.results[1]).toMatchObject({
      id: child.id,
      type: 'child_page',
      child_page: { title: 'Child' },
    });
    const asBlock = await notion.blocks.retrieve({ block_id: page.id });
    expect(asBlock).toMatchObject({
      type: 'child_page',
      has_children: true,
      parent: { type: 'page_id', page_id: root },
    });
    await notion.blocks.delete({ block_id: child.id });
    expect(await notion.pages.retrieve({ page_id: child.id })).toMatchObject({ in_trash: true });
  });
});
