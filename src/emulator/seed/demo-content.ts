import { blockNode, type BlockNode } from './append-block-tree.js';
import { inlineEquation, mention, plain, text } from './demo-rich-text.js';
import type { RichTextItemRequest } from '@notionhq/client/build/src/api-endpoints.js';

/** Ids the showcase page links to. Any may be missing (no person user in the workspace, for example). */
export interface ShowcaseRefs {
  readonly userId?: string;
  readonly projectPageId?: string;
  readonly tasksDatabaseId?: string;
}

function paragraph(richText: RichTextItemRequest[], children: BlockNode[] = []): BlockNode {
  return blockNode('paragraph', { rich_text: richText }, children);
}

function heading(level: 1 | 2 | 3, title: string, toggleable = false, children: BlockNode[] = []): BlockNode {
  return blockNode(`heading_${level}`, { rich_text: plain(title), is_toggleable: toggleable }, children);
}

function listItem(kind: 'bulleted' | 'numbered', label: string, children: BlockNode[] = []): BlockNode {
  return blockNode(`${kind}_list_item`, { rich_text: plain(label) }, children);
}

function toDo(label: string, checked: boolean): BlockNode {
  return blockNode('to_do', { rich_text: plain(label), checked });
}

function code(language: string, source: string, caption?: string): BlockNode {
  return blockNode('code', {
    language,
    rich_text: plain(source),
    caption: caption === undefined ? [] : plain(caption),
  });
}

function tableRow(cells: string[]): BlockNode {
  return blockNode('table_row', { cells: cells.map((cell) => plain(cell)) });
}

/** A list nested `depth` levels deep, each level with two items. */
function nestedList(kind: 'bulleted' | 'numbered', depth: number, prefix = ''): BlockNode[] {
  return [1, 2].map((n) => {
    const label = `${prefix}${n}`;
    return listItem(
      kind,
      `Level ${label}`,
      depth > 1 && n === 1 ? nestedList(kind, depth - 1, `${label}.`) : [],
    );
  });
}

/**
 * The root page's body: one of every block type the sync engine converts, with rich text using every
 * annotation, links, mentions and inline equations. The four-deep bulleted list is deeper than one
 * append may carry, so writing it exercises follow-up appends.
 */
export function showcaseBody(refs: ShowcaseRefs): BlockNode[] {
  const mentions: RichTextItemRequest[] = [text('Mentions: ')];
  if (refs.userId !== undefined) mentions.push(mention('user', refs.userId), text(', '));
  if (refs.projectPageId !== undefined) mentions.push(mention('page', refs.projectPageId), text(', '));
  if (refs.tasksDatabaseId !== undefined)
    mentions.push(mention('database', refs.tasksDatabaseId), text(', '));
  mentions.push(mention('date', '2025-03-14'), text('.'));
  return [
    heading(1, 'notion-sync demo workspace'),
    paragraph([
      text('This page shows '),
      text('bold', { bold: true }),
      text(', '),
      text('italic', { italic: true }),
      text(', '),
      text('struck', { strikethrough: true }),
      text(', '),
      text('underlined', { underline: true }),
      text(', '),
      text('inline code', { code: true }),
      text(', '),
      text('red', { color: 'red' }),
      text(' and '),
      text('highlighted', { color: 'yellow_background', bold: true, italic: true }),
      text(' text, a '),
      text('link', {}, 'https://developers.notion.com/'),
      text(' and the equation '),
      inlineEquation('e^{i\\pi} + 1 = 0'),
      text('.'),
    ]),
    paragraph(mentions),
    heading(2, 'Lists'),
    ...nestedList('bulleted', 4),
    ...nestedList('numbered', 3),
    heading(3, 'Checklist'),
    toDo('Seed the workspace', true),
    toDo('Mirror it to SQLite', false),
    toDo('Write it back', false),
    heading(2, 'Details (toggleable heading)', true, [
      paragraph(plain('Hidden until the heading is opened.')),
      listItem('bulleted', 'With a list inside'),
    ]),
    code('typescript', 'const answer: number = 42;\nconsole.log(answer);', 'TypeScript'),
    code('python', 'def answer():\n    return 42'),
    code('sql', 'SELECT id, title FROM pages WHERE archived = 0;', 'The mirror'),
    blockNode('quote', { rich_text: [text('Simple things should be simple.', { italic: true })] }, [
      paragraph(plain('— Alan Kay')),
    ]),
    blockNode(
      'callout',
      {
        rich_text: plain('Callouts carry an icon and children.'),
        icon: { type: 'emoji', emoji: '💡' },
        color: 'blue_background',
      },
      [paragraph(plain('A child paragraph.')), listItem('bulleted', 'A child list item')],
    ),
    blockNode('table', { table_width: 3, has_column_header: true, has_row_header: false }, [
      tableRow(['Engine', 'Direction', 'Store']),
      tableRow(['mirror', 'Notion → SQL', 'SQLite']),
      tableRow(['push', 'SQL → Notion', 'PostgreSQL']),
    ]),
    blockNode('toggle', { rich_text: plain('A toggle') }, [
      paragraph(plain('Toggle content.')),
      toDo('Nested to-do', true),
    ]),
    blockNode('image', {
      type: 'external',
      external: { url: 'https://www.notion.so/images/page-cover/met_william_morris_1877_willow.jpg' },
      caption: plain('An external image'),
    }),
    blockNode('equation', { expression: '\\int_0^1 x^2\\,dx = \\frac{1}{3}' }),
    blockNode('divider', {}),
    blockNode('bookmark', {
      url: 'https://github.com/makenotion/notion-sdk-js',
      caption: plain('The official SDK'),
    }),
  ];
}

/** A project page's body: a heading, a paragraph, a checklist and a nested list. */
export function projectBody(name: string, index: number): BlockNode[] {
  return [
    heading(2, `${name} overview`),
    paragraph([text('Project '), text(name, { bold: true }), text(` is number ${index + 1} in the demo.`)]),
    toDo('Kick-off held', index % 2 === 0),
    toDo('Budget approved', index % 3 === 0),
    listItem('bulleted', 'Milestones', [
      listItem('bulleted', 'Alpha', [listItem('bulleted', 'Internal review')]),
      listItem('bulleted', 'Beta'),
    ]),
  ];
}

/** A task page's body: a paragraph, a code block and a quote. */
export function taskBody(name: string): BlockNode[] {
  return [
    paragraph([text('Notes for '), text(name, { italic: true }), text('.')]),
    code('shell', `notion-sync push --only "${name}"`),
    blockNode('quote', { rich_text: plain('Done is better than perfect.') }),
  ];
}
