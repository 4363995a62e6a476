import { findProperty, isJsonObject, type DataSourceSchema } from './data-source-schema.js';
import {
  bodyFailedValidation,
  fixOne,
  listLiterals,
  shouldBe,
  shouldNotBePresent,
} from './validation-message.js';
import { MAX_ARRAY_ITEMS } from '../../notion/limits.js';

/** Directions a sort may take. */
export const SORT_DIRECTIONS = ['ascending', 'descending'] as const;
/** Timestamps a `{timestamp, direction}` sort may use. */
export const SORT_TIMESTAMPS = ['created_time', 'last_edited_time'] as const;

/**
 * Checks a query's `sorts`: an array (at most 100 entries) of `{property, direction}` (property by name or
 * id, raw or percent-decoded) or `{timestamp: 'created_time' | 'last_edited_time', direction}`.
 * `undefined` (no sorts) is valid.
 *
 * @returns undefined when valid, else the message of a 400 `validation_error`.
 */
export function validateSorts(sorts: unknown, schema: DataSourceSchema): string | undefined {
  if (sorts === undefined) return undefined;
  if (!Array.isArray(sorts)) return bodyFailedValidation(shouldBe('body.sorts', 'an array', sorts));
  if (sorts.length > MAX_ARRAY_ITEMS) {
    return bodyFailedValidation(shouldBe('body.sorts.length', `≤ \`${MAX_ARRAY_ITEMS}\``, sorts.length));
  }
  for (const [index, sort] of sorts.entries()) {
    const error = validateSort(sort, `body.sorts[${index}]`, schema);
    if (error !== undefined) return error;
  }
  return undefined;
}

function validateSort(sort: unknown, path: string, schema: DataSourceSchema): string | undefined {
  if (!isJsonObject(sort)) return bodyFailedValidation(shouldBe(path, 'an object', sort));
  const extra = Object.keys(sort).find((key) => !['property', 'timestamp', 'direction'].includes(key));
  if (extra !== undefined) return shouldNotBePresent(`${path}.${extra}`, sort[extra]);
  if ('property' in sort) {
    if ('timestamp' in sort) return shouldNotBePresent(`${path}.timestamp`, sort['timestamp']);
    const name = sort['property'];
    if (typeof name !== 'string') return bodyFailedValidation(shouldBe(`${path}.property`, 'a string', name));
    if (findProperty(schema, name) === undefined)
      return `Could not find sort property with name or id: ${name}`;
  } else if ('timestamp' in sort) {
    const timestamp = sort['timestamp'];
    if (typeof timestamp !== 'string' || !(SORT_TIMESTAMPS as readonly string[]).includes(timestamp)) {
      return bodyFailedValidation(shouldBe(`${path}.timestamp`, listLiterals(SORT_TIMESTAMPS), timestamp));
    }
  } else {
    return fixOne([`${path}.property`, `${path}.timestamp`]);
  }
  const direction = sort['direction'];
  if (typeof direction !== 'string' || !(SORT_DIRECTIONS as readonly string[]).includes(direction)) {
    return bodyFailedValidation(shouldBe(`${path}.direction`, listLiterals(SORT_DIRECTIONS), direction));
  }
  return undefined;
}
