import * as Builder from '@notionhq/workers/builder';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../src/errors.js';
import { MAX_TEXT_ITEM_CHARS } from '../../src/notion/limits.js';
import {
  coverRequestOf,
  iconRequestOf,
  plainTextOfTokens,
  tokensToPropertyValues,
  tokenToPropertyValue,
  type TokenResolvers,
} from '../../src/workers/token-values.js';
import type { WorkerDatabase, WorkerPropertySchema } from '../../src/workers/worker-manifest.js';

const S = {
  title: { type: 'title' },
  text: { type: 'text' },
  url: { type: 'url' },
  email: { type: 'email' },
  phone: { type: 'phone_number' },
  checkbox: { type: 'checkbox' },
  number: { type: 'number' },
  select: { type: 'select', options: [] },
  multi: { type: 'multi_select', options: [] },
  status: { type: 'status', groups: [] },
  date: { type: 'date' },
  file: { type: 'file' },
  place: { type: 'place' },
  people: { type: 'people' },
  relation: {
    type: 'relation',
    relatedDatabaseKey: 'projects',
    declaredRelatedKey: 'projects',
    twoWay: false,
  },
} satisfies Record<string, WorkerPropertySchema>;

const convert = (schema: WorkerPropertySchema, value: unknown) => tokenToPropertyValue('P', schema, value);

function invalid(fn: () => unknown): InvalidValueError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidValueError);
    return e as InvalidValueError;
  }
  throw new Error('expected an InvalidValueError');
}

describe(tokenToPropertyValue, () => {
  it('title, richText and text become rich text items; empty clears', () => {
    expect(convert(S.title, Builder.title('Hello'))).toEqual({
      title: [{ type: 'text', text: { content: 'Hello' } }],
    });
    expect(convert(S.text, Builder.richText('a'))).toEqual({
      rich_text: [{ type: 'text', text: { content: 'a' } }],
    });
    expect(convert(S.text, Builder.text('b'))).toEqual({
      rich_text: [{ type: 'text', text: { content: 'b' } }],
    });
    expect(convert(S.text, [])).toEqual({ rich_text: [] });
    expect(convert(S.title, Builder.title(''))).toEqual({ title: [] });
  });

  it('splits long text at 2,000 characters without cutting a surrogate pair', () => {
    const long = 'x'.repeat(MAX_TEXT_ITEM_CHARS - 1) + '😀' + 'y'.repeat(10);
    const value = convert(S.text, Builder.richText(long)) as { rich_text: { text: { content: string } }[] };
    expect(value.rich_text.map((i) => i.text.content.length)).toEqual([MAX_TEXT_ITEM_CHARS - 1, 12]);
    expect(value.rich_text.map((i) => i.text.content).join('')).toBe(long);
    const huge = convert(S.text, Builder.richText('z'.repeat(4_500))) as { rich_text: unknown[] };
    expect(huge.rich_text).toHaveLength(3);
  });

  it('links become rich text with a link, segments are kept, and Notion annotations are mapped', () => {
    expect(convert(S.text, Builder.link('docs', 'https://example.com/docs'))).toEqual({
      rich_text: [{ type: 'text', text: { content: 'docs', link: { url: 'https://example.com/docs' } } }],
    });
    expect(
      convert(S.text, [
        ...Builder.richText('see '),
        ...Builder.link('here', 'https://x.dev'),
        ['!', [['b'], ['h', 'teal']]],
      ]),
    ).toEqual({
      rich_text: [
        { type: 'text', text: { content: 'see ' } },
        { type: 'text', text: { content: 'here', link: { url: 'https://x.dev' } } },
        { type: 'text', text: { content: '!' }, annotations: { bold: true, color: 'green' } },
      ],
    });
    expect(invalid(() => convert(S.text, [['x', [['zz']]]])).message).toContain(
      'annotation ["zz"] is not supported',
    );
  });

  it('url, email and phone number become strings; a link on a url property is its URL; empty clears to null', () => {
    expect(convert(S.url, Builder.url('https://a.b/c'))).toEqual({ url: 'https://a.b/c' });
    expect(convert(S.url, Builder.link('label', 'https://a.b/d'))).toEqual({ url: 'https://a.b/d' });
    expect(convert(S.url, [])).toEqual({ url: null });
    expect(convert(S.email, Builder.email('a@b.co'))).toEqual({ email: 'a@b.co' });
    expect(convert(S.phone, Builder.phoneNumber('+1 555 0100'))).toEqual({ phone_number: '+1 555 0100' });
    expect(convert(S.email, Builder.email(''))).toEqual({ email: null });
    expect(invalid(() => convert(S.email, Builder.email(`${'a'.repeat(200)}@b.co`))).message).toContain(
      'Notion allows 200',
    );
  });

  it('checkbox Yes/No become booleans; empty is false', () => {
    expect(convert(S.checkbox, Builder.checkbox(true))).toEqual({ checkbox: true });
    expect(convert(S.checkbox, Builder.checkbox(false))).toEqual({ checkbox: false });
    expect(convert(S.checkbox, [])).toEqual({ checkbox: false });
    expect(invalid(() => convert(S.checkbox, [['maybe']])).message).toContain(
      'expected [["Yes"]] or [["No"]]',
    );
  });

  it('numbers are parsed from strings; NaN ([]) clears to null; a non-numeric string is refused', () => {
    expect(convert(S.number, Builder.number(42.5))).toEqual({ number: 42.5 });
    expect(convert(S.number, Builder.number(-3))).toEqual({ number: -3 });
    expect(convert(S.number, Builder.number(Number.NaN))).toEqual({ number: null });
    const e = invalid(() => convert(S.number, [['forty']]));
    expect(e.property).toBe('P');
    expect(e.propertyType).toBe('number');
    expect(e.message).toContain('"forty" is not a finite number');
    expect(invalid(() => convert(S.number, Builder.number(Number.POSITIVE_INFINITY))).message).toContain(
      'finite',
    );
  });

  it('select and status become {name}; empty clears to null; a comma is refused', () => {
    expect(convert(S.select, Builder.select('High'))).toEqual({ select: { name: 'High' } });
    expect(convert(S.status, Builder.status('Done'))).toEqual({ status: { name: 'Done' } });
    expect(convert(S.select, [])).toEqual({ select: null });
    expect(invalid(() => convert(S.select, Builder.select('a,b'))).message).toContain('contains a comma');
  });

  it('multiSelect is split on commas', () => {
    expect(convert(S.multi, Builder.multiSelect('a', 'b c', 'd'))).toEqual({
      multi_select: [{ name: 'a' }, { name: 'b c' }, { name: 'd' }],
    });
    expect(convert(S.multi, Builder.multiSelect())).toEqual({ multi_select: [] });
  });

  it('dates of the four kinds; with a time zone, times have no offset; without one they are UTC', () => {
    expect(convert(S.date, Builder.date('2026-03-01'))).toEqual({ date: { start: '2026-03-01' } });
    expect(convert(S.date, Builder.dateTime('2026-03-01T10:30:00Z'))).toEqual({
      date: { start: '2026-03-01T10:30:00Z' },
    });
    expect(convert(S.date, Builder.dateTime('2026-03-01T10:30', 'Europe/Paris'))).toEqual({
      date: { start: '2026-03-01T10:30:00', time_zone: 'Europe/Paris' },
    });
    expect(convert(S.date, Builder.dateRange('2026-03-01', '2026-03-05'))).toEqual({
      date: { start: '2026-03-01', end: '2026-03-05' },
    });
    expect(
      convert(S.date, Builder.dateTimeRange('2026-03-01T09:00', '2026-03-02T17:15', 'America/New_York')),
    ).toEqual({
      date: { start: '2026-03-01T09:00:00', end: '2026-03-02T17:15:00', time_zone: 'America/New_York' },
    });
    expect(convert(S.date, [])).toEqual({ date: null });
    expect(invalid(() => convert(S.date, Builder.richText('2026-03-01'))).message).toContain(
      'expected a date token',
    );
  });

  it('a date token inside rich text becomes a date mention', () => {
    expect(convert(S.text, [...Builder.richText('due '), ...Builder.date('2026-04-01')])).toEqual({
      rich_text: [
        { type: 'text', text: { content: 'due ' } },
        { type: 'mention', mention: { date: { start: '2026-04-01' } } },
      ],
    });
  });

  it('files become external files named by name or URL', () => {
    expect(
      convert(S.file, [
        ...Builder.file('https://f.example/a.pdf', 'Spec'),
        ...Builder.file('https://f.example/b.png'),
      ]),
    ).toEqual({
      files: [
        { name: 'Spec', external: { url: 'https://f.example/a.pdf' } },
        { name: 'https://f.example/b.png', external: { url: 'https://f.example/b.png' } },
      ],
    });
    expect(convert(S.file, [])).toEqual({ files: [] });
    expect(invalid(() => convert(S.file, Builder.richText('x'))).message).toContain('has no URL');
  });

  it('place becomes Notion place; empty clears', () => {
    expect(
      convert(
        S.place,
        Builder.place({ lat: 48.85, lon: 2.35, name: 'Paris', address: 'FR', googlePlaceId: 'g1' }),
      ),
    ).toEqual({
      place: { lat: 48.85, lon: 2.35, name: 'Paris', address: 'FR', google_place_id: 'g1' },
    });
    expect(convert(S.place, [])).toEqual({ place: null });
    expect(invalid(() => convert(S.place, Builder.richText('Paris'))).message).toContain('expected a place');
  });

  it('refuses a value of the wrong type, naming property, type and what was expected', () => {
    const e = invalid(() => tokenToPropertyValue('Owner', S.title, Builder.people('a@b.co')));
    expect(e.message).toContain('Property "Owner" (title): expected a text value');
    expect(e.hint).toContain('Builder helper for a title property');
  });
});

describe(tokensToPropertyValues, () => {
  const db: WorkerDatabase = {
    key: 'tasks',
    lifecycle: 'managed',
    initialTitle: 'Tasks',
    primaryKeyProperty: 'Name',
    properties: { Name: S.title, Owners: S.people, Project: S.relation, Points: S.number },
  };
  const users: Record<string, string> = { 'ada@example.com': 'user-ada', 'bob@example.com': 'user-bob' };
  const pages: Record<string, string> = { 'projects/P-1': 'page-p1' };
  const resolvers: TokenResolvers = {
    resolveUserId: async (email) => users[email],
    resolveRelatedPage: async (dbKey, key) => pages[`${dbKey}/${key}`],
  };

  it('converts every property of a change, looks people and relations up, and leaves out what the change omits', async () => {
    const result = await tokensToPropertyValues(
      db,
      {
        Name: Builder.title('T-1'),
        Owners: Builder.people('ada@example.com', 'bob@example.com'),
        Project: [Builder.relation('P-1')],
      },
      resolvers,
    );
    expect(result).toEqual({
      properties: {
        Name: { title: [{ type: 'text', text: { content: 'T-1' } }] },
        Owners: { people: [{ id: 'user-ada' }, { id: 'user-bob' }] },
        Project: { relation: [{ id: 'page-p1' }] },
      },
      unresolvedRelations: [],
    });
    expect('Points' in result.properties).toBe(false);
  });

  it('returns unresolved relation links separately, writing the resolved ones', async () => {
    const result = await tokensToPropertyValues(
      db,
      { Project: [Builder.relation('P-1'), Builder.relation('P-9')] },
      resolvers,
    );
    expect(result.properties.Project).toEqual({ relation: [{ id: 'page-p1' }] });
    expect(result.unresolvedRelations).toEqual([
      {
        property: 'Project',
        relatedDatabaseKey: 'projects',
        primaryKeys: ['P-1', 'P-9'],
        unresolvedKeys: ['P-9'],
      },
    ]);
  });

  it('clears people and relations with []', async () => {
    const result = await tokensToPropertyValues(db, { Owners: Builder.people(), Project: [] }, resolvers);
    expect(result.properties).toEqual({ Owners: { people: [] }, Project: { relation: [] } });
  });

  it('refuses an unknown email, naming it', async () => {
    const error = await tokensToPropertyValues(
      db,
      { Owners: Builder.people('eve@example.com') },
      resolvers,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidValueError);
    expect((error as Error).message).toBe(
      'Property "Owners" (people): no user of the workspace has the email "eve@example.com"',
    );
  });

  it('refuses a property the schema does not declare, and malformed people/relation values', async () => {
    await expect(tokensToPropertyValues(db, { Nope: Builder.title('x') }, resolvers)).rejects.toThrow(
      /declares no such property \(it has "Name", "Owners", "Project", "Points"\)/,
    );
    await expect(tokensToPropertyValues(db, { Owners: Builder.richText('ada') }, resolvers)).rejects.toThrow(
      /expected people \[\{email\}\]/,
    );
    await expect(tokensToPropertyValues(db, { Project: ['P-1'] }, resolvers)).rejects.toThrow(
      /expected \[Builder\.relation\(primaryKey\)/,
    );
  });
});

describe(plainTextOfTokens, () => {
  it('joins the segments of a text value', () => {
    expect(plainTextOfTokens([...Builder.richText('a'), ...Builder.link('b', 'https://x')])).toBe('ab');
    expect(plainTextOfTokens(Builder.number(7))).toBe('7');
    expect(plainTextOfTokens(Builder.people('a@b.co'))).toBeUndefined();
  });
});

describe(iconRequestOf, () => {
  it('maps the three SDK icon kinds and the cover', () => {
    expect(iconRequestOf(Builder.emojiIcon('🎯'))).toEqual({ type: 'emoji', emoji: '🎯' });
    expect(iconRequestOf(Builder.imageIcon('https://i.example/x.png'))).toEqual({
      type: 'external',
      external: { url: 'https://i.example/x.png' },
    });
    expect(iconRequestOf(Builder.notionIcon('rocket', 'blue'))).toEqual({
      type: 'icon',
      icon: { name: 'rocket', color: 'blue' },
    });
    expect(coverRequestOf(Builder.imageCover('https://i.example/c.png', 0.2))).toEqual({
      type: 'external',
      external: { url: 'https://i.example/c.png' },
    });
  });
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('rich text splitting (property)', () => {
  it('keeps every string whole across items of at most 2,000 UTF-16 units, never splitting a surrogate pair', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 3_000 }),
        fc.integer({ min: 0, max: 3 }),
        (text, copies) => {
          const input = text.repeat(copies + 1);
          const { rich_text } = convert(S.text, Builder.richText(input)) as {
            rich_text: { text: { content: string } }[];
          };
          const parts = rich_text.map((i) => i.text.content);
          expect(parts.join('')).toBe(input);
          for (const part of parts) {
            expect(part.length).toBeGreaterThan(0);
            expect(part.length).toBeLessThanOrEqual(MAX_TEXT_ITEM_CHARS);
            expect(part).not.toMatch(LONE_SURROGATE);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
