/**
 * The filter/sort engine `dataSources.query` uses. It re-exports the full engine from `./query/` once
 * that lands; until then the timestamp-only fallback. This is the one line to change at merge.
 */
export {
  validateFilter,
  matchesFilter,
  validateSorts,
  compareBySorts,
  DEFAULT_SORTS,
} from './query-fallback.js';
export type { DataSourceSchema } from './query-fallback.js';
