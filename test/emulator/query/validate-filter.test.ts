import { describe, expect, it } from 'vitest';
import { validateFilter } from '../../../src/emulator/query/index.js';
import { SCHEMA, USER_A } from './page-fixture.js';

const leaf = { property: 'Done', checkbox: { equals: true } };

describe(validateFilter, () => {
  it.each([
    ['no filter', undefined],
    ['a leaf', leaf],
    ['a leaf with its type', { ...leaf, type: 'checkbox' }],
    ['rich_text on a title', { property: 'Name', rich_text: { contains: 'x' } }],
    ['a leaf by id', { property: 'done', checkbox: { equals: false } }],
    ['a leaf by percent-escaped id', { property: 'M%3BBw', rich_text: { contains: 'x' } }],
    ['a leaf by decoded id', { property: 'M;Bw', rich_text: { is_empty: true } }],
    ['two levels of nesting', { and: [leaf, { or: [leaf, leaf] }] }],
    [
      'a timestamp leaf',
      { timestamp: 'last_edited_time', last_edited_time: { on_or_after: '2025-01-01T00:00:00Z' } },
    ],
    ['a relative date', { property: 'Due', date: { on_or_before: 'one_month_from_now' } }],
    ['a date window', { property: 'Due', date: { past_week: {} } }],
    ['select with an array', { property: 'Priority', select: { equals: ['High', 'Low'] } }],
    ['people with me', { property: 'Owner', people: { contains: 'me' } }],
    ['people with a uuid', { property: 'Owner', people: { contains: USER_A } }],
    ['formula', { property: 'Calc', formula: { number: { greater_than: 2 } } }],
    ['rollup quantifier', { property: 'Total', rollup: { any: { rich_text: { contains: 'a' } } } }],
    ['rollup number', { property: 'Total', rollup: { number: { equals: 3 } } }],
    ['verification', { property: 'Verified', verification: { status: 'verified' } }],
    ['unique_id', { property: 'Ticket', unique_id: { greater_than: 3 } }],
  ])('accepts %s', (_name, filter) => {
    expect(validateFilter(filter, SCHEMA)).toBeUndefined();
  });

  it.each([
    ['a non-object', 'x', 'body failed validation: body.filter should be an object, instead was `"x"`.'],
    [
      'an object of neither kind',
      {},
      'body failed validation. Fix one:\nbody.filter.or should be defined, instead was `undefined`.\n' +
        'body.filter.and should be defined, instead was `undefined`.\n' +
        'body.filter.property should be defined, instead was `undefined`.\n' +
        'body.filter.timestamp should be defined, instead was `undefined`.',
    ],
    [
      'three levels of nesting',
      { and: [{ or: [{ and: [leaf] }] }] },
      'body failed validation: body.filter.and[0].or[0].and is nested too deeply: compound filters (`and`/`or`) nest at most 2 levels.',
    ],
    [
      'a non-array compound',
      { or: leaf },
      'body failed validation: body.filter.or should be an array, instead was `{"property":"Done","checkbox":{"equals":true}}`.',
    ],
    [
      'and with or',
      { and: [], or: [] },
      'body failed validation: body.filter.or should be not present, instead was `[]`.',
    ],
    [
      'an unknown property',
      { property: 'Nope', title: { equals: 'x' } },
      'Could not find property with name or id: Nope.',
    ],
    [
      'a wrong type key',
      { property: 'Notes', title: { equals: 'x' } },
      'database property rich_text does not match filter title',
    ],
    [
      'a checkbox key on a number',
      { property: 'Score', checkbox: { equals: true } },
      'database property number does not match filter checkbox',
    ],
    [
      'two type keys',
      { property: 'Name', title: { equals: 'x' }, rich_text: { equals: 'x' } },
      'body failed validation: body.filter.rich_text should be not present, instead was `{"equals":"x"}`.',
    ],
    [
      'no type key',
      { property: 'Name' },
      'body failed validation: body.filter.title should be defined, instead was `undefined`.',
    ],
    [
      'an unknown key',
      { property: 'Name', text: { equals: 'x' } },
      'body failed validation: body.filter.text should be not present, instead was `{"equals":"x"}`.',
    ],
    [
      'a type field that disagrees',
      { ...leaf, type: 'number' },
      'body failed validation: body.filter.type should be `checkbox`, instead was `"number"`.',
    ],
    [
      'a wrong value type deep inside',
      { and: [{ property: 'Done', checkbox: { equals: 'yes' } }] },
      'body failed validation: body.filter.and[0].checkbox.equals should be a boolean, instead was `"yes"`.',
    ],
    [
      'checkbox is_empty',
      { property: 'Done', checkbox: { is_empty: true } },
      'body failed validation: body.filter.checkbox.is_empty should be not present, instead was `true`.',
    ],
    [
      'an unknown condition',
      { property: 'Score', number: { contains: 1 } },
      'body failed validation: body.filter.number.contains should be not present, instead was `1`.',
    ],
    [
      'an empty condition',
      { property: 'Done', checkbox: {} },
      'body failed validation. Fix one:\nbody.filter.checkbox.equals should be defined, instead was `undefined`.\nbody.filter.checkbox.does_not_equal should be defined, instead was `undefined`.',
    ],
    [
      'two conditions',
      { property: 'Score', number: { equals: 1, less_than: 2 } },
      'body failed validation: body.filter.number.less_than should be not present, instead was `2`.',
    ],
    [
      'is_empty false',
      { property: 'Score', number: { is_empty: false } },
      'body failed validation: body.filter.number.is_empty should be `true`, instead was `false`.',
    ],
    [
      'a number as string',
      { property: 'Score', number: { equals: '1' } },
      'body failed validation: body.filter.number.equals should be a number, instead was `"1"`.',
    ],
    [
      'text condition with a number',
      { property: 'Name', title: { contains: 1 } },
      'body failed validation: body.filter.title.contains should be a string, instead was `1`.',
    ],
    [
      'select with numbers',
      { property: 'Priority', select: { equals: [1] } },
      'body failed validation: body.filter.select.equals should be a string or an array of strings, instead was `[1]`.',
    ],
    [
      'a bad date',
      { property: 'Due', date: { after: 'June 1' } },
      expect.stringContaining(
        'body.filter.date.after should be an ISO 8601 date or datetime string, or one of `today`',
      ),
    ],
    [
      'a window with a value',
      { property: 'Due', date: { past_week: { days: 2 } } },
      'body failed validation: body.filter.date.past_week should be an empty object, instead was `{"days":2}`.',
    ],
    [
      'people with a name',
      { property: 'Owner', people: { contains: 'Ada' } },
      'body failed validation: body.filter.people.contains should be a valid uuid or `me`, instead was `"Ada"`.',
    ],
    [
      'relation with me',
      { property: 'Links', relation: { contains: 'me' } },
      'body failed validation: body.filter.relation.contains should be a valid uuid, instead was `"me"`.',
    ],
    [
      'files with contains',
      { property: 'Attachments', files: { contains: 'x' } },
      'body failed validation: body.filter.files.contains should be not present, instead was `"x"`.',
    ],
    [
      'a timestamp leaf with property',
      { timestamp: 'created_time', property: 'Created', created_time: { past_week: {} } },
      'body failed validation: body.filter.property should be not present, instead was `"Created"`.',
    ],
    [
      'an unknown timestamp',
      { timestamp: 'last_visited_time', last_visited_time: {} },
      'body failed validation: body.filter.timestamp should be `created_time`, or `last_edited_time`, instead was `"last_visited_time"`.',
    ],
    [
      'a timestamp leaf with another key',
      { timestamp: 'created_time', last_edited_time: { past_week: {} } },
      'body failed validation: body.filter.last_edited_time should be not present, instead was `{"past_week":{}}`.',
    ],
    [
      'formula with an unknown result type',
      { property: 'Calc', formula: { text: { equals: 'x' } } },
      'body failed validation: body.filter.formula.text should be not present, instead was `{"equals":"x"}`.',
    ],
    [
      'formula with a wrong condition',
      { property: 'Calc', formula: { checkbox: { equals: 1 } } },
      'body failed validation: body.filter.formula.checkbox.equals should be a boolean, instead was `1`.',
    ],
    [
      'rollup quantifier with title',
      { property: 'Total', rollup: { any: { title: { equals: 'x' } } } },
      'body failed validation: body.filter.rollup.any.title should be not present, instead was `{"equals":"x"}`.',
    ],
    [
      'rollup with a bad condition',
      { property: 'Total', rollup: { every: { number: { equals: 'x' } } } },
      'body failed validation: body.filter.rollup.every.number.equals should be a number, instead was `"x"`.',
    ],
    [
      'verification with an unknown state',
      { property: 'Verified', verification: { status: 'unverified' } },
      'body failed validation: body.filter.verification.status should be `verified`, `expired`, or `none`, instead was `"unverified"`.',
    ],
  ])('rejects %s', (_name, filter, message) => {
    expect(validateFilter(filter, SCHEMA)).toEqual(message);
  });

  it('rejects more than 100 filters in one compound', () => {
    expect(validateFilter({ or: Array.from({ length: 101 }, () => leaf) }, SCHEMA)).toBe(
      'body failed validation: body.filter.or.length should be ≤ `100`, instead was `101`.',
    );
  });
});
