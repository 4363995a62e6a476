/**
 * mdast → normal-form block trees: the inverse of block-tree-to-mdast.ts for the canonical form, and
 * a best-effort mapping for any other GFM (headings 5–6 become heading_4, inline images become links,
 * unknown code languages become `plain text`, raw HTML is kept as text).
 */
import type { Content, List, ListItem, PhrasingContent, Root, RootContent } from 'mdast';
import type { BlockNode, RichItem } from './block-node.js';
import { RICH_TEXT_TYPES, normalizeRichText, isRecord } from './block-node.js';
import { parseDirective } from './block-directive.js';
import { PLAIN_TEXT_LANGUAGE } from './block-tree-to-mdast.js';
import type { Definitions } from './rich-text-mdast.js';
import { phrasingToRichText } from './rich-text-mdast.js';
import { normalizeLanguage } from './code-language.js';

type Flow = RootContent | Content;

function richText(nodes: readonly PhrasingContent[], defs: Definitions): RichItem[] {
  return normalizeRichText(phrasingToRichText(nodes, defs));
}

/** Flow containers: the only places a definition can be (phrasing never holds one). */
const FLOW_CONTAINERS = new Set(['root', 'blockquote', 'list', 'listItem', 'footnoteDefinition']);

function collectDefinitions(node: { type?: unknown; children?: unknown[] }, into: Map<string, string>): void {
  for (const child of node.children ?? []) {
    if (!isRecord(child)) continue;
    if (child['type'] === 'definition')
      into.set(String(child['identifier']).toLowerCase(), String(child['url']));
    if (FLOW_CONTAINERS.has(String(child['type'])) && Array.isArray(child['children']))
      collectDefinitions(child as { children: unknown[] }, into);
  }
}

/** Normalise directive attributes (rich text inside them may come from hand-written JSON). */
function attrsData(attrs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'caption' || k === 'rich_text') out[k] = normalizeRichText(v);
    else if (k === 'cells' && Array.isArray(v)) out[k] = v.map((c) => normalizeRichText(c));
    else out[k] = v;
  }
  return out;
}

class FlowReader {
  constructor(private readonly defs: Definitions) {}

  /** Convert a sequence of sibling flow nodes, resolving directive containers. */
  read(nodes: readonly Flow[]): BlockNode[] {
    const out: BlockNode[] = [];
    let i = 0;
    while (i < nodes.length) {
      const node = nodes[i] as Flow;
      const d = node.type === 'html' ? parseDirective(node.value) : undefined;
      if (d?.kind === 'open' && !d.selfClosing) {
        // Find the matching close at the same level, counting nested containers.
        let depth = 1;
        let j = i + 1;
        for (; j < nodes.length; j++) {
          const n = nodes[j] as Flow;
          const inner = n.type === 'html' ? parseDirective(n.value) : undefined;
          if (inner?.kind === 'open' && !inner.selfClosing) depth++;
          if (inner?.kind === 'close' && --depth === 0) break;
        }
        const body = nodes.slice(i + 1, j);
        const data = attrsData(d.attrs);
        let rest = body;
        if (RICH_TEXT_TYPES.has(d.type) && data['rich_text'] === undefined) {
          const first = body[0];
          data['rich_text'] = first?.type === 'paragraph' ? richText(first.children, this.defs) : [];
          rest = first?.type === 'paragraph' ? body.slice(1) : body;
        }
        out.push(this.ordered({ type: d.type, data, children: this.read(rest) }));
        i = j + 1;
        continue;
      }
      if (d?.kind === 'open') {
        const data = attrsData(d.attrs);
        if (RICH_TEXT_TYPES.has(d.type) && data['rich_text'] === undefined) data['rich_text'] = [];
        out.push(this.ordered({ type: d.type, data, children: [] }));
      } else if (d?.kind !== 'close') out.push(...this.block(node));
      i++;
    }
    return out;
  }

  /** Keep `rich_text` first in data so that equal blocks serialise alike. */
  private ordered(node: BlockNode): BlockNode {
    if (!('rich_text' in node.data)) return node;
    const { rich_text, ...rest } = node.data;
    return { ...node, data: { rich_text, ...rest } };
  }

  private textAndChildren(children: readonly Flow[]): { text: RichItem[]; rest: readonly Flow[] } {
    const first = children[0];
    if (first?.type === 'paragraph')
      return { text: richText(first.children, this.defs), rest: children.slice(1) };
    return { text: [], rest: children };
  }

  private list(list: List): BlockNode[] {
    return list.children.map((item: ListItem, index) => {
      const { text, rest } = this.textAndChildren(item.children);
      const children = this.read(rest);
      if (typeof item.checked === 'boolean') {
        return { type: 'to_do', data: { rich_text: text, checked: item.checked }, children };
      }
      if (list.ordered) {
        const data: Record<string, unknown> = { rich_text: text };
        if (index === 0 && typeof list.start === 'number' && list.start !== 1)
          data['list_start_index'] = list.start;
        return { type: 'numbered_list_item', data, children };
      }
      return { type: 'bulleted_list_item', data: { rich_text: text }, children };
    });
  }

  private block(node: Flow): BlockNode[] {
    switch (node.type) {
      case 'paragraph': {
        const only = node.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
        const img = only.length === 1 ? only[0] : undefined;
        if (img?.type === 'image') {
          const caption: RichItem[] = img.alt ? [{ type: 'text', text: { content: img.alt } }] : [];
          const data: Record<string, unknown> = { type: 'external', external: { url: img.url } };
          if (caption.length > 0) data['caption'] = caption;
          return [{ type: 'image', data, children: [] }];
        }
        const text = richText(node.children, this.defs);
        return text.length === 0 ? [] : [{ type: 'paragraph', data: { rich_text: text }, children: [] }];
      }
      case 'heading': {
        const type = `heading_${Math.min(node.depth, 4)}`;
        return [{ type, data: { rich_text: richText(node.children, this.defs) }, children: [] }];
      }
      case 'thematicBreak':
        return [{ type: 'divider', data: {}, children: [] }];
      case 'blockquote': {
        const { text, rest } = this.textAndChildren(node.children);
        return [{ type: 'quote', data: { rich_text: text }, children: this.read(rest) }];
      }
      case 'list':
        return this.list(node);
      case 'code': {
        const language = node.lang
          ? normalizeLanguage([node.lang, node.meta].filter(Boolean).join(' '))
          : PLAIN_TEXT_LANGUAGE;
        const text: RichItem[] = node.value === '' ? [] : [{ type: 'text', text: { content: node.value } }];
        return [{ type: 'code', data: { rich_text: text, language }, children: [] }];
      }
      case 'math':
        return [{ type: 'equation', data: { expression: node.value }, children: [] }];
      case 'table': {
        const width = Math.max(1, ...node.children.map((r) => r.children.length));
        const rows = node.children.map((row) => {
          const cells = row.children.map((cell) => richText(cell.children, this.defs));
          while (cells.length < width) cells.push([]);
          return { type: 'table_row', data: { cells }, children: [] };
        });
        return [
          {
            type: 'table',
            data: { table_width: width, has_column_header: true, has_row_header: false },
            children: rows,
          },
        ];
      }
      case 'html': {
        // Raw HTML that is not a directive: keep it, as text.
        return [
          {
            type: 'paragraph',
            data: { rich_text: [{ type: 'text', text: { content: node.value } }] },
            children: [],
          },
        ];
      }
      case 'footnoteDefinition':
        return this.read(node.children);
      case 'definition':
      case 'yaml':
        return [];
      default:
        return [];
    }
  }
}

/** Convert an mdast root into normal-form blocks. */
export function mdastToBlockTree(root: Root): BlockNode[] {
  const defs = new Map<string, string>();
  collectDefinitions(root, defs);
  return new FlowReader(defs).read(root.children);
}
