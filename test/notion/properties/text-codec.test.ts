import type { RichTextItemRequest } from '@notionhq/client/build/src/api-endpoints.js';
import { describe, expect, it } from 'vitest';
import { InvalidValueError, LimitExceededError } from '../../../src/errors.js';
import { MAX_ARRAY_ITEMS, MAX_EQUATION_CHARS, MAX_TEXT_ITEM_CHARS } from '../../../src/notion/limits.js';
import type {
  PropertyValueResponse,
  PropertyWriteValue,
} from '../../../src/notion/properties/property-codec.js';
import { richTextCodec } from '../../../src/notion/properties/rich-text-codec.js';
import { plainValuesEqual } from '../../../src/notion/properties/comparable-value.js';
import { toRichTextRequest } from '../../../src/notion/properties/rich-text-write.js';
import { createTextCodec } from '../../../src/notion/properties/text-codec-factory.js';
import { titleCodec } from '../../../src/notion/properties/title-codec.js';
import {
  DEFAULT_ANNOTATIONS,
  pageMention,
  simulateNotionWrite,
  textItem,
  userMention,
} from './notion-fixtures.js';

const ctx = { propertyName: 'Notes' };

function items(write: PropertyWriteValue): RichTextItemRequest[] {
  if ('rich_text' in write) return write.rich_text;
  if ('title' in write) return write.title;
  throw new Error('not a text write');
}

function contents(write: PropertyWriteValue): string[] {
  return items(write).map((i) => ('text' in i ? i.text.content : '<non-text>'));
}

describe(createTextCodec, () => {
  const formatted: PropertyValueResponse = {
    id: 'rt',
    type: 'rich_text',
    rich_text: [
      textItem('Read '),
      textItem('the docs', {
        link: 'https://developers.notion.com',
        annotations: { bold: true, color: 'red' },
      }),
      textItem(' by '),
      userMention('u-1', 'Ada'),
    ],
  };

  it('writes a plain string as one text item', () => {
    expect(richTextCodec.write('hello', ctx)).toEqual({
      type: 'rich_text',
      rich_text: [{ type: 'text', text: { content: 'hello' } }],
    });
    expect(titleCodec.write('T', ctx)).toEqual({
      type: 'title',
      title: [{ type: 'text', text: { content: 'T' } }],
    });
  });

  it('keeps annotations, links and mentions when the same plain text is written back (pitfall 23)', () => {
    const write = richTextCodec.write('Read the docs by @Ada', { ...ctx, current: formatted });
    expect(items(write)).toEqual([
      { type: 'text', text: { content: 'Read ', link: null }, annotations: DEFAULT_ANNOTATIONS },
      {
        type: 'text',
        text: { content: 'the docs', link: { url: 'https://developers.notion.com' } },
        annotations: { ...DEFAULT_ANNOTATIONS, bold: true, color: 'red' },
      },
      { type: 'text', text: { content: ' by ', link: null }, annotations: DEFAULT_ANNOTATIONS },
      { type: 'mention', mention: { type: 'user', user: { id: 'u-1' } }, annotations: DEFAULT_ANNOTATIONS },
    ]);
  });

  it('refuses plain text that would replace formatted rich text, unless allowed', () => {
    expect(() => richTextCodec.write('Read the manual', { ...ctx, current: formatted })).toThrow(
      InvalidValueError,
    );
    expect(() => richTextCodec.write('Read the manual', { ...ctx, current: formatted })).toThrow(
      /drop its annotations/,
    );
    expect(
      contents(
        richTextCodec.write('Read the manual', { ...ctx, current: formatted, allowFormattingLoss: true }),
      ),
    ).toEqual(['Read the manual']);
    // Clearing is always allowed, and plain text over plain text is fine.
    expect(richTextCodec.write('', { ...ctx, current: formatted })).toEqual({
      type: 'rich_text',
      rich_text: [],
    });
    const plainCurrent: PropertyValueResponse = { id: 'rt', type: 'rich_text', rich_text: [textItem('old')] };
    expect(contents(richTextCodec.write('new', { ...ctx, current: plainCurrent }))).toEqual(['new']);
  });

  it('writes {text, richText} losslessly, and treats an edited text as plain text over that formatting', () => {
    const plain = richTextCodec.read(formatted);
    const back = richTextCodec.read(simulateNotionWrite(richTextCodec.write(plain, ctx)));
    expect(back.text).toBe('Read the docs by @User'); // the simulator names every mentioned user "User"
    expect(back.richText[1]).toEqual(formatted.type === 'rich_text' ? formatted.rich_text[1] : undefined);
    expect(back.richText[3]).toMatchObject({
      type: 'mention',
      mention: { type: 'user', user: { id: 'u-1' } },
    });
    expect(() => richTextCodec.write({ ...plain, text: 'edited' }, ctx)).toThrow(InvalidValueError);
    expect(
      contents(richTextCodec.write({ ...plain, text: 'edited' }, { ...ctx, allowFormattingLoss: true })),
    ).toEqual(['edited']);
  });

  it('writes link_preview and link_mention mentions, which the API cannot create, as links', () => {
    const request = toRichTextRequest({
      type: 'mention',
      mention: { type: 'link_mention', link_mention: { href: 'https://github.com/x/y' } },
      annotations: { ...DEFAULT_ANNOTATIONS, italic: true },
      plain_text: 'x/y',
      href: 'https://github.com/x/y',
    });
    expect(request).toEqual({
      type: 'text',
      text: { content: 'x/y', link: { url: 'https://github.com/x/y' } },
      annotations: { ...DEFAULT_ANNOTATIONS, italic: true },
    });
  });

  it('writes and compares a rich-text item of a type it does not know by its text and link', () => {
    const future = {
      type: 'hologram',
      hologram: {},
      annotations: DEFAULT_ANNOTATIONS,
      plain_text: 'holo',
      href: 'https://h.test',
    } as unknown as Parameters<typeof toRichTextRequest>[0];
    expect(toRichTextRequest(future)).toEqual({
      type: 'text',
      text: { content: 'holo', link: { url: 'https://h.test' } },
      annotations: DEFAULT_ANNOTATIONS,
    });
    const plain = richTextCodec.read({ id: 'rt', type: 'rich_text', rich_text: [future] });
    expect(plain.text).toBe('holo');
    expect(plainValuesEqual(plain, { ...plain, richText: [{ ...future, plain_text: 'other' }] })).toBe(false);
  });

  it('splits long text at 2,000 characters on word boundaries, keeping annotations and link on each piece', () => {
    const long = `${'word '.repeat(900)}end`; // 4,503 characters
    const write = richTextCodec.write(
      [
        {
          type: 'text',
          text: { content: long, link: { url: 'https://a.test' } },
          annotations: { bold: true },
        },
      ],
      ctx,
    );
    const parts = items(write);
    expect(parts).toHaveLength(3);
    for (const part of parts) {
      expect(part).toMatchObject({
        type: 'text',
        text: { link: { url: 'https://a.test' } },
        annotations: { bold: true },
      });
      if ('text' in part) expect(part.text.content.length).toBeLessThanOrEqual(MAX_TEXT_ITEM_CHARS);
    }
    expect(contents(write).join('')).toBe(long);
    expect(
      contents(write)
        .slice(0, -1)
        .every((c) => c.endsWith(' ')),
    ).toBe(true);
  });

  it('splits a long plain string and reads back the same text', () => {
    const long = 'ü'.repeat(5_000);
    const write = titleCodec.write(long, ctx);
    expect(contents(write).map((c) => c.length)).toEqual([2_000, 2_000, 1_000]);
    expect(titleCodec.read(simulateNotionWrite(write)).text).toBe(long);
  });

  it('never splits an emoji at the 2,000 boundary', () => {
    const text = `${'a'.repeat(1_999)}😀😀`;
    const parts = contents(richTextCodec.write(text, ctx));
    expect(parts).toEqual(['a'.repeat(1_999), '😀😀']);
  });

  it(`refuses text that needs more than ${MAX_ARRAY_ITEMS} items, rather than cutting it`, () => {
    const fits = 'x'.repeat(MAX_TEXT_ITEM_CHARS * MAX_ARRAY_ITEMS);
    expect(items(richTextCodec.write(fits, ctx))).toHaveLength(MAX_ARRAY_ITEMS);
    expect(() => richTextCodec.write(`${fits}x`, ctx)).toThrow(LimitExceededError);
    expect(() => richTextCodec.write(`${fits}x`, ctx)).toThrow(
      /"Notes" \(rich_text\) needs 101 rich-text items/,
    );
    const tooMany = Array.from({ length: MAX_ARRAY_ITEMS + 1 }, (_, i) =>
      toRichTextRequest(pageMention(`p-${i}`)),
    );
    expect(() => richTextCodec.write(tooMany, ctx)).toThrow(LimitExceededError);
  });

  it('refuses an equation over the equation limit', () => {
    const eq: RichTextItemRequest = {
      type: 'equation',
      equation: { expression: 'x'.repeat(MAX_EQUATION_CHARS + 1) },
    };
    expect(() => richTextCodec.write([eq], ctx)).toThrow(LimitExceededError);
  });
});
