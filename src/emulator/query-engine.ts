/** The filter/sort engine `dataSources.query` uses: the full engine of `./query/`. */
export {
  validateFilter,
  compileFilter,
  validateSorts,
  compareBySorts,
  sortPages,
  DEFAULT_SORTS,
} from './query/index.js';
export type { DataSourceSchema, FilterPredicate, PageComparator } from './query/index.js';
export { startOfUtcDay } from './query/date-interval.js';
