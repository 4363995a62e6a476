/**
 * The emulator's query engine: validation, filtering and sorting of `POST /v1/data_sources/{id}/query`
 * (notion-api-facts §6).
 *
 * @example
 * ```ts
 * import { validateFilter, validateSorts, compileFilter, sortPages } from './query/index.js';
 *
 * const error = validateFilter(body.filter, dataSource.properties) ?? validateSorts(body.sorts, dataSource.properties);
 * if (error !== undefined) return notionError(400, 'validation_error', error);
 * const matches = compileFilter(body.filter, dataSource.properties);
 * const rows = pages.filter((page) => !page.in_trash && matches(page, clock.now()));
 * const sorted = sortPages(rows, body.sorts, dataSource.properties); // or rows.sort(compareBySorts(…))
 * ```
 * @module
 */
export { validateFilter } from './validate-filter.js';
export { compileFilter, matchesFilter, type FilterPredicate } from './compile-filter.js';
export { validateSorts } from './validate-sorts.js';
export {
  compareBySorts,
  sortPages,
  DEFAULT_SORTS,
  type PageComparator,
  type QuerySort,
} from './compare-by-sorts.js';
export { QueryValidationError } from './query-validation-error.js';
export type { DataSourceSchema, QueryContext } from './data-source-schema.js';
