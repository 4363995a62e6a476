/**
 * Turning rich text into what Notion accepts in a write: response items → request items without losing
 * annotations, links or mentions, long text split to the 2,000-character limit, arrays over 100 refused.
 * @module
 */
import type { RichTextItemRequest, RichTextItemResponse } from '@notionhq/client/build/src/api-endpoints.js';
import { LimitExceededError } from '../../errors.js';
import { MAX_ARRAY_ITEMS, MAX_EQUATION_CHARS, MAX_TEXT_ITEM_CHARS, MAX_URL_CHARS } from '../limits.js';
import type { WriteContext } from './property-codec.js';
import { splitText } from '../split-text.js';

/** The concatenated plain text of rich-text items (requests count their content/expression). */
export function plainTextOf(items: readonly (RichTextItemResponse | RichTextItemRequest)[]): string {
  let out = '';
  for (const item of items) {
    if ('plain_text' in item) out += item.plain_text;
    else if ('text' in item) out += item.text.content;
    else if ('equation' in item) out += item.equation.expression;
  }
  return out;
}

function hasAnnotations(item: RichTextItemResponse): boolean {
  const a = item.annotations;
  return a.bold || a.italic || a.strikethrough || a.underline || a.code || a.color !== 'default';
}

/**
 * True when rich text carries anything a plain string cannot express: an annotation, a link, a mention or
 * an equation. Writing plain text over such a value would lose it (pitfall 23).
 */
export function hasFormatting(items: readonly RichTextItemResponse[]): boolean {
  return items.some((item) => item.type !== 'text' || item.text.link !== null || hasAnnotations(item));
}

/**
 * One response item as a request item, keeping everything the API lets a client write.
 *
 * `link_preview` and `link_mention` mentions cannot be created through the API: they become text linking to
 * the same URL, with the same annotations. A mention subtype this version does not know becomes its plain
 * text, linked to its `href` when it has one.
 */
export function toRichTextRequest(item: RichTextItemResponse): RichTextItemRequest {
  const annotations = { ...item.annotations };
  if (item.type === 'text') {
    return {
      type: 'text',
      text: {
        content: item.text.content,
        link: item.text.link === null ? null : { url: item.text.link.url },
      },
      annotations,
    };
  }
  if (item.type === 'equation') {
    return { type: 'equation', equation: { expression: item.equation.expression }, annotations };
  }
  // A rich-text type this version does not know: keep its text and link rather than fail.
  if (item.type !== 'mention')
    return linkedText(
      (item as RichTextItemResponse).plain_text,
      (item as RichTextItemResponse).href,
      annotations,
    );
  const mention = item.mention;
  switch (mention.type) {
    case 'user':
      return { type: 'mention', mention: { type: 'user', user: { id: mention.user.id } }, annotations };
    case 'date':
      return {
        type: 'mention',
        mention: {
          type: 'date',
          date: { start: mention.date.start, end: mention.date.end, time_zone: mention.date.time_zone },
        },
        annotations,
      };
    case 'page':
      return { type: 'mention', mention: { type: 'page', page: { id: mention.page.id } }, annotations };
    case 'database':
      return {
        type: 'mention',
        mention: { type: 'database', database: { id: mention.database.id } },
        annotations,
      };
    case 'template_mention':
      return {
        type: 'mention',
        mention: {
          type: 'template_mention',
          template_mention:
            mention.template_mention.type === 'template_mention_date'
              ? {
                  type: 'template_mention_date',
                  template_mention_date: mention.template_mention.template_mention_date,
                }
              : {
                  type: 'template_mention_user',
                  template_mention_user: mention.template_mention.template_mention_user,
                },
        },
        annotations,
      };
    case 'custom_emoji':
      return {
        type: 'mention',
        mention: { type: 'custom_emoji', custom_emoji: { id: mention.custom_emoji.id } },
        annotations,
      };
    case 'link_preview':
      return linkedText(item.plain_text || mention.link_preview.url, mention.link_preview.url, annotations);
    case 'link_mention':
      return linkedText(item.plain_text || mention.link_mention.href, mention.link_mention.href, annotations);
    default:
      return linkedText(item.plain_text, item.href, annotations);
  }
}

function linkedText(
  content: string,
  url: string | null,
  annotations: RichTextItemResponse['annotations'],
): RichTextItemRequest {
  return { type: 'text', text: { content, link: url === null ? null : { url } }, annotations };
}

/**
 * Makes rich-text request items fit Notion's limits, for the property `ctx.propertyName` of type `type`:
 *
 * - a text item over `MAX_TEXT_ITEM_CHARS` is split with `splitText` (whole words where possible, never
 *   inside a surrogate pair); every piece keeps the item's annotations and link;
 * - an equation over `MAX_EQUATION_CHARS` or a link URL over `MAX_URL_CHARS` is refused;
 * - more than `MAX_ARRAY_ITEMS` items after splitting is refused with `LimitExceededError`, never cut.
 */
export function fitRichText(
  items: readonly RichTextItemRequest[],
  ctx: WriteContext,
  type: string,
): RichTextItemRequest[] {
  const out: RichTextItemRequest[] = [];
  for (const item of items) {
    if ('text' in item) {
      const link = item.text.link;
      if (link && link.url.length > MAX_URL_CHARS) {
        throw new LimitExceededError(
          `Property "${ctx.propertyName}" (${type}) has a link URL of ${link.url.length} characters; Notion accepts at most ${MAX_URL_CHARS}.`,
          { hint: 'Shorten the link URL.' },
        );
      }
      if (item.text.content.length <= MAX_TEXT_ITEM_CHARS) {
        out.push(item);
        continue;
      }
      for (const piece of splitText(item.text.content, MAX_TEXT_ITEM_CHARS)) {
        out.push({ ...item, text: { ...item.text, content: piece } });
      }
    } else {
      if ('equation' in item && item.equation.expression.length > MAX_EQUATION_CHARS) {
        throw new LimitExceededError(
          `Property "${ctx.propertyName}" (${type}) has an equation of ${item.equation.expression.length} characters; Notion accepts at most ${MAX_EQUATION_CHARS}.`,
          { hint: 'Shorten the equation or write it as text.' },
        );
      }
      out.push(item);
    }
  }
  if (out.length > MAX_ARRAY_ITEMS) {
    throw new LimitExceededError(
      `Property "${ctx.propertyName}" (${type}) needs ${out.length} rich-text items (text is split every ${MAX_TEXT_ITEM_CHARS} characters); Notion accepts at most ${MAX_ARRAY_ITEMS}.`,
      { hint: `Shorten "${ctx.propertyName}" or keep long text in the page body instead.` },
    );
  }
  return out;
}
