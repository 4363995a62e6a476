/**
 * The filter grammar as data: which conditions each filter key accepts and what value each condition
 * takes [SDK common.d.ts `PropertyFilter`, notion-api-facts §6]. Validation and compilation both read it.
 */

/** The kind of value a condition takes. */
export type ConditionValueKind =
  | 'string'
  | 'number'
  | 'boolean'
  | 'true'
  | 'empty_object'
  | 'string_or_strings'
  | 'date'
  | 'uuid'
  | 'uuid_or_me'
  | 'verification_state';

const EXISTENCE = { is_empty: 'true', is_not_empty: 'true' } as const;
const TEXT = {
  equals: 'string',
  does_not_equal: 'string',
  contains: 'string',
  does_not_contain: 'string',
  starts_with: 'string',
  ends_with: 'string',
  ...EXISTENCE,
} as const;
const NUMBER = {
  equals: 'number',
  does_not_equal: 'number',
  greater_than: 'number',
  less_than: 'number',
  greater_than_or_equal_to: 'number',
  less_than_or_equal_to: 'number',
  ...EXISTENCE,
} as const;
const CHECKBOX = { equals: 'boolean', does_not_equal: 'boolean' } as const;
const SELECT = { equals: 'string_or_strings', does_not_equal: 'string_or_strings', ...EXISTENCE } as const;
const MULTI_SELECT = {
  contains: 'string_or_strings',
  does_not_contain: 'string_or_strings',
  ...EXISTENCE,
} as const;
const DATE = {
  equals: 'date',
  before: 'date',
  after: 'date',
  on_or_before: 'date',
  on_or_after: 'date',
  past_week: 'empty_object',
  past_month: 'empty_object',
  past_year: 'empty_object',
  next_week: 'empty_object',
  next_month: 'empty_object',
  next_year: 'empty_object',
  this_week: 'empty_object',
  ...EXISTENCE,
} as const;
const PEOPLE = { contains: 'uuid_or_me', does_not_contain: 'uuid_or_me', ...EXISTENCE } as const;
const RELATION = { contains: 'uuid', does_not_contain: 'uuid', ...EXISTENCE } as const;
const VERIFICATION = { status: 'verification_state', does_not_equal: 'verification_state' } as const;

/** Families of leaf conditions: each family has one evaluator. */
export type ConditionFamily =
  | 'text'
  | 'number'
  | 'checkbox'
  | 'select'
  | 'multi_select'
  | 'date'
  | 'people'
  | 'relation'
  | 'files'
  | 'verification';

interface LeafConditionSpec {
  readonly family: ConditionFamily;
  readonly conditions: Readonly<Record<string, ConditionValueKind>>;
}

function spec(
  family: ConditionFamily,
  conditions: Readonly<Record<string, ConditionValueKind>>,
): LeafConditionSpec {
  return { family, conditions };
}

/** Leaf filter keys (named after property types) and their conditions. `formula` and `rollup` nest these. */
export const LEAF_CONDITIONS: Readonly<Record<string, LeafConditionSpec>> = {
  title: spec('text', TEXT),
  rich_text: spec('text', TEXT),
  url: spec('text', TEXT),
  email: spec('text', TEXT),
  phone_number: spec('text', TEXT),
  number: spec('number', NUMBER),
  unique_id: spec('number', NUMBER),
  checkbox: spec('checkbox', CHECKBOX),
  select: spec('select', SELECT),
  status: spec('select', SELECT),
  multi_select: spec('multi_select', MULTI_SELECT),
  date: spec('date', DATE),
  created_time: spec('date', DATE),
  last_edited_time: spec('date', DATE),
  people: spec('people', PEOPLE),
  created_by: spec('people', PEOPLE),
  last_edited_by: spec('people', PEOPLE),
  relation: spec('relation', RELATION),
  files: spec('files', EXISTENCE),
  verification: spec('verification', VERIFICATION),
};

/** `formula` sub-filter keys → the leaf key whose conditions they take. */
export const FORMULA_SUBFILTERS: Readonly<Record<string, string>> = {
  string: 'rich_text',
  checkbox: 'checkbox',
  number: 'number',
  date: 'date',
};

/** Rollup quantifiers over array rollups. */
export const ROLLUP_QUANTIFIERS = ['any', 'every', 'none'] as const;
/** Sub-filter keys allowed under a rollup quantifier [SDK `RollupSubfilterPropertyFilter`]. */
export const ROLLUP_ELEMENT_SUBFILTERS = [
  'rich_text',
  'number',
  'checkbox',
  'select',
  'multi_select',
  'relation',
  'date',
  'people',
  'files',
  'status',
] as const;
/** Keys of a rollup filter: a quantifier, or a condition on a number/date rollup result. */
export const ROLLUP_FILTER_KEYS = [...ROLLUP_QUANTIFIERS, 'date', 'number'] as const;

/** Every key that may name the condition of a property leaf. */
export const PROPERTY_FILTER_KEYS: readonly string[] = [...Object.keys(LEAF_CONDITIONS), 'formula', 'rollup'];

/** Timestamps a `{timestamp: …}` leaf may filter on. */
export const FILTER_TIMESTAMPS = ['created_time', 'last_edited_time'] as const;

/** Compound filters nest at most this many levels (`and` → `or` → leaf). */
export const MAX_FILTER_NESTING_LEVELS = 2;
