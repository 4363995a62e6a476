/**
 * The converter's neutral block tree. Both SDK shapes (a `BlockObjectResponse` read from Notion and a
 * `BlockObjectRequest` about to be written) normalise into it, so markdown rendering, diffing and
 * request building each have one input type.
 *
 * Normal form: rich text is in request shape with only non-default annotations, adjacent text items
 * with equal annotations and link are merged (Notion splits at 2,000 characters, we re-split on write),
 * read-only response fields (`plain_text` of text, `href`, ids of users beyond `id`) are gone.
 */
import type { BlockObjectResponse } from '@notionhq/client';

/** Annotations of one rich-text item; only the non-default ones are present. */
export interface RichAnnotations {
  bold?: true;
  italic?: true;
  strikethrough?: true;
  underline?: true;
  code?: true;
  /** Any colour but `default`, e.g. `red` or `blue_background`. */
  color?: string;
}

/** Annotations as Notion returns them when nothing is set. */
export const DEFAULT_ANNOTATIONS: Readonly<{
  bold: boolean;
  italic: boolean;
  strikethrough: boolean;
  underline: boolean;
  code: boolean;
  color: string;
}> = Object.freeze({
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: 'default',
});

/** One rich-text item in normal form. */
export type RichItem =
  | { type: 'text'; text: { content: string; link?: { url: string } }; annotations?: RichAnnotations }
  | { type: 'equation'; equation: { expression: string }; annotations?: RichAnnotations }
  | {
      type: 'mention';
      mention: { type: string } & Record<string, unknown>;
      annotations?: RichAnnotations;
      /** Display text Notion rendered for the mention; never sent on write. */
      plain_text?: string;
    };

/** A block in normal form: its type, its own payload (without `children`) and its children. */
export interface BlockNode {
  type: string;
  /** The `<type>` payload without `children`, in request shape (rich text normalised). */
  data: Record<string, unknown>;
  children: BlockNode[];
  /** The Notion id, when the node came from Notion. */
  id?: string;
}

/** A fetched block with its fetched children (what `fetchBlockTree` returns). */
export interface FetchedBlock {
  block: BlockObjectResponse;
  children: FetchedBlock[];
}

/** Keys of a block payload that hold a rich-text array (normalised recursively). */
const RICH_TEXT_KEYS = new Set(['rich_text', 'caption']);

/** Block types whose payload carries a `rich_text` array. */
export const RICH_TEXT_TYPES = new Set([
  'paragraph',
  'heading_1',
  'heading_2',
  'heading_3',
  'heading_4',
  'bulleted_list_item',
  'numbered_list_item',
  'to_do',
  'quote',
  'callout',
  'toggle',
  'code',
  'template',
]);

/** Block types Notion lets us read but never create through an append. */
export const READ_ONLY_TYPES = new Set([
  'child_page',
  'child_database',
  'link_preview',
  'meeting_notes',
  'transcription',
  'unsupported',
]);

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Normalise one annotations object to its non-default fields. */
export function normalizeAnnotations(a: unknown): RichAnnotations | undefined {
  if (!isRecord(a)) return undefined;
  const out: RichAnnotations = {};
  if (a['bold'] === true) out.bold = true;
  if (a['italic'] === true) out.italic = true;
  if (a['strikethrough'] === true) out.strikethrough = true;
  if (a['underline'] === true) out.underline = true;
  if (a['code'] === true) out.code = true;
  if (typeof a['color'] === 'string' && a['color'] !== 'default') out.color = a['color'];
  return Object.keys(out).length === 0 ? undefined : out;
}

function normalizeMention(m: Json): { type: string } & Json {
  const type =
    typeof m['type'] === 'string' ? m['type'] : (Object.keys(m).find((k) => k !== 'type') ?? 'unknown');
  const value = m[type];
  switch (type) {
    case 'user':
    case 'page':
    case 'database':
      return { type, [type]: { id: isRecord(value) ? value['id'] : undefined } };
    case 'date': {
      const d = isRecord(value) ? value : {};
      const date: Json = { start: d['start'] };
      if (d['end'] !== null && d['end'] !== undefined) date['end'] = d['end'];
      if (d['time_zone'] !== null && d['time_zone'] !== undefined) date['time_zone'] = d['time_zone'];
      return { type, date };
    }
    case 'custom_emoji':
      return { type, custom_emoji: { id: isRecord(value) ? value['id'] : undefined } };
    default:
      return { type, [type]: value };
  }
}

/** Normalise one rich-text item from a response or a request. */
export function normalizeRichItem(raw: unknown): RichItem {
  const r = isRecord(raw) ? raw : {};
  const annotations = normalizeAnnotations(r['annotations']);
  let item: RichItem;
  if (isRecord(r['equation'])) {
    item = { type: 'equation', equation: { expression: String(r['equation']['expression']) } };
  } else if (isRecord(r['mention'])) {
    item = { type: 'mention', mention: normalizeMention(r['mention']) };
  } else {
    const text = isRecord(r['text']) ? r['text'] : { content: '' };
    const link =
      isRecord(text['link']) && typeof text['link']['url'] === 'string' ? text['link']['url'] : undefined;
    item = {
      type: 'text',
      text:
        link === undefined
          ? { content: String(text['content']) }
          : { content: String(text['content']), link: { url: link } },
    };
  }
  if (annotations) item.annotations = annotations;
  if (item.type === 'mention' && typeof r['plain_text'] === 'string') item.plain_text = r['plain_text'];
  return item;
}

const NO_ANNOTATIONS: RichAnnotations = {};

/** Whether two normal-form annotation sets are equal (absent keys are defaults). */
function sameAnnotations(a: RichAnnotations = NO_ANNOTATIONS, b: RichAnnotations = NO_ANNOTATIONS): boolean {
  return (
    a.bold === b.bold &&
    a.italic === b.italic &&
    a.strikethrough === b.strikethrough &&
    a.underline === b.underline &&
    a.code === b.code &&
    a.color === b.color
  );
}

function sameFormat(a: RichItem, b: RichItem): boolean {
  if (a.type !== 'text' || b.type !== 'text') return false;
  return sameAnnotations(a.annotations, b.annotations) && a.text.link?.url === b.text.link?.url;
}

/** Normalise a rich-text array: normal items, adjacent equal-format text merged, empty text dropped. */
export function normalizeRichText(raw: unknown): RichItem[] {
  if (!Array.isArray(raw)) return [];
  const out: RichItem[] = [];
  for (const r of raw) {
    const item = normalizeRichItem(r);
    if (item.type === 'text' && item.text.content.includes('\n')) {
      for (const piece of splitNewlines(item)) pushMerged(out, piece);
    } else pushMerged(out, item);
  }
  return out;
}

/**
 * Line breaks carry no formatting: a code span cannot hold one, and markdown cannot end an emphasis,
 * a span or a link with one. So newlines inside formatted or linked text are split out as plain items.
 */
function splitNewlines(item: RichItem): RichItem[] {
  if (item.type !== 'text' || !item.text.content.includes('\n')) return [item];
  if (item.annotations === undefined && item.text.link === undefined) return [item];
  return item.text.content.split(/(\n+)/).flatMap((piece): RichItem[] => {
    if (piece === '') return [];
    if (piece.startsWith('\n')) return [{ type: 'text', text: { content: piece } }];
    return [
      { ...item, text: item.text.link ? { content: piece, link: item.text.link } : { content: piece } },
    ];
  });
}

/** Append `item`, merging it into the previous text item when both have the same format. */
function pushMerged(out: RichItem[], item: RichItem): void {
  if (item.type === 'text' && item.text.content === '') return;
  const last = out[out.length - 1];
  if (last !== undefined && last.type === 'text' && item.type === 'text' && sameFormat(last, item)) {
    out[out.length - 1] = { ...last, text: { ...last.text, content: last.text.content + item.text.content } };
  } else {
    out.push(item);
  }
}

/** Normalise a block payload (response or request) into `BlockNode.data`. */
export function normalizeData(type: string, payload: unknown): Json {
  const p = isRecord(payload) ? payload : {};
  const out: Json = {};
  for (const [k, v] of Object.entries(p)) {
    if (k === 'children') continue;
    if (RICH_TEXT_KEYS.has(k)) out[k] = normalizeRichText(v);
    else if (k === 'cells' && Array.isArray(v)) out[k] = v.map((c) => normalizeRichText(c));
    else if (k === 'color' && v === 'default') continue;
    else if (k === 'is_toggleable' && v === false) continue;
    else out[k] = v;
  }
  // Media: Notion-hosted files carry an expiring signed URL; keep the URL, drop the expiry (it is
  // volatile and cannot be written back).
  const fileType = out['type'];
  if (typeof fileType === 'string' && isRecord(out[fileType]) && fileType === 'file') {
    const { expiry_time: _expiry, ...file } = out[fileType] as Json;
    out[fileType] = file;
  }
  if (type === 'child_page' || type === 'child_database') return { title: p['title'] };
  if (type === 'synced_block') return { synced_from: p['synced_from'] ?? null };
  if (type === 'callout' && out['icon'] === null) delete out['icon'];
  if (out['caption'] !== undefined && (out['caption'] as unknown[]).length === 0) delete out['caption'];
  return out;
}

/** Normalise an already-fetched response tree. */
export function nodeFromFetched(f: FetchedBlock): BlockNode {
  const b = f.block as unknown as Json;
  const type = String(b['type']);
  return {
    type,
    data: normalizeData(type, b[type]),
    children: f.children.map(nodeFromFetched),
    id: String(b['id']),
  };
}

/** Normalise a request block (with `<type>.children` nesting). */
export function nodeFromRequest(raw: unknown): BlockNode {
  const b = isRecord(raw) ? raw : {};
  const type =
    typeof b['type'] === 'string' ? b['type'] : (Object.keys(b).find((k) => k !== 'object') ?? 'unsupported');
  const payload = isRecord(b[type]) ? b[type] : {};
  const children = Array.isArray(payload['children']) ? payload['children'].map(nodeFromRequest) : [];
  return { type, data: normalizeData(type, payload), children };
}

/** A stable content signature of a block's own payload (type + data), used by diffs and tests. */
export function ownSignature(node: BlockNode): string {
  return `${node.type}:${stableStringify(stripPlainText(node.data))}`;
}

/** JSON with sorted keys, so equal data has one string. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isRecord(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Mention display text is Notion's to decide; signatures and comparisons ignore it. */
function stripPlainText(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripPlainText);
  if (isRecord(v)) {
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'plain_text') out[k] = stripPlainText(x);
    return out;
  }
  return v;
}

/** A node tree without ids and mention display text: what "the same content" means. */
export function contentOf(node: BlockNode): { type: string; data: unknown; children: unknown[] } {
  return { type: node.type, data: stripPlainText(node.data), children: node.children.map(contentOf) };
}

export { isRecord };
