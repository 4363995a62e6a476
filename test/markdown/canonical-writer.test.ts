import type { BlockObjectResponse } from '@notionhq/client';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDocument } from '../../bench/markdown-corpus.js';
import type { BlockNode, FetchedBlock } from '../../src/markdown/block-node.js';
import {
  DEFAULT_ANNOTATIONS,
  RICH_TEXT_TYPES,
  contentOf,
  isRecord,
  nodeFromFetched,
  nodeFromRequest,
} from '../../src/markdown/block-node.js';
import { blocksToMdast } from '../../src/markdown/block-tree-to-mdast.js';
import { writeCanonical } from '../../src/markdown/canonical-writer.js';
import { stringifyMarkdown } from '../../src/markdown/markdown-processor.js';
import { markdownToBlocks } from '../../src/markdown/markdown-to-blocks.js';
import { allBlocksFixture } from '../fixtures/markdown/all-blocks.js';
import { canonicalDocument, nearPlainDocument } from './canonical-arbitraries.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/markdown');

type Json = Record<string, unknown>;

/** Response-shaped rich text, each text item cut in two (Notion cuts text; the writer must merge it back). */
function responseRichText(items: unknown): Json[] {
  if (!Array.isArray(items)) return [];
  return items.filter(isRecord).flatMap((item): Json[] => {
    const annotations = {
      ...DEFAULT_ANNOTATIONS,
      ...(isRecord(item['annotations']) ? item['annotations'] : {}),
    };
    const text = item['text'];
    if (!isRecord(text)) return [{ ...item, annotations, plain_text: '', href: null }];
    const content = String(text['content']);
    const url = isRecord(text['link']) ? String(text['link']['url']) : null;
    const piece = (part: string): Json => ({
      type: 'text',
      text: { content: part, link: url === null ? null : { url } },
      annotations,
      plain_text: part,
      href: url,
    });
    const cut = Math.floor(content.length / 2);
    return content.length < 4 ? [piece(content)] : [piece(content.slice(0, cut)), piece(content.slice(cut))];
  });
}

/** A normal-form tree as `blocks.children.list` would return it: defaults spelled out, text cut. */
function asFetched(nodes: readonly BlockNode[]): FetchedBlock[] {
  return nodes.map((node, i) => {
    const payload: Json = { ...node.data };
    if (payload['rich_text'] !== undefined) payload['rich_text'] = responseRichText(payload['rich_text']);
    if (Array.isArray(payload['cells'])) payload['cells'] = payload['cells'].map(responseRichText);
    if (RICH_TEXT_TYPES.has(node.type) && node.type !== 'code' && payload['color'] === undefined)
      payload['color'] = 'default';
    if (node.type.startsWith('heading_') && payload['is_toggleable'] === undefined)
      payload['is_toggleable'] = false;
    if (node.type === 'code' && payload['caption'] === undefined) payload['caption'] = [];
    if (node.type === 'to_do' && payload['checked'] === undefined) payload['checked'] = false;
    const block = {
      object: 'block',
      id: `block-${i}`,
      has_children: node.children.length > 0,
      type: node.type,
      [node.type]: payload,
    } as unknown as BlockObjectResponse;
    return { block, children: asFetched(node.children) };
  });
}

/** A normal-form node back in request shape (children inside the payload). */
function toRequest(node: BlockNode): Json {
  return { type: node.type, [node.type]: { ...node.data, children: node.children.map(toRequest) } };
}

/** The reference: remark-stringify with the canonical options over the normal form's mdast. */
function reference(nodes: readonly BlockNode[]): string {
  return stringifyMarkdown(blocksToMdast(nodes));
}

/** The writer gives the remark reference, on the normal form and on the response shape. */
function expectSameEverywhere(nodes: readonly BlockNode[]): void {
  const expected = reference(nodes);
  expect(writeCanonical(nodes)).toBe(expected);
  const fetched = asFetched(nodes);
  // The response shape says the same as the normal form (so the reference holds for both).
  expect(fetched.map(nodeFromFetched).map(contentOf)).toEqual(nodes.map(contentOf));
  expect(writeCanonical(fetched)).toBe(expected);
}

describe(writeCanonical, () => {
  it('writes exactly what remark-stringify writes for generated canonical documents', () => {
    fc.assert(fc.property(canonicalDocument, expectSameEverywhere), { numRuns: 80, seed: 20261122 });
  }, 120_000);

  it('writes exactly what remark-stringify writes for near-plain documents (both sides of every fast-path rule)', () => {
    fc.assert(fc.property(nearPlainDocument, expectSameEverywhere), { numRuns: 300, seed: 7 });
  }, 120_000);

  const corpus = readdirSync(FIXTURES).filter((f) => f.endsWith('.md'));
  it.each(corpus)(
    'writes the corpus file %s exactly as remark-stringify does, and as the file says',
    (file) => {
      const markdown = readFileSync(join(FIXTURES, file), 'utf8');
      const nodes = markdownToBlocks(markdown).map(nodeFromRequest);
      expectSameEverywhere(nodes);
      expect(writeCanonical(asFetched(nodes))).toBe(markdown);
    },
  );

  it.each([1, 2, 3])(
    'writes the generated bench document (seed %i) exactly as remark-stringify does',
    (seed) => {
      const markdown = generateDocument(20_000, seed);
      const nodes = markdownToBlocks(markdown).map(nodeFromRequest);
      expectSameEverywhere(nodes);
      expect(writeCanonical(asFetched(nodes))).toBe(markdown);
    },
  );

  it('writes the every-block fixture (response shape: mentions, colours, media, directives) as remark does', () => {
    const tree = allBlocksFixture();
    expect(writeCanonical(tree)).toBe(reference(tree.map(nodeFromFetched)));
  });

  const t = (content: string, annotations?: Json, link?: string): Json => ({
    type: 'text',
    text: link ? { content, link: { url: link } } : { content },
    ...(annotations ? { annotations } : {}),
  });
  const n = (type: string, data: Json, children: BlockNode[] = []): BlockNode => ({ type, data, children });
  const item = (type: string, text: string, children: BlockNode[] = [], extra: Json = {}): BlockNode =>
    n(type, { rich_text: [t(text)], ...extra }, children);
  const structures: [string, BlockNode[]][] = [
    [
      'a nested ordered list that starts at 3',
      [item('bulleted_list_item', 'a', [item('numbered_list_item', 'b', [], { list_start_index: 3 })])],
    ],
    [
      'a top-level ordered list that starts at 0',
      [item('numbered_list_item', 'zero', [], { list_start_index: 0 }), item('numbered_list_item', 'one')],
    ],
    [
      'bullets, then numbers, under one item',
      [
        item('to_do', 'a', [item('bulleted_list_item', 'b'), item('numbered_list_item', 'c')], {
          checked: true,
        }),
      ],
    ],
    [
      'a list right after a list of the other kind',
      [item('bulleted_list_item', 'a'), item('numbered_list_item', 'b'), item('bulleted_list_item', 'c')],
    ],
    [
      'a quote and a directive inside a list item',
      [
        item('bulleted_list_item', 'a', [
          item('quote', 'q', [item('bulleted_list_item', 'in quote')]),
          item('toggle', 'tog'),
        ]),
      ],
    ],
    [
      'an empty to-do and an empty item',
      [n('to_do', { rich_text: [], checked: false }), n('bulleted_list_item', { rich_text: [] })],
    ],
    ['a divider first in a list item', [n('bulleted_list_item', { rich_text: [] }, [n('divider', {})])]],
    [
      'code with odd languages',
      [
        n('code', { rich_text: [t('x')], language: 'c++ meta data' }),
        n('code', { rich_text: [t('```')], language: 'ts ' }),
        n('code', { rich_text: [], language: '' }),
      ],
    ],
    [
      'an image, a captioned image, an equation',
      [
        n('image', { type: 'external', external: { url: 'https://x.io/a.png' } }),
        n('image', { type: 'external', external: { url: 'https://x.io/a b.png' }, caption: [t('cap')] }),
        n('equation', { expression: 'a $ b' }),
      ],
    ],
    [
      'text that needs escaping everywhere',
      [
        item('paragraph', '1. *not* a list'),
        item('heading_2', '# x'),
        n('table', { table_width: 1, has_column_header: true, has_row_header: false }, [
          n('table_row', { cells: [[t('a|b')]] }),
        ]),
      ],
    ],
    [
      'colours, underline and formatted links',
      [
        n('paragraph', {
          rich_text: [
            t('red', { color: 'red' }),
            t(' and '),
            t('under', { underline: true }),
            t(' '),
            t('bold link', { bold: true }, 'https://a.io'),
          ],
        }),
      ],
    ],
  ];
  it.each(structures)('writes %s exactly as remark does', (_name, nodes) => {
    expectSameEverywhere(nodes.map((node) => nodeFromRequest(toRequest(node))));
  });

  it('sends the whole document to remark for an empty first item of a nested bullet list', () => {
    const empty: BlockNode = { type: 'bulleted_list_item', data: { rich_text: [] }, children: [] };
    const nodes: BlockNode[] = [
      {
        type: 'bulleted_list_item',
        data: { rich_text: [{ type: 'text', text: { content: 'outer' } }] },
        children: [empty],
      },
    ];
    expectSameEverywhere(nodes);
  });
});
