import type { Content, List, ListItem, PhrasingContent, Root, Table } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { MAX_TEXT_ITEM_CHARS } from '../notion/limits.js';
import type { BlockDraft } from './block-drafts.js';
import { isObject, type JsonObject } from './json.js';
import { textRun } from './rich-text.js';

/**
 * The page markdown endpoints (`GET/PATCH /v1/pages/{id}/markdown`, notion-api-facts.md §12), as an
 * approximation: Notion's "enhanced" markdown is rendered for common blocks (paragraphs, headings, lists,
 * to-dos, quotes, code, dividers, equations, toggles as `<details>`, callouts as `<callout>`, child pages
 * and databases as `<page>`/`<database>` tags, images); other blocks (bookmark, embed, link_preview,
 * tables, …) become `<unknown url="…" alt="<type>"/>` and are listed in `unknown_block_ids`, as Notion
 * does for types without markdown support. Writes parse GFM (remark) into blocks.
 */

const ANNOTATION_MARKS: [string, string][] = [
  ['code', '`'],
  ['bold', '**'],
  ['italic', '*'],
  ['strikethrough', '~~'],
];

/** Markdown of a response rich-text array. */
export function richTextMarkdown(items: unknown): string {
  if (!Array.isArray(items)) return '';
  return items
    .map((it: JsonObject) => {
      if (it.type === 'equation') return `$${String((it.equation as JsonObject).expression)}$`;
      let s = String(it.plain_text ?? '');
      const ann = (it.annotations ?? {}) as Record<string, unknown>;
      for (const [key, mark] of ANNOTATION_MARKS) if (ann[key] === true && s !== '') s = `${mark}${s}${mark}`;
      if (typeof it.href === 'string' && it.type === 'text') s = `[${s}](${it.href})`;
      return s;
    })
    .join('');
}

/** What rendering needs from the workspace. */
export interface MarkdownSource {
  children(id: string): string[];
  block(id: string): JsonObject;
}

/** Renders a page's blocks; returns the markdown and the ids rendered as `<unknown/>`. */
export function renderMarkdown(src: MarkdownSource, pageId: string): { markdown: string; unknown: string[] } {
  const unknown: string[] = [];
  const lines: string[] = [];
  const walk = (parentId: string, indent: string): void => {
    let number = 0;
    for (const id of src.children(parentId)) {
      const b = src.block(id);
      const type = b.type as string;
      const p = (b[type] ?? {}) as JsonObject;
      const text = richTextMarkdown(p.rich_text);
      number = type === 'numbered_list_item' ? number + 1 : 0;
      const nested = (): void => walk(id, `${indent}\t`);
      switch (type) {
        case 'paragraph':
          lines.push(`${indent}${text}`);
          nested();
          break;
        case 'heading_1':
        case 'heading_2':
        case 'heading_3':
        case 'heading_4':
          lines.push(`${indent}${'#'.repeat(Number(type.slice(-1)))} ${text}`);
          nested();
          break;
        case 'bulleted_list_item':
          lines.push(`${indent}- ${text}`);
          nested();
          break;
        case 'numbered_list_item':
          lines.push(`${indent}${number}. ${text}`);
          nested();
          break;
        case 'to_do':
          lines.push(`${indent}- [${p.checked ? 'x' : ' '}] ${text}`);
          nested();
          break;
        case 'quote':
          lines.push(`${indent}> ${text}`);
          nested();
          break;
        case 'code':
          lines.push(
            `${indent}\`\`\`${String(p.language ?? '')}`,
            ...richTextMarkdown(p.rich_text)
              .split('\n')
              .map((l) => `${indent}${l}`),
            `${indent}\`\`\``,
          );
          break;
        case 'divider':
          lines.push(`${indent}---`);
          break;
        case 'equation':
          lines.push(`${indent}$$`, `${indent}${String(p.expression)}`, `${indent}$$`);
          break;
        case 'toggle':
          lines.push(`${indent}<details>`, `${indent}<summary>${text}</summary>`);
          nested();
          lines.push(`${indent}</details>`);
          break;
        case 'callout':
          lines.push(`${indent}<callout>${text}</callout>`);
          break;
        case 'child_page':
          lines.push(
            `${indent}<page url="https://www.notion.so/${id.replace(/-/g, '')}">${String(p.title)}</page>`,
          );
          break;
        case 'child_database':
          lines.push(
            `${indent}<database url="https://www.notion.so/${id.replace(/-/g, '')}">${String(p.title)}</database>`,
          );
          break;
        case 'image': {
          const url = isObject(p.external) ? p.external.url : isObject(p.file) ? p.file.url : '';
          lines.push(`${indent}![${richTextMarkdown(p.caption)}](${String(url)})`);
          break;
        }
        default:
          unknown.push(id);
          lines.push(
            `${indent}<unknown url="https://www.notion.so/${pageId.replace(/-/g, '')}#${id.replace(/-/g, '')}" alt="${type}"/>`,
          );
      }
    }
  };
  walk(pageId, '');
  return { markdown: lines.join('\n'), unknown };
}

function chunks(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += MAX_TEXT_ITEM_CHARS) out.push(s.slice(i, i + MAX_TEXT_ITEM_CHARS));
  return out;
}

function inline(
  nodes: PhrasingContent[],
  ann: Record<string, boolean> = {},
  href: string | null = null,
): JsonObject[] {
  const out: JsonObject[] = [];
  for (const n of nodes) {
    switch (n.type) {
      case 'text':
      case 'inlineCode':
        for (const piece of chunks(n.value)) {
          const annotations = {
            bold: false,
            italic: false,
            strikethrough: false,
            underline: false,
            code: n.type === 'inlineCode',
            color: 'default',
            ...ann,
          };
          if (n.type === 'inlineCode') annotations.code = true;
          out.push({
            type: 'text',
            text: { content: piece, link: href ? { url: href } : null },
            annotations,
            plain_text: piece,
            href,
          });
        }
        break;
      case 'strong':
        out.push(...inline(n.children, { ...ann, bold: true }, href));
        break;
      case 'emphasis':
        out.push(...inline(n.children, { ...ann, italic: true }, href));
        break;
      case 'delete':
        out.push(...inline(n.children, { ...ann, strikethrough: true }, href));
        break;
      case 'link':
        out.push(...inline(n.children, ann, n.url));
        break;
      case 'break':
        out.push(...textRun('\n'));
        break;
      default:
        if ('value' in n && typeof n.value === 'string') out.push(...textRun(n.value));
    }
  }
  return out;
}

function textBlock(
  type: string,
  rich: JsonObject[],
  extra: JsonObject = {},
  children: BlockDraft[] = [],
): BlockDraft {
  return { type, payload: { rich_text: rich, color: 'default', ...extra }, children };
}

function listItems(list: List): BlockDraft[] {
  return list.children.map((item: ListItem) => {
    const [first, ...rest] = item.children;
    const rich = first && first.type === 'paragraph' ? inline(first.children) : [];
    const children = (first && first.type === 'paragraph' ? rest : item.children).flatMap((c) => toDrafts(c));
    if (item.checked !== null && item.checked !== undefined)
      return textBlock('to_do', rich, { checked: item.checked }, children);
    return textBlock(list.ordered ? 'numbered_list_item' : 'bulleted_list_item', rich, {}, children);
  });
}

function tableDraft(t: Table): BlockDraft {
  const width = Math.max(...t.children.map((r) => r.children.length));
  const rows = t.children.map((r) => ({
    type: 'table_row',
    payload: {
      cells: Array.from({ length: width }, (_, i) => (r.children[i] ? inline(r.children[i].children) : [])),
    },
    children: [],
  }));
  return {
    type: 'table',
    payload: { table_width: width, has_column_header: true, has_row_header: false },
    children: rows,
  };
}

function toDrafts(node: Content): BlockDraft[] {
  switch (node.type) {
    case 'paragraph':
      return [textBlock('paragraph', inline(node.children))];
    case 'heading':
      return [
        textBlock(`heading_${Math.min(node.depth, 4)}`, inline(node.children), { is_toggleable: false }),
      ];
    case 'list':
      return listItems(node);
    case 'blockquote':
      return [
        textBlock(
          'quote',
          node.children.flatMap((c) => (c.type === 'paragraph' ? inline(c.children) : [])),
        ),
      ];
    case 'code':
      return [
        {
          type: 'code',
          payload: {
            rich_text: chunks(node.value).flatMap((c) => textRun(c)),
            caption: [],
            language: node.lang ?? 'plain text',
          },
          children: [],
        },
      ];
    case 'thematicBreak':
      return [{ type: 'divider', payload: {}, children: [] }];
    case 'table':
      return [tableDraft(node)];
    case 'html':
      return [textBlock('paragraph', textRun(node.value))];
    default:
      return [];
  }
}

/** Parses GFM into block drafts (the `PATCH …/markdown` write path). */
export function markdownDrafts(markdown: string): BlockDraft[] {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(markdown) as Root;
  return tree.children.flatMap((c) => toDrafts(c));
}
