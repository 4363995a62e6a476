/** The filter/sort engine `dataSources.query` uses: the full engine of `./query/`. */
export { validateFilter, matchesFilter, validateSorts, sortPages, DEFAULT_SORTS } from './query/index.js';
export type { DataSourceSchema } from './query/index.js';
