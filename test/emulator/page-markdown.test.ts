import type { APIResponseError } from '@notionhq/client';
import { type PageObjectResponse } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { emulatorClient, text } from './emulator-fixture.js';

describe('page markdown endpoints', () => {
  it('renders blocks as markdown, marks blocks without a markdown form as unknown', async () => {
    const { notion, root } = await emulatorClient();
    const page = await notion.pages.create({
      parent: { page_id: root },
      properties: { title: { title: text('Doc') } },
      children: [
        { heading_1: { rich_text: text('Title') } },
        {
          paragraph: {
            rich_text: [
              { text: { content: 'plain ' } },
              { text: { content: 'bold' }, annotations: { bold: true } },
            ],
          },
        },
        {
          bulleted_list_item: {
            rich_text: text('one'),
            children: [{ to_do: { rich_text: text('sub'), checked: true } }],
          },
        },
        { code: { rich_text: text('let x = 1;'), language: 'javascript' } },
        { bookmark: { url: 'https://example.com' } },
      ],
    });
    const md = await notion.pages.retrieveMarkdown({ page_id: page.id });
    expect(md).toMatchObject({ object: 'page_markdown', id: page.id, truncated: false });
    expect(md.markdown).toBe(
      [
        '# Title',
        'plain **bold**',
        '- one',
        '\t- [x] sub',
        '```javascript',
        'let x = 1;',
        '```',
        `<unknown url="https://www.notion.so/${page.id.replace(/-/g, '')}#${md.unknown_block_ids[0]!.replace(/-/g, '')}" alt="bookmark"/>`,
      ].join('\n'),
    );
    expect(md.unknown_block_ids).toHaveLength(1);
  });

  it('replaces, inserts and search-replaces content; creates pages from markdown', async () => {
    const { notion, root } = await emulatorClient();
    const created = (await notion.pages.create({
      parent: { page_id: root },
      markdown: '# From markdown\n\nHello *world*\n\n1. a\n2. b\n',
    } as never)) as PageObjectResponse;
    expect(created.properties.title).toMatchObject({ title: [{ plain_text: 'From markdown' }] });
    const blocks = await notion.blocks.children.list({ block_id: created.id });
    expect(blocks.results.map((b) => ('type' in b ? b.type : ''))).toEqual([
      'paragraph',
      'numbered_list_item',
      'numbered_list_item',
    ]);
    await notion.pages.updateMarkdown({
      page_id: created.id,
      type: 'update_content',
      update_content: { content_updates: [{ old_str: 'Hello', new_str: 'Goodbye' }] },
    });
    expect((await notion.pages.retrieveMarkdown({ page_id: created.id })).markdown).toBe(
      'Goodbye *world*\n1. a\n2. b',
    );
    await notion.pages.updateMarkdown({
      page_id: created.id,
      type: 'insert_content',
      insert_content: { content: '---' },
    });
    await notion.pages.updateMarkdown({
      page_id: created.id,
      type: 'replace_content',
      replace_content: { new_str: '> quoted' },
    });
    expect((await notion.pages.retrieveMarkdown({ page_id: created.id })).markdown).toBe('> quoted');
    const missing = await notion.pages
      .updateMarkdown({
        page_id: created.id,
        type: 'update_content',
        update_content: { content_updates: [{ old_str: 'absent', new_str: 'x' }] },
      })
      .catch((e: unknown) => e);
    expect((missing as APIResponseError).code).toBe('validation_error');
  });
});
