/**
 * fast-check arbitraries for documents in the canonical form: normal-form block trees with annotated
 * rich text (markdown-significant characters included), deep lists, to-dos, quotes, code, tables,
 * equations, dividers, long paragraphs and directive blocks (callouts, toggles, coloured blocks).
 */
import fc from 'fast-check';
import type { BlockNode, RichAnnotations, RichItem } from '../../src/markdown/block-node.js';
import { normalizeRichText } from '../../src/markdown/block-node.js';

const WORD_CHARS = 'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789éß漢*_#[]()<>|\\`$~-+.!:&;=\'"{}?@%^/'.split(
  '',
);

/** A word: mostly letters, sometimes markdown punctuation. */
const word = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')) },
      { weight: 1, arbitrary: fc.constantFrom(...WORD_CHARS) },
    ),
    {
      minLength: 1,
      maxLength: 8,
    },
  )
  .map((cs) => cs.join(''));

const words = (max: number): fc.Arbitrary<string> =>
  fc.array(word, { minLength: 1, maxLength: max }).map((ws) => ws.join(' '));

const annotations: fc.Arbitrary<RichAnnotations | undefined> = fc
  .record(
    {
      bold: fc.boolean(),
      italic: fc.boolean(),
      strikethrough: fc.boolean(),
      underline: fc.boolean(),
      code: fc.boolean(),
      color: fc.constantFrom(undefined, 'red', 'blue_background'),
    },
    { requiredKeys: [] },
  )
  .map((a) => {
    const out: RichAnnotations = {};
    if (a.bold) out.bold = true;
    if (a.italic) out.italic = true;
    if (a.strikethrough) out.strikethrough = true;
    if (a.underline) out.underline = true;
    if (a.code) out.code = true;
    if (a.color) out.color = a.color;
    return Object.keys(out).length > 0 ? out : undefined;
  });

/** Words, sometimes with a line break inside or at the end (Notion's shift-enter). */
const content = fc
  .record({ text: words(6), newline: fc.constantFrom('none', 'none', 'none', 'inside', 'end') })
  .map(({ text, newline }) =>
    newline === 'end' ? `${text}\n` : newline === 'inside' ? text.replace(' ', '\n') : text,
  );

const textItem: fc.Arbitrary<RichItem> = fc
  .record({
    content,
    annotations,
    link: fc.option(fc.constantFrom('https://example.com/a', 'https://notion.so/x?y=1&z=2'), {
      nil: undefined,
    }),
  })
  .map(({ content, annotations: a, link }) => {
    const item: RichItem = { type: 'text', text: link ? { content, link: { url: link } } : { content } };
    if (a) item.annotations = a;
    return item;
  });

const equationItem: fc.Arbitrary<RichItem> = fc
  .constantFrom('x^2', 'a_i + b_i', '\\frac{1}{2}', 'E = mc^2')
  .map((expression) => ({ type: 'equation', equation: { expression } }));

/** Rich text separated by spaces so that item boundaries fall between words. */
const richText = (maxItems: number): fc.Arbitrary<RichItem[]> =>
  fc
    .array(fc.oneof({ weight: 8, arbitrary: textItem }, { weight: 1, arbitrary: equationItem }), {
      minLength: 1,
      maxLength: maxItems,
    })
    .map((items) => {
      const spaced: RichItem[] = [];
      items.forEach((item, i) => {
        if (i > 0) spaced.push({ type: 'text', text: { content: ' ' } });
        spaced.push(item);
      });
      return normalizeRichText(spaced);
    });

const node = (type: string, data: Record<string, unknown>, children: BlockNode[] = []): BlockNode => ({
  type,
  data,
  children,
});

const longParagraph = fc
  .array(word, { minLength: 300, maxLength: 900 })
  .map((ws) => node('paragraph', { rich_text: [{ type: 'text', text: { content: ws.join(' ') } }] }));

const leaf: fc.Arbitrary<BlockNode> = fc.oneof(
  { weight: 6, arbitrary: richText(6).map((t) => node('paragraph', { rich_text: t })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ depth: fc.constantFrom(1, 2, 3, 4), text: richText(3) })
      .map(({ depth, text }) => node(`heading_${depth}`, { rich_text: text })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        code: fc.array(words(8), { minLength: 1, maxLength: 5 }).map((ls) => ls.join('\n')),
        language: fc.constantFrom('typescript', 'plain text', 'python', 'visual basic', 'shell'),
      })
      .map(({ code, language }) =>
        node('code', { rich_text: [{ type: 'text', text: { content: code } }], language }),
      ),
  },
  { weight: 1, arbitrary: fc.constant(node('divider', {})) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('x^2', '\\sum_{i=0}^n i', 'a \\\\ b')
      .map((e) => node('equation', { expression: e })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ width: fc.integer({ min: 1, max: 4 }), rows: fc.integer({ min: 1, max: 4 }) })
      .chain(({ width, rows }) =>
        fc.array(
          fc.array(fc.option(richText(2), { nil: [] as RichItem[] }), { minLength: width, maxLength: width }),
          {
            minLength: rows,
            maxLength: rows,
          },
        ),
      )
      .map((rows) =>
        node(
          'table',
          { table_width: rows[0]?.length ?? 1, has_column_header: true, has_row_header: false },
          rows.map((cells) => node('table_row', { cells })),
        ),
      ),
  },
  { weight: 1, arbitrary: longParagraph },
  { weight: 1, arbitrary: fc.constant(node('paragraph', { rich_text: [] })) },
);

/** Blocks with children, up to `depth` levels. */
const tree: fc.Memo<BlockNode> = fc.memo((depth: number): fc.Arbitrary<BlockNode> => {
  if (depth <= 1) return leaf;
  const kids = fc.array(tree(depth - 1), { minLength: 0, maxLength: 2 });
  const listKids = fc.array(
    fc.oneof({ weight: 3, arbitrary: listItem(depth - 1) }, { weight: 1, arbitrary: tree(depth - 1) }),
    { maxLength: 2 },
  );
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 3, arbitrary: listItem(depth) },
    {
      weight: 1,
      arbitrary: fc.record({ t: richText(3), c: kids }).map(({ t, c }) => node('quote', { rich_text: t }, c)),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          t: fc.option(richText(3), { nil: [] as RichItem[] }),
          c: kids,
          emoji: fc.constantFrom('💡', '⚠️'),
        })
        .map(({ t, c, emoji }) =>
          node('callout', { rich_text: t, icon: { type: 'emoji', emoji }, color: 'gray_background' }, c),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ t: richText(3), c: listKids })
        .map(({ t, c }) => node('toggle', { rich_text: t }, c)),
    },
  );
});

function listItem(depth: number): fc.Arbitrary<BlockNode> {
  const kids =
    depth <= 1
      ? fc.constant([] as BlockNode[])
      : fc.array(
          fc.oneof({ weight: 4, arbitrary: listItem(depth - 1) }, { weight: 1, arbitrary: tree(depth - 1) }),
          { maxLength: 2 },
        );
  return fc
    .record({
      type: fc.constantFrom('bulleted_list_item', 'numbered_list_item', 'to_do'),
      text: richText(4),
      checked: fc.boolean(),
      children: kids,
    })
    .map(({ type, text, checked, children }) =>
      node(type, type === 'to_do' ? { rich_text: text, checked } : { rich_text: text }, children),
    );
}

/** A whole document: 1–12 top-level blocks, nesting up to 7 levels. */
export const canonicalDocument: fc.Arbitrary<BlockNode[]> = fc.array(tree(7), { minLength: 1, maxLength: 8 });

/**
 * Rich text close to what the direct path writes verbatim: words over letters, digits, non-ASCII and the
 * ASCII punctuation it accepts, so the generated cases sit on both sides of every fast-path rule.
 */
const nearPlainWord = fc
  .array(fc.constantFrom(...'aaaabbbcw1209 .,:;/()-+=?\'"%é—漢\u00a0'.split('')), {
    minLength: 1,
    maxLength: 7,
  })
  .map((cs) => cs.join(''));
const nearPlainAnnotations: fc.Arbitrary<RichAnnotations | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<RichAnnotations>({ bold: true }, { italic: true }, { strikethrough: true }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<RichAnnotations>(
      { code: true },
      { bold: true, italic: true },
      { color: 'red' },
    ),
  },
);
const nearPlainItem: fc.Arbitrary<RichItem> = fc
  .record({
    content: fc.array(nearPlainWord, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' ')),
    annotations: nearPlainAnnotations,
    link: fc.option(
      fc.constantFrom('https://example.com/a', 'https://www.example.com/x?y=1', 'notion-mention:page:1'),
      {
        nil: undefined,
        freq: 5,
      },
    ),
    newline: fc.boolean(),
  })
  .map(({ content, annotations, link, newline }): RichItem => {
    const text = newline ? content + '\n' : content;
    const item: RichItem = {
      type: 'text',
      text: link ? { content: text, link: { url: link } } : { content: text },
    };
    return annotations ? { ...item, annotations } : item;
  });
const nearPlainText = fc.array(nearPlainItem, { minLength: 1, maxLength: 6 }).map(normalizeRichText);
const nearPlainTable: fc.Arbitrary<BlockNode> = fc
  .array(fc.array(nearPlainText, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 3 })
  .map((rows) => ({
    type: 'table',
    data: { table_width: 2, has_column_header: true, has_row_header: false },
    children: rows.map((cells) => ({ type: 'table_row', data: { cells }, children: [] })),
  }));
const TEXT_TYPES = [
  'paragraph',
  'heading_1',
  'heading_3',
  'quote',
  'bulleted_list_item',
  'to_do',
  'numbered_list_item',
];
/** A near-plain block with children up to `depth` levels (lists, to-dos and quotes nest). */
function nearPlainBlock(depth: number): fc.Arbitrary<BlockNode> {
  const children = depth > 0 ? fc.array(nearPlainBlock(depth - 1), { maxLength: 3 }) : fc.constant([]);
  const textBlock = fc
    .record({ type: fc.constantFrom(...TEXT_TYPES), text: nearPlainText, children, checked: fc.boolean() })
    .map(({ type, text, children: kids, checked }): BlockNode => ({
      type,
      data: type === 'to_do' ? { rich_text: text, checked } : { rich_text: text },
      children: type.endsWith('list_item') || type === 'to_do' || type === 'quote' ? [...kids] : [],
    }));
  return fc.oneof({ weight: 5, arbitrary: textBlock }, { weight: 1, arbitrary: nearPlainTable });
}

/** A document of near-plain blocks, nesting up to 4 levels. */
export const nearPlainDocument: fc.Arbitrary<BlockNode[]> = fc.array(nearPlainBlock(3), {
  minLength: 1,
  maxLength: 8,
});
