/**
 * fast-check arbitraries of plain values (the form codecs read) for every writable type, and of Notion
 * values built from them through `simulateNotionWrite`.
 */
import fc from 'fast-check';
import { codecFor } from '../../../src/notion/properties/codec-registry.js';
import type {
  PlainValue,
  PropertyValueResponse,
  RichTextPlain,
} from '../../../src/notion/properties/property-codec.js';
import { simulateNotionWrite, textItem } from './notion-fixtures.js';

const color = fc.constantFrom('default', 'red', 'blue_background') as fc.Arbitrary<'default'>;
const annotations = fc.record({
  bold: fc.boolean(),
  italic: fc.boolean(),
  strikethrough: fc.boolean(),
  underline: fc.boolean(),
  code: fc.boolean(),
  color,
});
/** Mostly short text, sometimes long enough to need splitting at 2,000 characters. */
const content = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1_990, maxLength: 4_500 }) },
);
const richText: fc.Arbitrary<RichTextPlain> = fc
  .array(fc.record({ content, link: fc.option(fc.webUrl(), { nil: undefined }), annotations }), {
    maxLength: 4,
  })
  .map((items) => {
    const richTextItems = items.map((i) =>
      textItem(
        i.content,
        i.link === undefined ? { annotations: i.annotations } : { link: i.link, annotations: i.annotations },
      ),
    );
    return { text: richTextItems.map((i) => i.plain_text).join(''), richText: richTextItems };
  });
const optionName = fc
  .string({ minLength: 1, maxLength: 8 })
  .filter((s) => !s.includes(',') && s.trim() !== '');
const isoDate = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const label = nullable(fc.string({ minLength: 1, maxLength: 10 }));

/** For each writable type, an arbitrary of its plain value exactly as its codec reads it. */
export const plainArbitraries: Record<string, fc.Arbitrary<PlainValue>> = {
  title: richText,
  rich_text: richText,
  number: nullable(fc.double({ noNaN: true, noDefaultInfinity: true })),
  select: nullable(optionName),
  status: nullable(optionName),
  multi_select: fc.uniqueArray(optionName, { maxLength: 5 }),
  date: nullable(fc.record({ start: isoDate, end: nullable(isoDate), time_zone: fc.constant(null) })),
  checkbox: fc.boolean(),
  url: nullable(fc.webUrl()),
  email: nullable(fc.emailAddress().filter((e) => e.length <= 200)),
  phone_number: nullable(fc.stringMatching(/^\+[0-9]{6,14}$/)),
  relation: fc.array(fc.uuid(), { maxLength: 6 }),
  people: fc.array(fc.record({ id: fc.uuid(), object: fc.constantFrom('user' as const, 'group' as const) }), {
    maxLength: 4,
  }),
  files: fc.array(
    fc.oneof(
      fc.record({ type: fc.constant('external' as const), name: optionName, url: fc.webUrl() }),
      fc.record({ type: fc.constant('file' as const), name: optionName, url: fc.webUrl() }),
    ),
    { maxLength: 3 },
  ),
  place: nullable(
    fc.record({
      lat: fc.double({ min: -90, max: 90, noNaN: true }),
      lon: fc.double({ min: -180, max: 180, noNaN: true }),
      name: label,
      address: label,
      google_place_id: label,
      aws_place_id: label,
    }),
  ),
};

/** For each type, an arbitrary of its Notion value: a plain value written, then answered by Notion. */
export const notionValueArbitraries: Record<string, fc.Arbitrary<PropertyValueResponse>> = {
  ...Object.fromEntries(
    Object.entries(plainArbitraries).map(([type, arb]) => [
      type,
      arb.map((plain) => simulateNotionWrite(codecFor(type).write(plain, { propertyName: 'p' }))),
    ]),
  ),
  formula: fc.oneof(fc.string(), fc.integer()).map((v): PropertyValueResponse => ({
    id: 'p',
    type: 'formula',
    formula: typeof v === 'string' ? { type: 'string', string: v } : { type: 'number', number: v },
  })),
};
