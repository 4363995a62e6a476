/**
 * The comparable form of a plain value: what hashing and diffing look at. It keeps every piece of real
 * content and drops what changes without the content changing.
 * @module
 */
import type { RichTextItemResponse } from '@notionhq/client/build/src/api-endpoints.js';
import { isRecord } from './codec-helpers.js';

type Annotations = RichTextItemResponse['annotations'];

/** Annotations that differ from Notion's defaults, so `{bold: false}` and no annotation compare equal. */
function setAnnotations(a: Annotations | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (a === undefined) return out;
  for (const key of ['bold', 'italic', 'strikethrough', 'underline', 'code'] as const)
    if (a[key]) out[key] = true;
  if (a.color !== 'default') out['color'] = a.color;
  return out;
}

/** A mention's target, without its display text (a renamed page or user changes only `plain_text`). */
function mentionTarget(mention: Extract<RichTextItemResponse, { type: 'mention' }>['mention']): unknown {
  switch (mention.type) {
    case 'user':
      return { user: mention.user.id };
    case 'page':
      return { page: mention.page.id };
    case 'database':
      return { database: mention.database.id };
    case 'date':
      return {
        date: {
          start: mention.date.start,
          end: mention.date.end ?? null,
          time_zone: mention.date.time_zone ?? null,
        },
      };
    case 'link_preview':
      return { link_preview: mention.link_preview.url };
    case 'link_mention':
      return { link_mention: mention.link_mention.href };
    case 'custom_emoji':
      return { custom_emoji: mention.custom_emoji.id };
    default:
      return mention;
  }
}

/**
 * Rich text as comparable runs: adjacent text items with the same annotations and link are merged (so
 * text that Notion or our writer split at 2,000 characters equals the unsplit text), `plain_text` and
 * `href` (duplicates of the content and link) are dropped, mentions reduce to their target.
 */
export function comparableRichText(items: readonly RichTextItemResponse[]): unknown[] {
  const runs: {
    kind: string;
    text?: string;
    link?: string | null;
    target?: unknown;
    a: Record<string, unknown>;
  }[] = [];
  for (const item of items) {
    const a = setAnnotations(item.annotations);
    if (item.type === 'text') {
      const link = item.text.link?.url ?? null;
      const last = runs.at(-1);
      if (last?.kind === 'text' && last.link === link && JSON.stringify(last.a) === JSON.stringify(a)) {
        last.text += item.text.content;
      } else if (item.text.content !== '') {
        runs.push({ kind: 'text', text: item.text.content, link, a });
      }
    } else if (item.type === 'equation') {
      runs.push({ kind: 'equation', text: item.equation.expression, a });
    } else if (item.type === 'mention') {
      runs.push({ kind: 'mention', target: mentionTarget(item.mention), a });
    } else {
      // A rich-text type this version does not know: compare its text and link.
      const unknown = item as RichTextItemResponse;
      runs.push({ kind: 'unknown', text: unknown.plain_text, link: unknown.href, a });
    }
  }
  return runs;
}

function isRichTextPlain(value: Record<string, unknown>): boolean {
  return (
    typeof value['text'] === 'string' && Array.isArray(value['richText']) && Object.keys(value).length === 2
  );
}

function isNotionHostedFile(value: Record<string, unknown>): boolean {
  return value['type'] === 'file' && typeof value['name'] === 'string' && typeof value['url'] === 'string';
}

function isPerson(value: Record<string, unknown>): boolean {
  return (
    (value['object'] === 'user' || value['object'] === 'group') &&
    typeof value['id'] === 'string' &&
    Object.keys(value).every((k) => k === 'id' || k === 'object' || k === 'email')
  );
}

/**
 * The comparable form of any plain value (or raw JSON):
 * - rich text (`{text, richText}`) → {@link comparableRichText} runs;
 * - a Notion-hosted file → its `type` and `name` only (the signed `url` and `expiry_time` rotate hourly);
 * - a person → `id` and `object` (the email is only present in some responses);
 * - a raw rich-text item array inside unknown JSON is left as is; objects and arrays recurse.
 */
export function comparableValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparableValue);
  if (!isRecord(value)) return value;
  if (isRichTextPlain(value))
    return { richText: comparableRichText(value['richText'] as RichTextItemResponse[]) };
  if (isNotionHostedFile(value)) return { type: 'file', name: value['name'] };
  if (isPerson(value)) return { id: value['id'], object: value['object'] };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = comparableValue(v);
  return out;
}

/** Whether two plain values hold the same content, ignoring volatile parts (see {@link comparableValue}). */
export function plainValuesEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(comparableValue(a)) === canonicalJson(comparableValue(b));
}

/**
 * JSON with object keys sorted at every level, so the same content always gives the same string. `undefined`
 * object members are left out, as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  writeCanonical(value, parts);
  return parts.join('');
}

function writeCanonical(value: unknown, parts: string[]): void {
  if (Array.isArray(value)) {
    parts.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) parts.push(',');
      writeCanonical(value[i] === undefined ? null : value[i], parts);
    }
    parts.push(']');
  } else if (isRecord(value)) {
    parts.push('{');
    let first = true;
    for (const key of Object.keys(value).sort()) {
      if (value[key] === undefined) continue;
      parts.push(first ? '' : ',', JSON.stringify(key), ':');
      first = false;
      writeCanonical(value[key], parts);
    }
    parts.push('}');
  } else {
    parts.push(JSON.stringify(value) ?? 'null');
  }
}
