import { API_COLORS as NOTION_API_COLORS, SELECT_COLORS as NOTION_SELECT_COLORS } from '../notion/colors.js';
import { MAX_ARRAY_ITEMS, MAX_EQUATION_CHARS, MAX_TEXT_ITEM_CHARS, MAX_URL_CHARS } from '../notion/limits.js';
import { normalizeId } from './ids.js';
import { isObject, type JsonObject } from './json.js';
import { shouldBe, shouldBeDefined, validationError } from './notion-error.js';

/** Annotation and block colors: the ten colors plus each with `_background` [SDK: common.d.ts ApiColor]. */
export const API_COLORS: ReadonlySet<string> = new Set(NOTION_API_COLORS);
/** Select/status option colors [SDK: common.d.ts SelectColor]. */
export const SELECT_COLORS: ReadonlySet<string> = new Set(NOTION_SELECT_COLORS);

/** Resolves names the rich text renders (`@Alice`, a page's title) without a dependency on the workspace. */
export interface MentionResolver {
  userName(id: string): string | undefined;
  pageTitle(id: string): string | undefined;
}

/** Checks a length limit: `<path>.length should be ≤ `limit`, instead was `n`.` */
export function checkMax(path: string, length: number, limit: number): void {
  if (length > limit) {
    throw validationError(
      `body failed validation: ${path}.length should be ≤ \`${limit}\`, instead was \`${length}\`.`,
    );
  }
}

function annotations(raw: unknown, path: string): JsonObject {
  const a = isObject(raw) ? raw : {};
  if (raw !== undefined && !isObject(raw)) throw shouldBe(path, 'an object', raw);
  for (const k of ['bold', 'italic', 'strikethrough', 'underline', 'code'] as const) {
    if (a[k] !== undefined && typeof a[k] !== 'boolean') throw shouldBe(`${path}.${k}`, 'a boolean', a[k]);
  }
  if (a.color !== undefined && !API_COLORS.has(a.color as string))
    throw shouldBe(`${path}.color`, 'a valid color', a.color);
  return {
    bold: a.bold === true,
    italic: a.italic === true,
    strikethrough: a.strikethrough === true,
    underline: a.underline === true,
    code: a.code === true,
    color: (a.color as string | undefined) ?? 'default',
  };
}

function mention(
  raw: unknown,
  path: string,
  resolver: MentionResolver,
): { mention: JsonObject; plain: string; href: string | null } {
  if (!isObject(raw)) throw shouldBe(path, 'an object', raw);
  const type = (raw.type as string | undefined) ?? Object.keys(raw).find((k) => k !== 'type');
  const payload = type === undefined ? undefined : raw[type];
  switch (type) {
    case 'user': {
      const id = normalizeId(isObject(payload) ? payload.id : undefined);
      if (!id) throw shouldBe(`${path}.user.id`, 'a valid uuid', isObject(payload) ? payload.id : payload);
      return {
        mention: { type, user: { object: 'user', id } },
        plain: `@${resolver.userName(id) ?? 'Unknown'}`,
        href: null,
      };
    }
    case 'page':
    case 'database': {
      const id = normalizeId(isObject(payload) ? payload.id : undefined);
      if (!id) throw shouldBe(`${path}.${type}.id`, 'a valid uuid', isObject(payload) ? payload.id : payload);
      const title = resolver.pageTitle(id) ?? 'Untitled';
      return {
        mention: { type, [type]: { id } },
        plain: title,
        href: `https://www.notion.so/${id.replace(/-/g, '')}`,
      };
    }
    case 'date': {
      if (!isObject(payload) || typeof payload.start !== 'string')
        throw shouldBe(`${path}.date.start`, 'a string', isObject(payload) ? payload.start : payload);
      const date = {
        start: payload.start,
        end: (payload.end as string | undefined) ?? null,
        time_zone: (payload.time_zone as string | undefined) ?? null,
      };
      return {
        mention: { type, date },
        plain: date.end ? `${date.start} → ${date.end}` : date.start,
        href: null,
      };
    }
    case 'template_mention':
      return { mention: { type, template_mention: payload }, plain: '', href: null };
    case 'custom_emoji':
      return { mention: { type, custom_emoji: payload }, plain: '', href: null };
    default:
      throw shouldBe(
        `${path}.type`,
        '`user`, `date`, `page`, `database`, `template_mention` or `custom_emoji`',
        type,
      );
  }
}

/**
 * Validates one request rich-text array (≤ 100 items, ≤ 2,000 chars per text, ≤ 1,000 per equation,
 * ≤ 2,000 per link URL) and returns Notion's response form with `plain_text`, `href` and full
 * `annotations` [SDK: common.d.ts RichTextItemResponse; Notion docs: request-limits].
 */
export function richTextResponse(raw: unknown, path: string, resolver: MentionResolver): JsonObject[] {
  if (!Array.isArray(raw)) throw shouldBe(path, 'an array', raw);
  checkMax(path, raw.length, MAX_ARRAY_ITEMS);
  return raw.map((item: unknown, i) => richTextItem(item, `${path}[${i}]`, resolver));
}

function richTextItem(item: unknown, p: string, resolver: MentionResolver): JsonObject {
  if (!isObject(item)) throw shouldBe(p, 'an object', item);
  const type =
    (item.type as string | undefined) ??
    (item.text ? 'text' : item.mention ? 'mention' : item.equation ? 'equation' : undefined);
  const ann = annotations(item.annotations, `${p}.annotations`);
  if (type === 'text') {
    const text = item.text;
    if (!isObject(text)) throw shouldBe(`${p}.text`, 'an object', text);
    if (typeof text.content !== 'string') {
      if (text.content === undefined) throw shouldBeDefined(`${p}.text.content`);
      throw shouldBe(`${p}.text.content`, 'a string', text.content);
    }
    checkMax(`${p}.text.content`, text.content.length, MAX_TEXT_ITEM_CHARS);
    let link: JsonObject | null = null;
    if (text.link !== undefined && text.link !== null) {
      if (!isObject(text.link) || typeof text.link.url !== 'string')
        throw shouldBe(`${p}.text.link.url`, 'a string', isObject(text.link) ? text.link.url : text.link);
      checkMax(`${p}.text.link.url`, text.link.url.length, MAX_URL_CHARS);
      link = { url: text.link.url };
    }
    return {
      type: 'text',
      text: { content: text.content, link },
      annotations: ann,
      plain_text: text.content,
      href: link ? (link.url as string) : null,
    };
  }
  if (type === 'equation') {
    const eq = item.equation;
    if (!isObject(eq) || typeof eq.expression !== 'string')
      throw shouldBe(`${p}.equation.expression`, 'a string', isObject(eq) ? eq.expression : eq);
    checkMax(`${p}.equation.expression`, eq.expression.length, MAX_EQUATION_CHARS);
    return {
      type: 'equation',
      equation: { expression: eq.expression },
      annotations: ann,
      plain_text: eq.expression,
      href: null,
    };
  }
  if (type === 'mention') {
    const m = mention(item.mention, `${p}.mention`, resolver);
    return { type: 'mention', mention: m.mention, annotations: ann, plain_text: m.plain, href: m.href };
  }
  throw shouldBe(`${p}.type`, '`text`, `mention` or `equation`', item.type);
}

/** Concatenated `plain_text` of a response rich-text array. */
export function plainText(items: unknown): string {
  if (!Array.isArray(items)) return '';
  let s = '';
  for (const it of items) if (isObject(it) && typeof it.plain_text === 'string') s += it.plain_text;
  return s;
}

/** A response rich-text array holding one plain text run (used for defaults and titles). */
export function textRun(content: string): JsonObject[] {
  if (content === '') return [];
  return [
    {
      type: 'text',
      text: { content, link: null },
      annotations: {
        bold: false,
        italic: false,
        strikethrough: false,
        underline: false,
        code: false,
        color: 'default',
      },
      plain_text: content,
      href: null,
    },
  ];
}
