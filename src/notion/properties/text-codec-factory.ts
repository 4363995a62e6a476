/**
 * The codec shared by `title` and `rich_text`, which differ only in their key.
 * @internal
 */
import type { RichTextItemRequest, RichTextItemResponse } from '@notionhq/client/build/src/api-endpoints.js';
import { InvalidValueError } from '../../errors.js';
import { expectType, invalidValue, isRecord } from './codec-helpers.js';
import type {
  PropertyCodec,
  PropertyValueResponse,
  PropertyWriteValue,
  RichTextPlain,
  WriteContext,
} from './property-codec.js';
import { fitRichText, hasFormatting, plainTextOf, toRichTextRequest } from './rich-text-write.js';

/**
 * What a text codec writes:
 * - a string: the new plain text. If it equals the current value's text (`ctx.current`), the current rich
 *   text is written back unchanged; if it differs and the current value has formatting, the write is refused
 *   unless `ctx.allowFormattingLoss`.
 * - a {@link RichTextPlain}: its `richText`, unless `text` was edited away from it (then as a string, with
 *   `richText` as the formatting that would be lost).
 * - rich-text request items: written as given (after splitting).
 * - `null`: clears (`[]`).
 */
export type TextInput = string | RichTextPlain | readonly RichTextItemRequest[] | null;

function isRichTextPlain(value: unknown): value is RichTextPlain {
  return isRecord(value) && typeof value['text'] === 'string' && Array.isArray(value['richText']);
}

/** A structural check of one rich-text request item (enough to route it; Notion validates the rest). */
function isRichTextRequest(item: unknown): item is RichTextItemRequest {
  if (!isRecord(item)) return false;
  const { text, mention, equation } = item;
  if (isRecord(text)) return typeof text['content'] === 'string';
  if (isRecord(equation)) return typeof equation['expression'] === 'string';
  return isRecord(mention);
}

function plainItems(text: string): RichTextItemRequest[] {
  return text === '' ? [] : [{ type: 'text', text: { content: text } }];
}

/** A string replacing `existing` rich text: keep it when the text is the same, refuse to lose formatting. */
function fromString(
  text: string,
  existing: readonly RichTextItemResponse[] | undefined,
  ctx: WriteContext,
  type: string,
): RichTextItemRequest[] {
  if (existing === undefined) return plainItems(text);
  if (plainTextOf(existing) === text) return existing.map(toRichTextRequest);
  if (text !== '' && hasFormatting(existing) && ctx.allowFormattingLoss !== true) {
    throw new InvalidValueError(
      ctx.propertyName,
      type,
      'writing plain text here would drop its annotations, links or mentions.',
      {
        hint: `Write rich-text items for "${ctx.propertyName}", or set allowFormattingLoss to replace it with plain text.`,
      },
    );
  }
  return plainItems(text);
}

/** Builds the codec of `title` or `rich_text`. */
export function createTextCodec<T extends 'title' | 'rich_text'>(
  type: T,
): PropertyCodec<RichTextPlain, TextInput> {
  const read = (value: PropertyValueResponse): RichTextPlain => {
    const richText = (expectType(value, type) as { [K in T]: RichTextItemResponse[] })[type];
    return { text: plainTextOf(richText), richText };
  };
  return {
    type,
    writable: true,
    read,
    write(input, ctx) {
      const current = ctx.current?.type === type ? read(ctx.current).richText : undefined;
      let items: readonly RichTextItemRequest[];
      if (input === null) items = [];
      else if (typeof input === 'string') items = fromString(input, current, ctx, type);
      else if (isRichTextPlain(input)) {
        items =
          plainTextOf(input.richText) === input.text
            ? input.richText.map(toRichTextRequest)
            : fromString(input.text, input.richText, ctx, type);
      } else if (Array.isArray(input) && input.every(isRichTextRequest)) items = input;
      else throw invalidValue(ctx, type, 'a string, {text, richText} or rich-text items', input);
      const fitted = fitRichText(items, ctx, type);
      return (
        type === 'title' ? { type: 'title', title: fitted } : { type: 'rich_text', rich_text: fitted }
      ) as PropertyWriteValue;
    },
  };
}
