/**
 * Rich text ↔ mdast phrasing content, in the canonical form of docs/markdown.md:
 * links `[…](…)`, colour `<span color="…">…</span>`, underline `<u>…</u>`, strikethrough `~~…~~`,
 * bold `**…**`, italic `*…*`, code `` `…` ``, equations `$…$`, mentions `[text](notion-mention:…)`.
 * Wrappers nest in that order (outermost first) and group runs of items, so one rich-text array has
 * exactly one rendering.
 */
import type { PhrasingContent } from 'mdast';
import type { RichAnnotations, RichItem } from './block-node.js';
import { isRecord } from './block-node.js';

/** URL scheme that carries a mention through markdown. */
export const MENTION_SCHEME = 'notion-mention:';

type Layer = 'link' | 'color' | 'underline' | 'strikethrough' | 'bold' | 'italic';
const LAYERS: readonly Layer[] = ['link', 'color', 'underline', 'strikethrough', 'bold', 'italic'];

function layerValue(item: RichItem, layer: Layer): string | undefined {
  const a = item.annotations ?? {};
  switch (layer) {
    case 'link':
      return item.type === 'text' ? item.text.link?.url : undefined;
    case 'color':
      return a.color;
    case 'underline':
      return a.underline ? '1' : undefined;
    case 'strikethrough':
      return a.strikethrough ? '1' : undefined;
    case 'bold':
      return a.bold ? '1' : undefined;
    case 'italic':
      return a.italic ? '1' : undefined;
  }
}

/** The mention's URL form: `notion-mention:page:<id>`, or `notion-mention:<type>:<json>`. */
export function mentionUrl(mention: { type: string } & Record<string, unknown>): string {
  const value = mention[mention.type];
  if (
    (mention.type === 'page' || mention.type === 'database' || mention.type === 'user') &&
    isRecord(value)
  ) {
    return `${MENTION_SCHEME}${mention.type}:${String(value['id'])}`;
  }
  return `${MENTION_SCHEME}${mention.type}:${encodeURIComponent(JSON.stringify(value))}`;
}

/** Inverse of {@link mentionUrl}; undefined when the URL is not a mention. */
export function parseMentionUrl(url: string): ({ type: string } & Record<string, unknown>) | undefined {
  if (!url.startsWith(MENTION_SCHEME)) return undefined;
  const rest = url.slice(MENTION_SCHEME.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return undefined;
  const type = rest.slice(0, colon);
  const value = rest.slice(colon + 1);
  if (type === 'page' || type === 'database' || type === 'user') return { type, [type]: { id: value } };
  try {
    return { type, [type]: JSON.parse(decodeURIComponent(value)) as unknown };
  } catch {
    return undefined;
  }
}

/**
 * A hard break cannot end a paragraph in markdown (`\` before the end is a literal backslash), so
 * newlines that end the whole rich text are written as `<br>`.
 */
const BR = '<br>';
const BR_TAG = /^<br\s*\/?>$/i;

function leaf(item: RichItem, last: boolean): PhrasingContent[] {
  if (item.type === 'equation') return [{ type: 'inlineMath', value: item.equation.expression }];
  if (item.type === 'mention') {
    const text = item.plain_text ?? '';
    return [
      {
        type: 'link',
        url: mentionUrl(item.mention),
        children: text === '' ? [] : [{ type: 'text', value: text }],
      },
    ];
  }
  const content = item.text.content;
  if (item.annotations?.code) return [{ type: 'inlineCode', value: content }];
  const out: PhrasingContent[] = [];
  const body = last ? content.replace(/\n+$/, '') : content;
  body.split('\n').forEach((line, i) => {
    if (i > 0) out.push({ type: 'break' });
    if (line !== '') out.push({ type: 'text', value: line });
  });
  for (let i = body.length; i < content.length; i++) out.push({ type: 'html', value: BR });
  return out;
}

function wrap(layer: Layer, value: string, children: PhrasingContent[]): PhrasingContent[] {
  switch (layer) {
    case 'link':
      return [{ type: 'link', url: value, children }];
    case 'color':
      return [
        { type: 'html', value: `<span color="${value}">` },
        ...children,
        { type: 'html', value: '</span>' },
      ];
    case 'underline':
      return [{ type: 'html', value: '<u>' }, ...children, { type: 'html', value: '</u>' }];
    case 'strikethrough':
      return [{ type: 'delete', children }];
    case 'bold':
      return [{ type: 'strong', children }];
    case 'italic':
      return [{ type: 'emphasis', children }];
  }
}

/** Bit `i` set when the item has a value for `LAYERS[i]`. */
function layerMask(item: RichItem): number {
  let mask = 0;
  for (let i = 0; i < LAYERS.length; i++)
    if (layerValue(item, LAYERS[i] as Layer) !== undefined) mask |= 1 << i;
  return mask;
}

/** Render `items[from, to)` from wrapper layer `depth` inwards; layers no item in the range uses are skipped. */
function render(
  items: readonly RichItem[],
  masks: readonly number[],
  from: number,
  to: number,
  depth: number,
  last: RichItem | undefined,
): PhrasingContent[] {
  let used = 0;
  for (let k = from; k < to; k++) used |= masks[k] as number;
  while (depth < LAYERS.length && (used & (1 << depth)) === 0) depth++;
  const out: PhrasingContent[] = [];
  const layer = LAYERS[depth];
  if (layer === undefined) {
    for (let k = from; k < to; k++) out.push(...leaf(items[k] as RichItem, items[k] === last));
    return out;
  }
  let i = from;
  while (i < to) {
    const value = layerValue(items[i] as RichItem, layer);
    let j = i + 1;
    while (j < to && layerValue(items[j] as RichItem, layer) === value) j++;
    const inner = render(items, masks, i, j, depth + 1, last);
    out.push(...(value === undefined ? inner : wrap(layer, value, inner)));
    i = j;
  }
  return out;
}

/** Render a normalised rich-text array as mdast phrasing content. */
export function richTextToPhrasing(items: readonly RichItem[]): PhrasingContent[] {
  return render(items, items.map(layerMask), 0, items.length, 0, items[items.length - 1]);
}

interface Context {
  annotations: RichAnnotations;
  link?: string;
}

const SPAN_OPEN = /^<span\s+color="([a-z_]+)"\s*>$/;

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** Add `item` with the context's annotations (an inline code item keeps its own `code`). */
function push(out: RichItem[], ctx: Context, item: RichItem): void {
  if (!hasKeys(ctx.annotations)) {
    out.push(item);
    return;
  }
  const code = item.type === 'text' && item.annotations?.code === true;
  out.push({ ...item, annotations: code ? { ...ctx.annotations, code: true } : { ...ctx.annotations } });
}

function walk(nodes: readonly PhrasingContent[], ctx: Context, out: RichItem[], defs: Definitions): void {
  // Inline HTML tags open and close as siblings, so track them per parent.
  const stack: Context[] = [ctx];
  for (const node of nodes) {
    const c = stack[stack.length - 1] as Context;
    switch (node.type) {
      case 'text':
        push(out, c, text(node.value, c.link));
        break;
      case 'break':
        push(out, c, text('\n', c.link));
        break;
      case 'inlineCode':
        push(out, c, { ...text(node.value, c.link), annotations: { code: true } });
        break;
      case 'inlineMath':
        push(out, { annotations: c.annotations }, { type: 'equation', equation: { expression: node.value } });
        break;
      case 'strong':
        walk(node.children, { ...c, annotations: { ...c.annotations, bold: true } }, out, defs);
        break;
      case 'emphasis':
        walk(node.children, { ...c, annotations: { ...c.annotations, italic: true } }, out, defs);
        break;
      case 'delete':
        walk(node.children, { ...c, annotations: { ...c.annotations, strikethrough: true } }, out, defs);
        break;
      case 'link':
      case 'linkReference': {
        const url = node.type === 'link' ? node.url : (defs.get(node.identifier.toLowerCase()) ?? '');
        const mention = parseMentionUrl(url);
        if (mention !== undefined) {
          const plain = plainText(node.children);
          const item: RichItem = { type: 'mention', mention };
          if (plain !== '') item.plain_text = plain;
          push(out, { annotations: c.annotations }, item);
        } else {
          walk(node.children, { ...c, link: url }, out, defs);
        }
        break;
      }
      case 'html': {
        const v = node.value.trim();
        const span = SPAN_OPEN.exec(v);
        if (BR_TAG.test(v)) push(out, c, text('\n', c.link));
        else if (v === '<u>') stack.push({ ...c, annotations: { ...c.annotations, underline: true } });
        else if (span) stack.push({ ...c, annotations: { ...c.annotations, color: span[1] as string } });
        else if ((v === '</u>' || v === '</span>') && stack.length > 1) stack.pop();
        else push(out, c, text(node.value, c.link));
        break;
      }
      case 'image':
      case 'imageReference': {
        const url = node.type === 'image' ? node.url : (defs.get(node.identifier.toLowerCase()) ?? '');
        push(out, c, text(node.alt || url, url));
        break;
      }
      case 'footnoteReference':
        push(out, c, text(`[^${node.identifier}]`, c.link));
        break;
    }
  }
}

function text(content: string, link: string | undefined): RichItem {
  return link === undefined
    ? { type: 'text', text: { content } }
    : { type: 'text', text: { content, link: { url: link } } };
}

function plainText(nodes: readonly PhrasingContent[]): string {
  return nodes
    .map((n) => ('value' in n ? n.value : 'children' in n ? plainText(n.children as PhrasingContent[]) : ''))
    .join('');
}

/** Link and image definitions of a document, by lowercased identifier. */
export type Definitions = ReadonlyMap<string, string>;

/** Parse mdast phrasing content back into (unmerged) rich-text items. */
export function phrasingToRichText(
  nodes: readonly PhrasingContent[],
  defs: Definitions = new Map(),
): RichItem[] {
  const out: RichItem[] = [];
  walk(nodes, { annotations: {} }, out, defs);
  return out;
}
