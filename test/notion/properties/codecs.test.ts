import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidValueError,
  LimitExceededError,
  ReadOnlyPropertyError,
  UnsupportedPropertyError,
} from '../../../src/errors.js';
import {
  MAX_EMAIL_CHARS,
  MAX_TEXT_ITEM_CHARS,
  MAX_MULTI_SELECT_ITEMS,
  MAX_PEOPLE_ITEMS,
  MAX_RELATION_ITEMS,
} from '../../../src/notion/limits.js';
import { codecFor } from '../../../src/notion/properties/codec-registry.js';
import { comparableValue, plainValuesEqual } from '../../../src/notion/properties/comparable-value.js';
import { dateCodec } from '../../../src/notion/properties/date-codec.js';
import { filesCodec } from '../../../src/notion/properties/files-codec.js';
import { multiSelectCodec } from '../../../src/notion/properties/multi-select-codec.js';
import { numberCodec } from '../../../src/notion/properties/number-codec.js';
import { peopleCodec } from '../../../src/notion/properties/people-codec.js';
import type {
  PlainValue,
  PropertyValueResponse,
  RichTextPlain,
} from '../../../src/notion/properties/property-codec.js';
import { relationCodec } from '../../../src/notion/properties/relation-codec.js';
import { MAX_OPTION_NAME_CHARS, selectCodec } from '../../../src/notion/properties/select-codec.js';
import { urlCodec } from '../../../src/notion/properties/url-codec.js';
import { verificationCodec } from '../../../src/notion/properties/verification-codec.js';
import { simulateNotionWrite, textItem, userMention } from './notion-fixtures.js';
import { plainArbitraries } from './plain-arbitraries.js';

const ctx = { propertyName: 'Prop' };

/** One read fixture per type, shaped like the SDK's `PageObjectResponse['properties'][string]`, and its plain value. */
const READ_CASES: { value: PropertyValueResponse; plain: PlainValue }[] = [
  {
    value: {
      id: 'title',
      type: 'title',
      title: [textItem('Hello '), textItem('world', { annotations: { bold: true } })],
    },
    plain: {
      text: 'Hello world',
      richText: [textItem('Hello '), textItem('world', { annotations: { bold: true } })],
    },
  },
  {
    value: { id: 'rt', type: 'rich_text', rich_text: [userMention('u-1', 'Ada'), textItem(' wrote')] },
    plain: { text: '@Ada wrote', richText: [userMention('u-1', 'Ada'), textItem(' wrote')] },
  },
  { value: { id: 'n', type: 'number', number: 4.5 }, plain: 4.5 },
  { value: { id: 'n', type: 'number', number: null }, plain: null },
  { value: { id: 's', type: 'select', select: { id: 'o1', name: 'Red', color: 'red' } }, plain: 'Red' },
  { value: { id: 's', type: 'select', select: null }, plain: null },
  {
    value: {
      id: 'm',
      type: 'multi_select',
      multi_select: [
        { id: 'a', name: 'A', color: 'blue' },
        { id: 'b', name: 'B', color: 'gray' },
      ],
    },
    plain: ['A', 'B'],
  },
  { value: { id: 'st', type: 'status', status: { id: 'x', name: 'Done', color: 'green' } }, plain: 'Done' },
  {
    value: { id: 'd', type: 'date', date: { start: '2025-01-02', end: null, time_zone: null } },
    plain: { start: '2025-01-02', end: null, time_zone: null },
  },
  {
    value: {
      id: 'p',
      type: 'people',
      people: [
        {
          object: 'user',
          id: 'u-1',
          name: 'Ada',
          avatar_url: null,
          type: 'person',
          person: { email: 'ada@example.com' },
        },
        { object: 'user', id: 'u-2' },
        { object: 'group', id: 'g-1', name: 'Team' },
      ],
    },
    plain: [
      { id: 'u-1', object: 'user', email: 'ada@example.com' },
      { id: 'u-2', object: 'user' },
      { id: 'g-1', object: 'group' },
    ],
  },
  {
    value: {
      id: 'f',
      type: 'files',
      files: [
        {
          name: 'a.pdf',
          type: 'file',
          file: { url: 'https://s3/a.pdf?sig=1', expiry_time: '2025-01-02T04:00:00.000Z' },
        },
        { name: 'site', type: 'external', external: { url: 'https://example.com' } },
      ],
    },
    plain: [
      { type: 'file', name: 'a.pdf', url: 'https://s3/a.pdf?sig=1', expiry_time: '2025-01-02T04:00:00.000Z' },
      { type: 'external', name: 'site', url: 'https://example.com' },
    ],
  },
  { value: { id: 'c', type: 'checkbox', checkbox: true }, plain: true },
  { value: { id: 'u', type: 'url', url: 'https://x.test' }, plain: 'https://x.test' },
  { value: { id: 'e', type: 'email', email: null }, plain: null },
  { value: { id: 'ph', type: 'phone_number', phone_number: '+33 1 23' }, plain: '+33 1 23' },
  { value: { id: 'fo', type: 'formula', formula: { type: 'string', string: 'x' } }, plain: 'x' },
  { value: { id: 'fo', type: 'formula', formula: { type: 'number', number: 3 } }, plain: 3 },
  { value: { id: 'fo', type: 'formula', formula: { type: 'boolean', boolean: false } }, plain: false },
  {
    value: {
      id: 'fo',
      type: 'formula',
      formula: { type: 'date', date: { start: '2025-02-03', end: null, time_zone: null } },
    },
    plain: { start: '2025-02-03', end: null, time_zone: null },
  },
  { value: { id: 'fo', type: 'formula', formula: { type: 'unsupported', unsupported: {} } }, plain: null },
  { value: { id: 'r', type: 'relation', relation: [{ id: 'p-1' }, { id: 'p-2' }] }, plain: ['p-1', 'p-2'] },
  { value: { id: 'ro', type: 'rollup', rollup: { type: 'number', number: 7, function: 'sum' } }, plain: 7 },
  {
    value: {
      id: 'ro',
      type: 'rollup',
      rollup: {
        type: 'date',
        date: { start: '2025-01-01', end: null, time_zone: null },
        function: 'latest_date',
      },
    },
    plain: { start: '2025-01-01', end: null, time_zone: null },
  },
  {
    value: {
      id: 'ro',
      type: 'rollup',
      rollup: {
        type: 'array',
        function: 'show_original',
        array: [
          { type: 'title', title: [textItem('T1')] },
          { type: 'number', number: 2 },
        ],
      },
    },
    plain: [{ text: 'T1', richText: [textItem('T1')] }, 2],
  },
  {
    value: { id: 'ro', type: 'rollup', rollup: { type: 'unsupported', unsupported: {}, function: 'count' } },
    plain: null,
  },
  {
    value: { id: 'ct', type: 'created_time', created_time: '2025-01-02T03:04:00.000Z' },
    plain: '2025-01-02T03:04:00.000Z',
  },
  { value: { id: 'cb', type: 'created_by', created_by: { object: 'user', id: 'u-9' } }, plain: 'u-9' },
  {
    value: { id: 'lt', type: 'last_edited_time', last_edited_time: '2025-03-01T00:00:00.000Z' },
    plain: '2025-03-01T00:00:00.000Z',
  },
  {
    value: { id: 'lb', type: 'last_edited_by', last_edited_by: { object: 'user', id: 'u-8' } },
    plain: 'u-8',
  },
  {
    value: { id: 'ui', type: 'unique_id', unique_id: { prefix: 'PRE', number: 12 } },
    plain: { prefix: 'PRE', number: 12, display: 'PRE-12' },
  },
  {
    value: { id: 'ui', type: 'unique_id', unique_id: { prefix: null, number: 3 } },
    plain: { prefix: null, number: 3, display: '3' },
  },
  {
    value: {
      id: 'v',
      type: 'verification',
      verification: {
        state: 'verified',
        date: { start: '2025-01-01', end: '2025-04-01', time_zone: null },
        verified_by: { object: 'user', id: 'u-3' },
      },
    },
    plain: {
      state: 'verified',
      verified_by: 'u-3',
      date: { start: '2025-01-01', end: '2025-04-01', time_zone: null },
    },
  },
  {
    value: {
      id: 'v',
      type: 'verification',
      verification: { state: 'unverified', date: null, verified_by: null },
    },
    plain: { state: 'unverified', verified_by: null, date: null },
  },
  {
    value: { id: 'pl', type: 'place', place: { lat: 48.85, lon: 2.35, name: 'Paris' } },
    plain: { lat: 48.85, lon: 2.35, name: 'Paris', address: null, google_place_id: null, aws_place_id: null },
  },
  { value: { id: 'b', type: 'button', button: {} }, plain: null },
];

describe('codecFor(type).read', () => {
  it.each(READ_CASES.map((c) => [c.value.type, c] as const))('reads %s', (_type, { value, plain }) => {
    expect(codecFor(value.type).read(value)).toEqual(plain);
  });

  it('refuses to read a value of another type, naming both types', () => {
    const value: PropertyValueResponse = { id: 'n', type: 'number', number: 1 };
    expect(() => selectCodec.read(value)).toThrow(InvalidValueError);
    expect(() => selectCodec.read(value)).toThrow(/"select" codec cannot read a "number"/);
  });
});

/** Writable types: plain values that must survive plain → write → Notion's answer → read. */
const ROUND_TRIPS: [string, PlainValue][] = [
  [
    'title',
    { text: 'Hi', richText: [textItem('Hi', { annotations: { italic: true }, link: 'https://a.test' })] },
  ],
  [
    'rich_text',
    {
      text: '@User x',
      richText: [userMention('u-1', 'User'), textItem(' x', { annotations: { code: true } })],
    },
  ],
  ['rich_text', { text: '', richText: [] }],
  ['number', 0],
  ['number', -12.25],
  ['number', null],
  ['select', 'In progress'],
  ['select', null],
  ['status', 'Done'],
  ['multi_select', ['a', 'b', 'c']],
  ['multi_select', []],
  ['date', { start: '2025-01-02T10:00:00.000+02:00', end: '2025-01-03T10:00:00.000+02:00', time_zone: null }],
  ['date', { start: '2025-01-02T10:00:00', end: null, time_zone: 'Europe/Paris' }],
  ['date', null],
  [
    'people',
    [
      { id: 'u-1', object: 'user' },
      { id: 'g-1', object: 'group' },
    ],
  ],
  ['files', [{ type: 'external', name: 'spec', url: 'https://example.com/spec.pdf' }]],
  ['files', [{ type: 'file', name: 'a.png', url: 'https://s3/a.png?sig=old' }]],
  ['checkbox', true],
  ['checkbox', false],
  ['url', 'https://notion.so'],
  ['url', null],
  ['email', 'a@b.test'],
  ['phone_number', '+1 555 0100'],
  ['relation', ['p-1', 'p-2']],
  [
    'place',
    { lat: -33.86, lon: 151.2, name: 'Opera', address: null, google_place_id: 'g123', aws_place_id: null },
  ],
  ['place', null],
  ['verification', { state: 'unverified', verified_by: null, date: null }],
];

describe('codec round trip (plain → write → Notion answer → read)', () => {
  it.each(ROUND_TRIPS)('%s %j', (type, plain) => {
    const codec = codecFor(type);
    const written = codec.write(plain, ctx);
    const back = codec.read(simulateNotionWrite(written));
    // Hosted file URLs rotate on every read: compare the comparable forms, which ignore them.
    expect(comparableValue(back)).toEqual(comparableValue(plain));
    if (type !== 'files') expect(back).toEqual(plain);
  });

  it('writes a verified verification with its date and reads it back verified by Notion', () => {
    const written = verificationCodec.write(
      { state: 'verified', date: { start: '2025-05-01', end: null, time_zone: null } },
      ctx,
    );
    expect(written).toEqual({
      type: 'verification',
      verification: { state: 'verified', date: { start: '2025-05-01', end: null, time_zone: null } },
    });
    const back = verificationCodec.read(simulateNotionWrite(written));
    expect(back).toMatchObject({
      state: 'verified',
      date: { start: '2025-05-01' },
      verified_by: 'integration-bot',
    });
  });
});

describe('codec round trip (property-based)', () => {
  it.each(Object.keys(plainArbitraries))('%s: any plain value survives write → Notion → read', (type) => {
    const codec = codecFor(type);
    fc.assert(
      fc.property(plainArbitraries[type]!, (plain) => {
        const back = codec.read(simulateNotionWrite(codec.write(plain, ctx)));
        expect(plainValuesEqual(back, plain)).toBe(true);
        // Exactly equal unless Notion's answer differs in volatile parts only (split text, signed URLs).
        const split =
          typeof plain === 'object' &&
          plain !== null &&
          'richText' in plain &&
          (plain as RichTextPlain).richText.some((i) => i.plain_text.length > MAX_TEXT_ITEM_CHARS);
        if (type !== 'files' && !split) expect(back).toEqual(plain);
      }),
      { numRuns: 60 },
    );
  });
});

describe('read-only properties', () => {
  it.each([
    'formula',
    'rollup',
    'created_time',
    'created_by',
    'last_edited_time',
    'last_edited_by',
    'unique_id',
    'button',
  ])('%s refuses writes with ReadOnlyPropertyError naming the property', (type) => {
    const codec = codecFor(type);
    expect(codec.writable).toBe(false);
    let error: unknown;
    try {
      codec.write('anything', { propertyName: 'Computed thing' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReadOnlyPropertyError);
    expect((error as ReadOnlyPropertyError).property).toBe('Computed thing');
    expect((error as ReadOnlyPropertyError).propertyType).toBe(type);
    expect((error as Error).message).toContain('"Computed thing"');
  });

  it('verification refuses a changed verified_by, naming "<property>.verified_by"', () => {
    const current: PropertyValueResponse = {
      id: 'v',
      type: 'verification',
      verification: { state: 'verified', date: null, verified_by: { object: 'user', id: 'u-3' } },
    };
    const plain = { state: 'verified', verified_by: 'u-4', date: null } as const;
    expect(() => verificationCodec.write(plain, { propertyName: 'Verified', current })).toThrow(
      ReadOnlyPropertyError,
    );
    expect(() => verificationCodec.write(plain, { propertyName: 'Verified', current })).toThrow(
      /"Verified.verified_by"/,
    );
    expect(() => verificationCodec.write(plain, { propertyName: 'Verified' })).toThrow(ReadOnlyPropertyError);
    // The value read earlier can be written back unchanged.
    expect(
      verificationCodec.write(verificationCodec.read(current), { propertyName: 'Verified', current }),
    ).toEqual({
      type: 'verification',
      verification: { state: 'verified' },
    });
  });

  it('verification refuses to write "expired"', () => {
    expect(() => verificationCodec.write({ state: 'expired' }, ctx)).toThrow(InvalidValueError);
  });
});

describe('write validation', () => {
  it.each([
    ['number', '3', /expected a finite number or null, got a string/],
    ['number', Number.NaN, /got NaN/],
    ['checkbox', 'true', /expected a boolean/],
    ['select', 3, /option name/],
    ['multi_select', 'a', /array of option names/],
    ['multi_select', ['a', ''], /non-empty option names/],
    ['date', '02/01/2025', /ISO 8601/],
    ['date', { start: '2025-01-01', end: 'tomorrow' }, /ISO 8601/],
    ['people', [{ name: 'Ada' }], /user ids/],
    ['relation', [1], /page ids/],
    ['files', [{ name: 'x' }], /external/],
    ['place', { lat: 91, lon: 0 }, /lat in \[-90, 90\]/],
    ['url', 42, /a string or null/],
    ['title', 42, /a string, \{text, richText\} or rich-text items/],
  ])('%s refuses %j with InvalidValueError naming property and type', (type, input, message) => {
    let error: unknown;
    try {
      codecFor(type).write(input, { propertyName: 'Field' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidValueError);
    expect((error as InvalidValueError).property).toBe('Field');
    expect((error as InvalidValueError).propertyType).toBe(type);
    expect((error as Error).message).toMatch(message);
  });

  it('writes an empty url, email or phone number as null (Notion rejects "")', () => {
    expect(urlCodec.write('', ctx)).toEqual({ type: 'url', url: null });
    expect(codecFor('email').write('  ', ctx)).toEqual({ type: 'email', email: null });
    expect(codecFor('phone_number').write('', ctx)).toEqual({ type: 'phone_number', phone_number: null });
  });

  it('refuses an email over the length limit', () => {
    expect(() => codecFor('email').write(`${'a'.repeat(MAX_EMAIL_CHARS)}@x.test`, ctx)).toThrow(
      LimitExceededError,
    );
    expect(codecFor('email').write(`${'a'.repeat(MAX_EMAIL_CHARS - 7)}@x.test`, ctx)).toMatchObject({
      type: 'email',
    });
  });

  it('refuses select and multi_select option names containing a comma, but not status', () => {
    expect(() => selectCodec.write('a,b', ctx)).toThrow(/cannot contain a comma/);
    expect(() => multiSelectCodec.write(['ok', 'a,b'], ctx)).toThrow(/cannot contain a comma/);
    expect(codecFor('status').write('Done, really', ctx)).toEqual({
      type: 'status',
      status: { name: 'Done, really' },
    });
  });

  it('refuses option names over 100 characters', () => {
    expect(() => selectCodec.write('o'.repeat(MAX_OPTION_NAME_CHARS + 1), ctx)).toThrow(
      /an option name is 101 characters long/,
    );
    expect(() => multiSelectCodec.write(['o'.repeat(MAX_OPTION_NAME_CHARS + 1)], ctx)).toThrow(
      LimitExceededError,
    );
    expect(selectCodec.write('o'.repeat(MAX_OPTION_NAME_CHARS), ctx)).toMatchObject({ type: 'select' });
  });

  it('clears with the empty value Notion expects', () => {
    expect(selectCodec.write('', ctx)).toEqual({ type: 'select', select: null });
    expect(multiSelectCodec.write(null, ctx)).toEqual({ type: 'multi_select', multi_select: [] });
    expect(relationCodec.write(null, ctx)).toEqual({ type: 'relation', relation: [] });
    expect(peopleCodec.write(null, ctx)).toEqual({ type: 'people', people: [] });
    expect(filesCodec.write(null, ctx)).toEqual({ type: 'files', files: [] });
    expect(codecFor('checkbox').write(null, ctx)).toEqual({ type: 'checkbox', checkbox: false });
    expect(dateCodec.write(null, ctx)).toEqual({ type: 'date', date: null });
    expect(numberCodec.write(null, ctx)).toEqual({ type: 'number', number: null });
    expect(codecFor('title').write(null, ctx)).toEqual({ type: 'title', title: [] });
  });

  it('accepts an ISO date string and user ids as shorthands', () => {
    expect(dateCodec.write('2025-01-02', ctx)).toEqual({
      type: 'date',
      date: { start: '2025-01-02', end: null, time_zone: null },
    });
    expect(peopleCodec.write(['u-1'], ctx)).toEqual({
      type: 'people',
      people: [{ id: 'u-1', object: 'user' }],
    });
  });

  it('writes file uploads by id', () => {
    expect(filesCodec.write([{ type: 'file_upload', file_upload_id: 'fu-1', name: 'r.pdf' }], ctx)).toEqual({
      type: 'files',
      files: [{ type: 'file_upload', file_upload: { id: 'fu-1' }, name: 'r.pdf' }],
    });
  });
});

describe('array limits', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${i}`);

  it.each([
    ['relation', MAX_RELATION_ITEMS],
    ['people', MAX_PEOPLE_ITEMS],
    ['multi_select', MAX_MULTI_SELECT_ITEMS],
  ])('%s accepts %i items and refuses one more with LimitExceededError (never cuts)', (type, max) => {
    expect(() => codecFor(type).write(ids(max), ctx)).not.toThrow();
    expect(() => codecFor(type).write(ids(max + 1), ctx)).toThrow(LimitExceededError);
    expect(() => codecFor(type).write(ids(max + 1), ctx)).toThrow(new RegExp(`${max + 1} .* at most ${max}`));
  });
});

describe('unknown property types', () => {
  const future = { id: 'x', type: 'hologram', hologram: { depth: 3 } } as unknown as PropertyValueResponse;

  it('reads raw JSON with the type name, without crashing', () => {
    expect(codecFor('hologram').read(future)).toEqual({ unknownType: 'hologram', raw: { depth: 3 } });
  });

  it('refuses writes with UnsupportedPropertyError naming property and type', () => {
    const codec = codecFor('hologram');
    expect(codec.writable).toBe(false);
    expect(() => codec.write({ depth: 4 }, { propertyName: 'Holo' })).toThrow(UnsupportedPropertyError);
    expect(() => codec.write({ depth: 4 }, { propertyName: 'Holo' })).toThrow(/"Holo".*"hologram"/);
  });
});
