import { findProperty, isJsonObject, type DataSourceSchema, type JsonObject } from './data-source-schema.js';
import { isRelativeDateValue, parseDateInterval, RELATIVE_DATE_VALUES } from './date-interval.js';
import {
  FILTER_TIMESTAMPS,
  FORMULA_SUBFILTERS,
  LEAF_CONDITIONS,
  MAX_FILTER_NESTING_LEVELS,
  PROPERTY_FILTER_KEYS,
  ROLLUP_ELEMENT_SUBFILTERS,
  ROLLUP_FILTER_KEYS,
  ROLLUP_QUANTIFIERS,
  type ConditionValueKind,
} from './filter-conditions.js';
import {
  bodyFailedValidation,
  fixOne,
  listLiterals,
  shouldBe,
  shouldNotBePresent,
} from './validation-message.js';
import { MAX_ARRAY_ITEMS } from '../../notion/limits.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const VERIFICATION_STATES = ['verified', 'expired', 'none'] as const;

/** True for a Notion id: 32 hex digits, dashed or not. */
export function isNotionUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * Checks a query's `filter` against Notion's grammar and the data source's schema.
 *
 * Checks, in order: the shape (a leaf, or `and`/`or` arrays nested at most two levels); each property leaf
 * names an existing property (by name, or by id raw or percent-decoded) with exactly one condition key,
 * which must equal the property's type (or be `rich_text` on a title; any other mismatch is refused); timestamp leaves have
 * no `property`; condition names and value types per key. `undefined` (no filter) is valid.
 *
 * @param filter The request body's `filter`, unparsed.
 * @param schema The queried data source's properties.
 * @returns undefined when valid, else the message of a 400 `validation_error`, naming the failing path
 *   (``body failed validation: body.filter.and[0].checkbox.equals should be a boolean, instead was `"yes"`.``).
 */
export function validateFilter(filter: unknown, schema: DataSourceSchema): string | undefined {
  if (filter === undefined) return undefined;
  return validateNode(filter, 'body.filter', 0, schema);
}

function validateNode(
  node: unknown,
  path: string,
  depth: number,
  schema: DataSourceSchema,
): string | undefined {
  if (!isJsonObject(node)) return bodyFailedValidation(shouldBe(path, 'an object', node));
  if ('and' in node || 'or' in node) return validateCompound(node, path, depth, schema);
  if ('timestamp' in node) return validateTimestampLeaf(node, path);
  if ('property' in node) return validatePropertyLeaf(node, path, schema);
  return fixOne([`${path}.or`, `${path}.and`, `${path}.property`, `${path}.timestamp`]);
}

function validateCompound(
  node: JsonObject,
  path: string,
  depth: number,
  schema: DataSourceSchema,
): string | undefined {
  const operator = 'and' in node ? 'and' : 'or';
  const extra = Object.keys(node).find((key) => key !== operator);
  if (extra !== undefined) return shouldNotBePresent(`${path}.${extra}`, node[extra]);
  const operatorPath = `${path}.${operator}`;
  if (depth >= MAX_FILTER_NESTING_LEVELS) {
    return bodyFailedValidation(
      `${operatorPath} is nested too deeply: compound filters (\`and\`/\`or\`) nest at most ${MAX_FILTER_NESTING_LEVELS} levels.`,
    );
  }
  const children = node[operator];
  if (!Array.isArray(children)) return bodyFailedValidation(shouldBe(operatorPath, 'an array', children));
  if (children.length > MAX_ARRAY_ITEMS) {
    return bodyFailedValidation(
      shouldBe(`${operatorPath}.length`, `≤ \`${MAX_ARRAY_ITEMS}\``, children.length),
    );
  }
  for (const [index, child] of children.entries()) {
    const error = validateNode(child, `${operatorPath}[${index}]`, depth + 1, schema);
    if (error !== undefined) return error;
  }
  return undefined;
}

function validateTimestampLeaf(node: JsonObject, path: string): string | undefined {
  const timestamp = node['timestamp'];
  if (typeof timestamp !== 'string' || !(FILTER_TIMESTAMPS as readonly string[]).includes(timestamp)) {
    return bodyFailedValidation(shouldBe(`${path}.timestamp`, listLiterals(FILTER_TIMESTAMPS), timestamp));
  }
  if ('property' in node) return shouldNotBePresent(`${path}.property`, node['property']);
  if ('type' in node && node['type'] !== timestamp) {
    return bodyFailedValidation(shouldBe(`${path}.type`, `\`${timestamp}\``, node['type']));
  }
  const extra = Object.keys(node).find((key) => key !== 'timestamp' && key !== 'type' && key !== timestamp);
  if (extra !== undefined) return shouldNotBePresent(`${path}.${extra}`, node[extra]);
  return validateCondition(timestamp, node[timestamp], `${path}.${timestamp}`);
}

function validatePropertyLeaf(node: JsonObject, path: string, schema: DataSourceSchema): string | undefined {
  const name = node['property'];
  if (typeof name !== 'string') return bodyFailedValidation(shouldBe(`${path}.property`, 'a string', name));
  const property = findProperty(schema, name);
  if (property === undefined) return `Could not find property with name or id: ${name}.`;
  const keys = Object.keys(node).filter((key) => key !== 'property' && key !== 'type');
  const unknown = keys.find((key) => !PROPERTY_FILTER_KEYS.includes(key));
  if (unknown !== undefined) return shouldNotBePresent(`${path}.${unknown}`, node[unknown]);
  const [key, second] = keys;
  if (key === undefined)
    return bodyFailedValidation(shouldBe(`${path}.${property.type}`, 'defined', undefined));
  if (second !== undefined) return shouldNotBePresent(`${path}.${second}`, node[second]);
  if ('type' in node && node['type'] !== key) {
    return bodyFailedValidation(shouldBe(`${path}.type`, `\`${key}\``, node['type']));
  }
  if (!filterKeyFits(key, property.type))
    return `database property ${property.type} does not match filter ${key}`;
  return validateCondition(key, node[key], `${path}.${key}`);
}

/**
 * Whether a leaf's condition key may filter a property of `propertyType`: the key named after the type,
 * or `rich_text` on a title (Notion's filter reference lists `rich_text`, not `title`, as the text key, and
 * its own example filters a title that way; the SDK types allow both).
 */
export function filterKeyFits(key: string, propertyType: string): boolean {
  return key === propertyType || (key === 'rich_text' && propertyType === 'title');
}

/** Validates `{<one key of allowed>: …}` and returns the key, or the error. */
function pickOneKey(
  value: unknown,
  allowed: readonly string[],
  path: string,
): { key: string; error?: undefined } | { key?: undefined; error: string } {
  if (!isJsonObject(value)) return { error: bodyFailedValidation(shouldBe(path, 'an object', value)) };
  const keys = Object.keys(value);
  const unknown = keys.find((key) => !allowed.includes(key));
  if (unknown !== undefined) return { error: shouldNotBePresent(`${path}.${unknown}`, value[unknown]) };
  const [key, second] = keys;
  if (key === undefined) return { error: fixOne(allowed.map((a) => `${path}.${a}`)) };
  if (second !== undefined) return { error: shouldNotBePresent(`${path}.${second}`, value[second]) };
  return { key };
}

function validateCondition(filterKey: string, condition: unknown, path: string): string | undefined {
  if (filterKey === 'formula') {
    const picked = pickOneKey(condition, Object.keys(FORMULA_SUBFILTERS), path);
    if (picked.error !== undefined) return picked.error;
    const leafKey = FORMULA_SUBFILTERS[picked.key] ?? picked.key;
    return validateCondition(leafKey, (condition as JsonObject)[picked.key], `${path}.${picked.key}`);
  }
  if (filterKey === 'rollup') {
    const picked = pickOneKey(condition, ROLLUP_FILTER_KEYS, path);
    if (picked.error !== undefined) return picked.error;
    const inner = (condition as JsonObject)[picked.key];
    const innerPath = `${path}.${picked.key}`;
    if (!(ROLLUP_QUANTIFIERS as readonly string[]).includes(picked.key)) {
      return validateCondition(picked.key, inner, innerPath);
    }
    const element = pickOneKey(inner, ROLLUP_ELEMENT_SUBFILTERS, innerPath);
    if (element.error !== undefined) return element.error;
    return validateCondition(element.key, (inner as JsonObject)[element.key], `${innerPath}.${element.key}`);
  }
  const spec = LEAF_CONDITIONS[filterKey];
  if (spec === undefined) return shouldNotBePresent(path, condition);
  const picked = pickOneKey(condition, Object.keys(spec.conditions), path);
  if (picked.error !== undefined) return picked.error;
  const kind = spec.conditions[picked.key] as ConditionValueKind;
  return validateConditionValue(kind, (condition as JsonObject)[picked.key], `${path}.${picked.key}`);
}

function validateConditionValue(kind: ConditionValueKind, value: unknown, path: string): string | undefined {
  const fail = (expectation: string): string => bodyFailedValidation(shouldBe(path, expectation, value));
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? undefined : fail('a string');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : fail('a number');
    case 'boolean':
      return typeof value === 'boolean' ? undefined : fail('a boolean');
    case 'true':
      return value === true ? undefined : fail('`true`');
    case 'empty_object':
      return isJsonObject(value) && Object.keys(value).length === 0 ? undefined : fail('an empty object');
    case 'string_or_strings':
      if (typeof value === 'string') return undefined;
      if (!Array.isArray(value)) return fail('a string or an array of strings');
      return value.every((item) => typeof item === 'string')
        ? undefined
        : fail('a string or an array of strings');
    case 'date':
      if (
        typeof value === 'string' &&
        (isRelativeDateValue(value) || parseDateInterval(value) !== undefined)
      ) {
        return undefined;
      }
      return fail(`an ISO 8601 date or datetime string, or one of ${listLiterals(RELATIVE_DATE_VALUES)}`);
    case 'uuid':
      return typeof value === 'string' && isNotionUuid(value) ? undefined : fail('a valid uuid');
    case 'uuid_or_me':
      return typeof value === 'string' && (value === 'me' || isNotionUuid(value))
        ? undefined
        : fail('a valid uuid or `me`');
    case 'verification_state':
      return typeof value === 'string' && (VERIFICATION_STATES as readonly string[]).includes(value)
        ? undefined
        : fail(listLiterals(VERIFICATION_STATES));
  }
}
