import type { PageObjectResponse } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import {
  compareBySorts,
  DEFAULT_SORTS,
  QueryValidationError,
  sortPages,
  validateSorts,
} from '../../../src/emulator/query/index.js';
import { page, PAGE_X, PAGE_Y, SCHEMA, USER_A, USER_B, value } from './page-fixture.js';

function titled(
  name: string,
  properties: Record<string, unknown>,
  extra: Parameters<typeof page>[0] = {},
): PageObjectResponse {
  return page({ ...extra, properties: { Name: value.title(name), ...properties } });
}

/** Orders rows with both entry points, checks they agree, and returns the titles. */
function order(rows: PageObjectResponse[], sorts: unknown): string[] {
  const byComparator = titles([...rows].sort(compareBySorts(sorts, SCHEMA)));
  expect(titles(sortPages(rows, sorts, SCHEMA))).toEqual(byComparator);
  return byComparator;
}

function stamped(name: string, created: string, edited?: string, id?: string): PageObjectResponse {
  return titled(
    name,
    {},
    { created_time: created, last_edited_time: edited ?? created, ...(id === undefined ? {} : { id }) },
  );
}

function titles(rows: PageObjectResponse[]): string[] {
  return rows.map((row) => {
    const title = row.properties['Name'];
    return title?.type === 'title' ? title.title.map((t) => t.plain_text).join('') : '?';
  });
}

const asc = (property: string): unknown[] => [{ property, direction: 'ascending' }];
const desc = (property: string): unknown[] => [{ property, direction: 'descending' }];

describe(compareBySorts, () => {
  it.each([
    ['title ignores case first', 'Name', { A: {}, b: {}, C: {} }, ['A', 'b', 'C']],
    [
      'number',
      'Score',
      { ten: { Score: value.number(10) }, two: { Score: value.number(2) }, none: {} },
      ['two', 'ten', 'none'],
    ],
    [
      'unique_id',
      'Ticket',
      { t9: { Ticket: value.uniqueId(9) }, t3: { Ticket: value.uniqueId(3) } },
      ['t3', 't9'],
    ],
    ['checkbox false < true', 'Done', { yes: { Done: value.checkbox(true) }, no: {} }, ['no', 'yes']],
    [
      'select by option order',
      'Priority',
      { low: { Priority: value.select('Low') }, high: { Priority: value.select('High') }, none: {} },
      ['high', 'low', 'none'],
    ],
    [
      'status by option order',
      'Stage',
      { done: { Stage: value.status('Complete') }, todo: { Stage: value.status('Not started') } },
      ['todo', 'done'],
    ],
    [
      'multi_select by option positions',
      'Tags',
      {
        bc: { Tags: value.multiSelect('b', 'c') },
        ab: { Tags: value.multiSelect('a', 'b') },
        a: { Tags: value.multiSelect('a') },
      },
      ['a', 'ab', 'bc'],
    ],
    [
      'date by start',
      'Due',
      {
        late: { Due: value.date('2025-03-01') },
        early: { Due: value.date('2025-01-01', '2025-12-31') },
        mid: { Due: value.date('2025-02-01T10:00:00Z') },
      },
      ['early', 'mid', 'late'],
    ],
    [
      'url',
      'Site',
      { z: { Site: value.url('https://z.test') }, a: { Site: value.url('https://a.test') }, none: {} },
      ['a', 'z', 'none'],
    ],
    [
      'people by id',
      'Owner',
      { b: { Owner: value.people(USER_B) }, a: { Owner: value.people(USER_A) }, none: {} },
      ['a', 'b', 'none'],
    ],
    [
      'relation by first id',
      'Links',
      { y: { Links: value.relation(PAGE_Y) }, x: { Links: value.relation(PAGE_X) } },
      ['x', 'y'],
    ],
    [
      'formula number',
      'Calc',
      {
        big: { Calc: value.formula({ type: 'number', number: 9 }) },
        small: { Calc: value.formula({ type: 'number', number: 1 }) },
      },
      ['small', 'big'],
    ],
    [
      'rollup number',
      'Total',
      {
        big: { Total: value.rollup({ type: 'number', number: 9 }) },
        small: { Total: value.rollup({ type: 'number', number: 1 }) },
      },
      ['small', 'big'],
    ],
    [
      'verification',
      'Verified',
      {
        none: {},
        expired: { Verified: value.verification('expired') },
        ok: { Verified: value.verification('verified') },
      },
      ['ok', 'expired', 'none'],
    ],
  ])('orders by %s ascending, empties last', (_name, property, rows, expected) => {
    const pages = Object.entries(rows).map(([name, props]) => titled(name, props));
    expect(order(pages, asc(property))).toEqual(expected);
  });

  it('keeps empties last when descending', () => {
    const pages = [
      titled('none', {}),
      titled('two', { Score: value.number(2) }),
      titled('ten', { Score: value.number(10) }),
    ];
    expect(order(pages, desc('Score'))).toEqual(['ten', 'two', 'none']);
  });

  it('lets earlier sorts take precedence and breaks ties with later ones', () => {
    const pages = [
      titled('b-high', { Priority: value.select('High') }),
      titled('a-low', { Priority: value.select('Low') }),
      titled('a-high', { Priority: value.select('High') }),
    ];
    expect(order(pages, [...asc('Priority'), ...asc('Name')])).toEqual(['a-high', 'b-high', 'a-low']);
    expect(order(pages, [...desc('Priority'), ...desc('Name')])).toEqual(['a-low', 'b-high', 'a-high']);
  });

  it('sorts by timestamps', () => {
    const pages = [
      stamped('old', '2024-01-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z'),
      stamped('new', '2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z'),
    ];
    expect(order(pages, [{ timestamp: 'created_time', direction: 'ascending' }])).toEqual(['old', 'new']);
    expect(order(pages, [{ timestamp: 'last_edited_time', direction: 'ascending' }])).toEqual(['new', 'old']);
    expect(order(pages, [{ property: 'Edited', direction: 'descending' }])).toEqual(['old', 'new']);
  });

  it('falls back to DEFAULT_SORTS (oldest created first) and then page id', () => {
    expect(DEFAULT_SORTS).toEqual([{ timestamp: 'created_time', direction: 'ascending' }]);
    const pages = [
      stamped('first', '2025-01-01T00:00:00.000Z', undefined, '00000000-0000-4000-8000-00000000000b'),
      stamped('tie-b', '2025-02-01T00:00:00.000Z', undefined, '00000000-0000-4000-8000-00000000000d'),
      stamped('tie-a', '2025-02-01T00:00:00.000Z', undefined, '00000000-0000-4000-8000-00000000000c'),
    ];
    expect(order(pages, undefined)).toEqual(['first', 'tie-a', 'tie-b']);
    expect(order(pages, asc('Score'))).toEqual(['first', 'tie-a', 'tie-b']);
  });

  it('refuses invalid sorts', () => {
    expect(() => compareBySorts([{ property: 'Nope', direction: 'ascending' }], SCHEMA)).toThrow(
      QueryValidationError,
    );
  });
});

describe(validateSorts, () => {
  it.each([
    ['no sorts', undefined],
    ['an empty array', []],
    ['a property by name', asc('Name')],
    ['a property by escaped id', [{ property: 'M%3BBw', direction: 'descending' }]],
    ['a timestamp', [{ timestamp: 'last_edited_time', direction: 'ascending' }]],
  ])('accepts %s', (_name, sorts) => {
    expect(validateSorts(sorts, SCHEMA)).toBeUndefined();
  });

  it.each([
    ['a non-array', {}, 'body failed validation: body.sorts should be an array, instead was `{}`.'],
    ['an unknown property', asc('Nope'), 'Could not find sort property with name or id: Nope'],
    [
      'a bad direction',
      [{ property: 'Name', direction: 'up' }],
      'body failed validation: body.sorts[0].direction should be `ascending`, or `descending`, instead was `"up"`.',
    ],
    [
      'a bad timestamp',
      [{ timestamp: 'created_by', direction: 'ascending' }],
      'body failed validation: body.sorts[0].timestamp should be `created_time`, or `last_edited_time`, instead was `"created_by"`.',
    ],
    [
      'both property and timestamp',
      [{ property: 'Name', timestamp: 'created_time', direction: 'ascending' }],
      'body failed validation: body.sorts[0].timestamp should be not present, instead was `"created_time"`.',
    ],
    [
      'neither',
      [{ direction: 'ascending' }],
      'body failed validation. Fix one:\nbody.sorts[0].property should be defined, instead was `undefined`.\nbody.sorts[0].timestamp should be defined, instead was `undefined`.',
    ],
    [
      'an unknown key',
      [{ property: 'Name', direction: 'ascending', nulls: 'first' }],
      'body failed validation: body.sorts[0].nulls should be not present, instead was `"first"`.',
    ],
  ])('rejects %s', (_name, sorts, message) => {
    expect(validateSorts(sorts, SCHEMA)).toBe(message);
  });
});
