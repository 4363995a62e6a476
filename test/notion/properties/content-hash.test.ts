import type { PageObjectResponse } from '@notionhq/client/build/src/api-endpoints.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readProperty } from '../../../src/notion/properties/codec-registry.js';
import { canonicalJson, comparableValue } from '../../../src/notion/properties/comparable-value.js';
import { contentHash, hashBody } from '../../../src/notion/properties/content-hash.js';
import type { PropertyValueResponse } from '../../../src/notion/properties/property-codec.js';
import { pageMention, signedUrl, textItem } from './notion-fixtures.js';
import { notionValueArbitraries } from './plain-arbitraries.js';

type Properties = PageObjectResponse['properties'];

function baseProperties(): Properties {
  return {
    Name: {
      id: 'title',
      type: 'title',
      title: [textItem('Launch '), textItem('plan', { annotations: { bold: true } })],
    },
    Notes: { id: 'n1', type: 'rich_text', rich_text: [textItem('See '), pageMention('p-9', 'Roadmap')] },
    Status: { id: 's1', type: 'status', status: { id: 'o', name: 'Doing', color: 'blue' } },
    Tags: { id: 't1', type: 'multi_select', multi_select: [{ id: 'a', name: 'x', color: 'red' }] },
    Owner: {
      id: 'o1',
      type: 'people',
      people: [
        {
          object: 'user',
          id: 'u-1',
          name: 'Ada',
          avatar_url: null,
          type: 'person',
          person: { email: 'a@x.test' },
        },
      ],
    },
    Files: {
      id: 'f1',
      type: 'files',
      files: [
        {
          name: 'a.pdf',
          type: 'file',
          file: { url: signedUrl('a.pdf'), expiry_time: '2025-01-02T04:00:00.000Z' },
        },
      ],
    },
    Links: { id: 'r1', type: 'relation', relation: [{ id: 'p-1' }, { id: 'p-2' }] },
    Due: { id: 'd1', type: 'date', date: { start: '2025-06-01', end: null, time_zone: null } },
    Age: {
      id: 'f2',
      type: 'formula',
      formula: { type: 'date', date: { start: '2025-01-02T10:00:00.000Z', end: null, time_zone: null } },
    },
    Score: { id: 'f3', type: 'formula', formula: { type: 'number', number: 3 } },
    Edited: { id: 'le', type: 'last_edited_time', last_edited_time: '2025-01-02T03:05:00.000Z' },
    Editor: { id: 'lb', type: 'last_edited_by', last_edited_by: { object: 'user', id: 'u-1' } },
    ID: { id: 'ui', type: 'unique_id', unique_id: { prefix: 'TASK', number: 7 } },
  };
}

function withProperty(properties: Properties, name: string, value: PropertyValueResponse): Properties {
  return { ...properties, [name]: value };
}

/** Deeply reverses the key order of every object, which must not change the hash. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  );
}

describe(contentHash, () => {
  const base = contentHash(baseProperties());

  it('is a 64-character hex SHA-256, the same on every call', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash(baseProperties())).toBe(base);
  });

  it('ignores property order and key order', () => {
    expect(contentHash(reverseKeys(baseProperties()) as Properties)).toBe(base);
  });

  it('ignores rotated signed URLs of Notion-hosted files', () => {
    const rotated = withProperty(baseProperties(), 'Files', {
      id: 'f1',
      type: 'files',
      files: [
        {
          name: 'a.pdf',
          type: 'file',
          file: { url: signedUrl('a.pdf'), expiry_time: '2025-01-02T05:00:00.000Z' },
        },
      ],
    });
    expect(contentHash(rotated)).toBe(base);
  });

  it('ignores last_edited_time and last_edited_by', () => {
    let p = withProperty(baseProperties(), 'Edited', {
      id: 'le',
      type: 'last_edited_time',
      last_edited_time: '2026-01-01T00:00:00.000Z',
    });
    p = withProperty(p, 'Editor', {
      id: 'lb',
      type: 'last_edited_by',
      last_edited_by: { object: 'user', id: 'u-2' },
    });
    expect(contentHash(p)).toBe(base);
  });

  it('ignores date formulas (time-relative) unless asked to include them', () => {
    const later = withProperty(baseProperties(), 'Age', {
      id: 'f2',
      type: 'formula',
      formula: { type: 'date', date: { start: '2025-01-03T10:00:00.000Z', end: null, time_zone: null } },
    });
    expect(contentHash(later)).toBe(base);
    expect(contentHash(later, { includeFormulaDates: true })).not.toBe(
      contentHash(baseProperties(), { includeFormulaDates: true }),
    );
  });

  it('ignores how text is split into items, mention display text, default annotations and partial users', () => {
    let p = withProperty(baseProperties(), 'Name', {
      id: 'title',
      type: 'title',
      title: [textItem('Lau'), textItem('nch '), textItem('plan', { annotations: { bold: true } })],
    });
    p = withProperty(p, 'Notes', {
      id: 'n1',
      type: 'rich_text',
      rich_text: [textItem('See '), pageMention('p-9', 'Renamed roadmap')],
    });
    p = withProperty(p, 'Owner', { id: 'o1', type: 'people', people: [{ object: 'user', id: 'u-1' }] });
    p = withProperty(p, 'Links', {
      id: 'r1',
      type: 'relation',
      relation: [{ id: 'p-1' }, { id: 'p-2' }],
      has_more: false,
    } as PropertyValueResponse);
    expect(contentHash(p)).toBe(base);
  });

  it.each<[string, string, PropertyValueResponse]>([
    ['an annotation', 'Name', { id: 'title', type: 'title', title: [textItem('Launch '), textItem('plan')] }],
    [
      'a link',
      'Name',
      {
        id: 'title',
        type: 'title',
        title: [
          textItem('Launch '),
          textItem('plan', { annotations: { bold: true }, link: 'https://x.test' }),
        ],
      },
    ],
    [
      'a mention target',
      'Notes',
      { id: 'n1', type: 'rich_text', rich_text: [textItem('See '), pageMention('p-8', 'Roadmap')] },
    ],
    ['the status', 'Status', { id: 's1', type: 'status', status: { id: 'o', name: 'Done', color: 'blue' } }],
    [
      'the file name',
      'Files',
      {
        id: 'f1',
        type: 'files',
        files: [{ name: 'b.pdf', type: 'file', file: { url: signedUrl('a'), expiry_time: 'x' } }],
      },
    ],
    [
      'an external file URL',
      'Files',
      {
        id: 'f1',
        type: 'files',
        files: [{ name: 'a.pdf', type: 'external', external: { url: 'https://x.test/a.pdf' } }],
      },
    ],
    ['the relation order', 'Links', { id: 'r1', type: 'relation', relation: [{ id: 'p-2' }, { id: 'p-1' }] }],
    ['a number formula', 'Score', { id: 'f3', type: 'formula', formula: { type: 'number', number: 4 } }],
    ['the unique id', 'ID', { id: 'ui', type: 'unique_id', unique_id: { prefix: 'TASK', number: 8 } }],
    [
      'a date',
      'Due',
      { id: 'd1', type: 'date', date: { start: '2025-06-01', end: '2025-06-02', time_zone: null } },
    ],
  ])('changes when %s changes', (_what, name, value) => {
    expect(contentHash(withProperty(baseProperties(), name, value))).not.toBe(base);
  });

  it('changes when a property is renamed, added or removed', () => {
    const { Status, ...rest } = baseProperties();
    expect(contentHash(rest)).not.toBe(base);
    expect(contentHash({ ...rest, State: Status! })).not.toBe(base);
    expect(
      contentHash({ ...baseProperties(), Extra: { id: 'x', type: 'checkbox', checkbox: false } }),
    ).not.toBe(base);
  });

  describe('sensitivity (property-based)', () => {
    const valueOf = notionValueArbitraries;
    const types = Object.keys(valueOf);
    const schemaArb = fc.uniqueArray(
      fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), fc.constantFrom(...types)),
      { minLength: 1, maxLength: 6, selector: ([n]) => n },
    );

    it('any change to a non-volatile value changes the hash', () => {
      const scenario = schemaArb.chain((schema) =>
        fc.tuple(
          fc.constant(schema),
          fc.tuple(...schema.map(([, type]) => valueOf[type]!)),
          fc.nat({ max: schema.length - 1 }).chain((i) => fc.tuple(fc.constant(i), valueOf[schema[i]![1]]!)),
        ),
      );
      fc.assert(
        fc.property(scenario, ([schema, values, [changedIndex, newValue]]) => {
          const before: Properties = Object.fromEntries(schema.map(([n], i) => [n, values[i]!]));
          const changedName = schema[changedIndex]![0];
          const after: Properties = { ...before, [changedName]: newValue };
          const comparable = (v: PropertyValueResponse) => canonicalJson(comparableValue(readProperty(v)));
          fc.pre(comparable(before[changedName]!) !== comparable(newValue));
          expect(contentHash(after)).not.toBe(contentHash(before));
        }),
        { numRuns: 300 },
      );
    });

    it('re-reading the same content (new signed URLs, reordered keys) keeps the hash', () => {
      fc.assert(
        fc.property(valueOf['files']!, valueOf['title']!, (files, title) => {
          const first: Properties = { F: files, T: title };
          const rotated =
            files.type === 'files'
              ? {
                  ...files,
                  files: files.files.map((f) =>
                    f.type === 'file' ? { ...f, file: { url: signedUrl(f.name), expiry_time: 'later' } } : f,
                  ),
                }
              : files;
          const second = reverseKeys({ T: title, F: rotated }) as Properties;
          expect(contentHash(second)).toBe(contentHash(first));
        }),
        { numRuns: 100 },
      );
    });
  });
});

describe(hashBody, () => {
  it('normalises markdown line endings and trailing whitespace, and sees any other change', () => {
    expect(hashBody('# T\r\n\r\nbody\n\n')).toBe(hashBody('# T\n\nbody'));
    expect(hashBody('# T\n\nbody')).not.toBe(hashBody('# T\n\nBody'));
  });

  it('hashes block JSON without volatile fields', () => {
    const block = (url: string, edited: string, text: string) => [
      {
        object: 'block',
        id: 'b1',
        type: 'image',
        last_edited_time: edited,
        image: {
          type: 'file',
          file: { url, expiry_time: '2025-01-01T01:00:00.000Z' },
          caption: [textItem(text)],
        },
      },
    ];
    expect(hashBody(block('https://s3/x?sig=1', '2025-01-01T00:00:00.000Z', 'cap'))).toBe(
      hashBody(block('https://s3/x?sig=2', '2025-02-01T00:00:00.000Z', 'cap')),
    );
    expect(hashBody(block('https://s3/x?sig=1', '2025-01-01T00:00:00.000Z', 'cap'))).not.toBe(
      hashBody(block('https://s3/x?sig=1', '2025-01-01T00:00:00.000Z', 'caption')),
    );
    expect(hashBody([])).not.toBe(hashBody(''));
  });
});
