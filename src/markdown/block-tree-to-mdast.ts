/**
 * Normal-form block trees → mdast, in the canonical form (docs/markdown.md). A block uses plain
 * markdown only when markdown can carry all of it; otherwise it becomes a directive comment
 * (block-directive.ts), so nothing is dropped.
 */
import type { BlockContent, List, ListItem, PhrasingContent, Root, RootContent, TableRow } from 'mdast';
import type { BlockNode, RichItem } from './block-node.js';
import { RICH_TEXT_TYPES } from './block-node.js';
import { closeDirective, openDirective } from './block-directive.js';
import { richTextToPhrasing } from './rich-text-mdast.js';

type Flow = RootContent;

const HEADING_DEPTH: Record<string, 1 | 2 | 3 | 4> = {
  heading_1: 1,
  heading_2: 2,
  heading_3: 3,
  heading_4: 4,
};

/** Notion's name for code without a language. */
export const PLAIN_TEXT_LANGUAGE = 'plain text';

function rich(node: BlockNode, key = 'rich_text'): RichItem[] {
  const v = node.data[key];
  return Array.isArray(v) ? (v as RichItem[]) : [];
}

function dataKeys(node: BlockNode, allowed: readonly string[]): boolean {
  return Object.keys(node.data).every((k) => allowed.includes(k));
}

function isPlainCaption(items: RichItem[]): boolean {
  return items.every(
    (i) => i.type === 'text' && i.annotations === undefined && !i.text.link && !i.text.content.includes('\n'),
  );
}

function hasNewline(items: RichItem[]): boolean {
  return items.some((i) => i.type === 'text' && i.text.content.includes('\n'));
}

/** Whether a list item / quote can be plain markdown (its text cannot be confused with a child). */
function textThenChildren(node: BlockNode): boolean {
  return rich(node).length > 0 || node.children.length === 0;
}

function listKind(node: BlockNode): 'bullet' | 'ordered' | undefined {
  if (node.type === 'bulleted_list_item' || node.type === 'to_do') return 'bullet';
  if (node.type === 'numbered_list_item') return 'ordered';
  return undefined;
}

/** Whether `node` has a plain-markdown form; `first` tells whether it opens a list run. */
function isNative(node: BlockNode, first: boolean): boolean {
  const text = rich(node);
  switch (node.type) {
    case 'paragraph':
      return dataKeys(node, ['rich_text']) && text.length > 0 && node.children.length === 0;
    case 'heading_1':
    case 'heading_2':
    case 'heading_3':
    case 'heading_4':
      return (
        dataKeys(node, ['rich_text', 'is_toggleable']) &&
        node.data['is_toggleable'] !== true &&
        text.length > 0 &&
        !hasNewline(text) &&
        node.children.length === 0
      );
    case 'bulleted_list_item':
      return dataKeys(node, ['rich_text']) && textThenChildren(node);
    case 'to_do':
      // An empty to-do has no markdown form: GFM reads `- [ ]` with no text as a plain bullet.
      return dataKeys(node, ['rich_text', 'checked']) && text.length > 0;
    case 'numbered_list_item': {
      if (!dataKeys(node, ['rich_text', 'list_start_index']) || !textThenChildren(node)) return false;
      const start = node.data['list_start_index'];
      return start === undefined || (first && typeof start === 'number' && start !== 1 && start >= 0);
    }
    case 'quote':
      return dataKeys(node, ['rich_text']) && textThenChildren(node) && text.length > 0;
    case 'code':
      return (
        dataKeys(node, ['rich_text', 'language']) &&
        text.every((i) => i.type === 'text' && i.annotations === undefined && !i.text.link) &&
        !/^\s|\s$/.test(codeText(node)) &&
        typeof node.data['language'] === 'string' &&
        !/^[^a-z]|`|\s\s/.test(node.data['language'] as string)
      );
    case 'equation':
      return (
        dataKeys(node, ['expression']) &&
        typeof node.data['expression'] === 'string' &&
        node.data['expression'] !== '' &&
        !/^\s|\s$|\$\$/.test(node.data['expression'] as string)
      );
    case 'divider':
      return dataKeys(node, []) && node.children.length === 0;
    case 'table':
      return isNativeTable(node);
    case 'image': {
      const ext = node.data['external'] as { url?: unknown } | undefined;
      return (
        dataKeys(node, ['type', 'external', 'caption']) &&
        node.data['type'] === 'external' &&
        typeof ext?.url === 'string' &&
        Object.keys(ext).length === 1 &&
        isPlainCaption(rich(node, 'caption')) &&
        !/^\s|\s$/.test(plain(rich(node, 'caption'))) &&
        node.children.length === 0
      );
    }
    default:
      return false;
  }
}

function isNativeTable(node: BlockNode): boolean {
  const width = node.data['table_width'];
  if (!dataKeys(node, ['table_width', 'has_column_header', 'has_row_header'])) return false;
  if (node.data['has_column_header'] !== true || node.data['has_row_header'] === true) return false;
  if (typeof width !== 'number' || width < 1 || node.children.length === 0) return false;
  return node.children.every((row) => {
    const cells = row.data['cells'];
    return (
      row.type === 'table_row' &&
      dataKeys(row, ['cells']) &&
      row.children.length === 0 &&
      Array.isArray(cells) &&
      cells.length === width &&
      (cells as RichItem[][]).every((c) => !hasNewline(c) && !/^\s|\s$/.test(plain(c)))
    );
  });
}

function plain(items: RichItem[]): string {
  return items.map((i) => (i.type === 'text' ? i.text.content : '')).join('');
}

function codeText(node: BlockNode): string {
  return plain(rich(node));
}

function paragraph(items: RichItem[]): Flow {
  return { type: 'paragraph', children: richTextToPhrasing(items) };
}

/** The directive form of any block: it carries everything. */
function directive(node: BlockNode): Flow[] {
  const { rich_text: text, ...attrs } = node.data;
  const hasText = RICH_TEXT_TYPES.has(node.type) && Array.isArray(text) && text.length > 0;
  if (!hasText && node.children.length === 0)
    return [{ type: 'html', value: openDirective(node.type, attrs, true) }];
  if (RICH_TEXT_TYPES.has(node.type) && !hasText) attrs['rich_text'] = [];
  return [
    { type: 'html', value: openDirective(node.type, attrs, false) },
    ...(hasText ? [paragraph(text as RichItem[])] : []),
    ...blocksToFlow(node.children),
    { type: 'html', value: closeDirective(node.type) },
  ];
}

function listItem(node: BlockNode): ListItem {
  const text = rich(node);
  const children = [
    ...(text.length > 0 ? [paragraph(text)] : []),
    ...blocksToFlow(node.children),
  ] as BlockContent[];
  // A tight item is only safe when its content after the text is nested lists: anything else
  // (a table, a rule, a directive) could be read as a continuation of the paragraph.
  const spread = children.slice(text.length > 0 ? 1 : 0).some((c) => c.type !== 'list');
  return {
    type: 'listItem',
    spread,
    checked: node.type === 'to_do' ? node.data['checked'] === true : null,
    children,
  };
}

/** The plain-markdown mdast of a block for which `isNative` holds (a paragraph, heading, code, table, …). */
export function nativeBlock(node: BlockNode): Flow {
  switch (node.type) {
    case 'paragraph':
      return paragraph(rich(node));
    case 'heading_1':
    case 'heading_2':
    case 'heading_3':
    case 'heading_4':
      return {
        type: 'heading',
        depth: HEADING_DEPTH[node.type] ?? 1,
        children: richTextToPhrasing(rich(node)),
      };
    case 'quote':
      return {
        type: 'blockquote',
        children: [paragraph(rich(node)), ...blocksToFlow(node.children)] as BlockContent[],
      };
    case 'code': {
      const language = node.data['language'] as string;
      const space = language.indexOf(' ');
      const [lang, meta] =
        language === PLAIN_TEXT_LANGUAGE
          ? [null, null]
          : space < 0
            ? [language, null]
            : [language.slice(0, space), language.slice(space + 1)];
      return { type: 'code', lang, meta, value: codeText(node) };
    }
    case 'equation':
      return { type: 'math', value: node.data['expression'] as string };
    case 'divider':
      return { type: 'thematicBreak' };
    case 'table':
      return {
        type: 'table',
        align: node.children.length > 0 ? (node.children[0]?.data['cells'] as unknown[]).map(() => null) : [],
        children: node.children.map((row): TableRow => ({
          type: 'tableRow',
          children: (row.data['cells'] as RichItem[][]).map((cell) => ({
            type: 'tableCell',
            children: richTextToPhrasing(cell),
          })),
        })),
      };
    case 'image': {
      const caption = plain(rich(node, 'caption'));
      const url = (node.data['external'] as { url: string }).url;
      return { type: 'paragraph', children: [{ type: 'image', url, alt: caption } as PhrasingContent] };
    }
    default:
      return directive(node)[0] as Flow;
  }
}

/** Render a sequence of sibling blocks as flow content, grouping list items into lists. */
export function blocksToFlow(nodes: readonly BlockNode[]): Flow[] {
  const out: Flow[] = [];
  let list: List | undefined;
  for (const node of nodes) {
    const kind = listKind(node);
    const continues =
      list !== undefined && kind !== undefined && (list.ordered ? 'ordered' : 'bullet') === kind;
    if (kind !== undefined && isNative(node, !continues)) {
      if (!continues || list === undefined) {
        const start = node.data['list_start_index'];
        list = { type: 'list', ordered: kind === 'ordered', spread: false, children: [] };
        if (kind === 'ordered') list.start = typeof start === 'number' ? start : 1;
        out.push(list);
      }
      list.children.push(listItem(node));
      continue;
    }
    list = undefined;
    if (kind === undefined && isNative(node, true)) out.push(nativeBlock(node));
    else out.push(...directive(node));
  }
  return out;
}

/** Render a whole block tree as an mdast root. */
export function blocksToMdast(nodes: readonly BlockNode[]): Root {
  return { type: 'root', children: blocksToFlow(nodes) };
}
